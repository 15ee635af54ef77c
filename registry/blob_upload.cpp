#include "registry/blob_upload.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/error.hpp"

namespace sealift::registry {
namespace {

const char* kOctetStream = "Content-Type: application/octet-stream";

// "0-<end>" (some registries write "bytes=0-<end>"): the number of bytes the
// registry holds. nullopt when absent or not starting at 0. `expected` settles
// distribution's "0-0", which it answers for both no bytes and one byte.
std::optional<std::uint64_t> held_bytes(const HttpResponse& response, std::uint64_t expected) {
    std::string range = response.header("range");
    if (range.starts_with("bytes=")) range.erase(0, 6);
    auto dash = range.find('-');
    if (range.empty() || dash == std::string::npos || range.substr(0, dash) != "0") return std::nullopt;
    std::string end = range.substr(dash + 1);
    if (end.empty() || end.size() > 19 ||
        !std::all_of(end.begin(), end.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::uint64_t last = std::stoull(end);
    return last == 0 && expected != 1 ? 0 : last + 1;
}

// The registry no longer knows the session: distribution even cancels it when
// shown a stale `_state` (after a lost answer, say).
bool session_lost(const HttpResponse& response) {
    return response.status == 404 ||
           (response.status == 400 && response.body.find("BLOB_UPLOAD_INVALID") != std::string::npos);
}

class BlobPush {
public:
    BlobPush(RegistrySession& session, const std::string& repo, const Digest& digest, std::uint64_t size,
             ByteSource& source, BlobCheck check)
        : session_(session),
          call_{"push blob", repo, digest.str(), {repository_scope(repo, "pull,push")}},
          digest_(digest),
          size_(size),
          source_(source) {
        if (check == BlobCheck::hash) hasher_.emplace();
    }

    void run() {
        try {
            if (size_ <= session_.options().monolithic_limit)
                monolithic();
            else
                chunked();
        } catch (const Error&) {
            cancel();
            throw;
        }
        ++session_.counters.blobs_uploaded;
        session_.counters.bytes_uploaded += size_;
    }

private:
    // Reads up to `want` bytes, stopping early only at the end of the source.
    std::size_t fill(char* buf, std::size_t want) {
        std::size_t got = 0;
        while (got < want) {
            std::size_t n = source_.read(buf + got, want - got);
            if (n == 0) break;
            got += n;
        }
        if (hasher_) hasher_->update(buf, got);
        return got;
    }

    // After the last declared byte: the source must be at its end (a verifying
    // source has then checked the digest) and the bytes must hash to the digest.
    void check_source_complete(std::uint64_t read) {
        if (read < size_)
            fail(Errc::integrity, session_.context(call_) + ": source ended after " + std::to_string(read) + " of " +
                                      std::to_string(size_) + " bytes");
        char extra;
        if (source_.read(&extra, 1) != 0)
            fail(Errc::integrity,
                 session_.context(call_) + ": source has more than the declared " + std::to_string(size_) + " bytes");
        if (!hasher_) return;
        Digest actual = hasher_->finish();
        if (actual != digest_)
            fail(Errc::integrity, session_.context(call_) + ": source bytes have digest " + actual.str() +
                                      ", refusing to push them (nothing committed)");
    }

    void monolithic() {
        std::string body(size_, '\0');
        std::size_t n = fill(body.data(), body.size());
        check_source_complete(n);
        location_ = start_session();
        finish(body);
    }

    void chunked() {
        location_ = start_session();
        std::uint64_t chunk = std::max<std::uint64_t>({session_.options().chunk_size, min_chunk_, 1});
        std::vector<char> buf(static_cast<std::size_t>(std::min(chunk, size_)));
        std::uint64_t read = 0;
        while (read < size_) {
            std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size_ - read));
            std::size_t n = fill(buf.data(), want);
            if (n < want || read + n == size_) check_source_complete(read + n);
            send_chunk(buf.data(), n, read);
            read += n;
        }
        finish({});
    }

    // POST: a new upload session; remembers OCI-Chunk-Min-Length.
    std::string start_session() {
        std::string url = session_.url("/v2/" + call_.repo + "/blobs/uploads/");
        HttpResponse response = session_.send(call_, HttpRequest{.method = "POST", .url = url});
        if (response.status != 202 || !response.has_header("location"))
            session_.fail_status(call_, response, "start upload");
        std::string min = response.header("oci-chunk-min-length");
        if (!min.empty() && min.size() < 19 &&
            std::all_of(min.begin(), min.end(), [](char c) { return c >= '0' && c <= '9'; }))
            min_chunk_ = std::stoull(min);
        return resolve_url(url, response.header("location"));
    }

    // Sends bytes [start, start+n) of the blob, resuming from what the registry
    // says it holds after a failure; the chunk stays in memory until acknowledged.
    void send_chunk(const char* data, std::size_t n, std::uint64_t start) {
        std::uint64_t end = start + n;
        std::uint64_t held = start;
        unsigned failures = 0;
        auto recover = [&](const HttpResponse* response) {
            if (failures >= session_.options().max_retries) {
                if (response) session_.fail_status(call_, *response, "upload chunk at " + std::to_string(held));
                fail(Errc::network, session_.context(call_) + ": upload chunk at " + std::to_string(held) +
                                        ": giving up after " + std::to_string(failures) + " retries: " + last_failure_);
            }
            session_.back_off(failures++, response);
            held = upload_status(start);
            if (held > end)
                fail(Errc::registry, session_.context(call_) + ": registry holds " + std::to_string(held) +
                                         " bytes, more than the " + std::to_string(end) + " sent");
        };
        while (held < end) {
            HttpRequest request{.method = "PATCH", .url = location_};
            request.headers = {kOctetStream, "Content-Range: " + std::to_string(held) + "-" + std::to_string(end - 1)};
            request.body = std::string_view(data + (held - start), static_cast<std::size_t>(end - held));
            HttpResponse response;
            try {
                response = session_.send(call_, std::move(request), SendOptions{.retry = false});
            } catch (const TransportError& e) {
                last_failure_ = std::string("cannot reach ") + session_.options().host + ": " + e.what();
                recover(nullptr);
                continue;
            }
            if (response.status == 416 || RegistrySession::retryable_status(response.status)) {
                recover(&response);
                continue;
            }
            if (session_lost(response)) {
                // Only the first chunk can start over: earlier bytes of the source are gone.
                if (start > 0 || failures >= session_.options().max_retries) session_lost_failure(response, start);
                session_.back_off(failures++, &response);
                location_ = start_session();
                held = 0;
                continue;
            }
            if (response.status < 200 || response.status > 299) session_.fail_status(call_, response, "upload chunk");
            if (response.has_header("location")) location_ = resolve_url(location_, response.header("location"));
            // Some registries answer 201 or 204 to intermediate chunks: what counts is the Range.
            std::uint64_t now_held = held_bytes(response, end).value_or(end);
            if (now_held < start || now_held > end)
                fail(Errc::registry, session_.context(call_) + ": registry holds " + std::to_string(now_held) +
                                         " bytes after a chunk ending at " + std::to_string(end));
            if (now_held <= held) {
                last_failure_ = "registry accepted none of the chunk";
                recover(nullptr);
                continue;
            }
            held = now_held;
        }
    }

    // GET on the session: how many bytes the registry holds. When the session is
    // gone during the first chunk (all still in memory) a new one starts.
    std::uint64_t upload_status(std::uint64_t chunk_start) {
        HttpRequest request{.method = "GET", .url = location_};
        HttpResponse response = session_.send(call_, std::move(request));
        if (response.status >= 200 && response.status <= 299) {
            if (response.has_header("location")) location_ = resolve_url(location_, response.header("location"));
            std::uint64_t held = held_bytes(response, 0).value_or(0);
            if (held >= chunk_start) return held;
            fail(Errc::registry, session_.context(call_) + ": registry lost bytes: it holds " + std::to_string(held) +
                                     " but had acknowledged " + std::to_string(chunk_start));
        }
        if (!session_lost(response))
            session_.fail_status(call_, response, "resume upload after " + std::to_string(chunk_start) + " bytes");
        if (chunk_start > 0) session_lost_failure(response, chunk_start);
        location_ = start_session();
        return 0;
    }

    [[noreturn]] void session_lost_failure(const HttpResponse& response, std::uint64_t acknowledged) {
        session_.fail_status(call_, response,
                             "the registry lost the upload session after " + std::to_string(acknowledged) +
                                 " bytes, which the source cannot give again");
    }

    // PUT ?digest=: commits the upload, with the whole blob (monolithic) or nothing.
    void finish(std::string_view body) {
        HttpRequest request{.method = "PUT", .url = add_query(location_, "digest", digest_.str())};
        request.headers = {kOctetStream};
        request.body = body;
        HttpResponse response = session_.send(call_, std::move(request));
        if (response.status == 201) {
            check_created_digest(session_, call_, response, digest_);
            return;
        }
        // A retried PUT whose first attempt did commit finds the session gone: the blob is there.
        if (response.status == 404 && blob_present()) return;
        session_.fail_status(call_, response, "commit upload");
    }

    bool blob_present() {
        HttpRequest request{.method = "HEAD", .url = session_.url("/v2/" + call_.repo + "/blobs/" + digest_.str())};
        return session_.send(call_, std::move(request), SendOptions{.follow_redirects = true}).status == 200;
    }

    // Best effort: an abandoned session would expire on its own.
    void cancel() {
        if (location_.empty()) return;
        HttpRequest request{.method = "DELETE", .url = location_};
        try {
            session_.send(call_, std::move(request), SendOptions{.retry = false});
        } catch (const Error&) {
        } catch (const TransportError&) {}
    }

    RegistrySession& session_;
    Call call_;
    Digest digest_;
    std::uint64_t size_;
    ByteSource& source_;
    std::optional<Sha256> hasher_;  // empty when the source checks the digest itself
    std::string location_;
    std::uint64_t min_chunk_ = 0;
    std::string last_failure_;  // for the message when retries run out
};

}  // namespace

void check_created_digest(const RegistrySession& session, const Call& call, const HttpResponse& response,
                          const Digest& digest) {
    std::string answered = response.header("docker-content-digest");
    if (!answered.empty() && answered != digest.str())
        fail(Errc::integrity, session.context(call) + ": registry stored it as " + answered.substr(0, 100));
}

void push_blob(RegistrySession& session, const std::string& repo, const Digest& digest, std::uint64_t size,
               ByteSource& source, BlobCheck check) {
    BlobPush(session, repo, digest, size, source, check).run();
}

}  // namespace sealift::registry
