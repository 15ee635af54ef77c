#include "registry/registry_client.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "core/byte_pipe.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/media_types.hpp"
#include "manifests/reference.hpp"
#include "registry/blob_upload.hpp"
#include "registry/registry_session.hpp"

namespace sealift::registry {
namespace {

namespace mt = manifests::media_type;

const std::string kManifestAccept = std::string("Accept: ") + mt::oci_manifest + ", " + mt::oci_index + ", " +
                                    mt::docker_manifest + ", " + mt::docker_manifest_list;

// Names and references go into URL paths: only what the distribution spec allows.
void check_repo(const std::string& host, const std::string& repo) {
    if (!manifests::valid_repository_name(repo))
        fail(Errc::usage, host + ": invalid repository name '" + repo.substr(0, 300) + "'");
}

void check_reference(const std::string& host, const std::string& repo, const std::string& reference) {
    if (!Digest::valid(reference) && !manifests::valid_tag(reference))
        fail(Errc::usage, host + "/" + repo + ": invalid tag or digest '" + reference.substr(0, 300) + "'");
}

// Content-Type without parameters.
std::string media_type_of(const HttpResponse& response) {
    std::string type = response.header("content-type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    return type;
}

std::optional<std::uint64_t> parse_length(const std::string& value) {
    if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoull(value);
}

std::optional<std::uint64_t> content_length(const HttpResponse& response) {
    return parse_length(response.header("content-length"));
}

// The target of `Link: <url>; rel="next"`, or "".
std::string next_link(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
        if (name != "link") continue;
        auto open = value.find('<'), close = value.find('>');
        if (open == std::string::npos || close == std::string::npos || close < open) continue;
        std::string params = value.substr(close + 1);
        if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
            return value.substr(open + 1, close - open - 1);
    }
    return {};
}

}  // namespace

struct RegistryClient::Impl {
    explicit Impl(RegistryOptions options) : session(std::move(options)) {}
    RegistrySession session;

    const std::string& host() const { return session.options().host; }
    Call pull(const char* operation, const std::string& repo, const std::string& subject) {
        check_repo(host(), repo);
        return Call{operation, repo, subject, {repository_scope(repo, "pull")}};
    }
    std::string path(const std::string& repo, const std::string& rest) const {
        return session.url("/v2/" + repo + rest);
    }
    std::vector<std::string> list_pages(const Call& call, std::string url, const char* field);

    // The digest of manifest bytes as the registry named it, checked against the bytes.
    Digest manifest_digest(const Call& call, const HttpResponse& response, const std::string& reference,
                           const std::string& bytes) {
        Digest actual = Sha256::of(bytes);
        std::string answered = response.header("docker-content-digest");
        if (!answered.empty() && answered != actual.str())
            fail(Errc::integrity, session.context(call) + ": registry says " + answered.substr(0, 100) +
                                      " but the bytes hash to " + actual.str());
        if (Digest::valid(reference) && reference != actual.str())
            fail(Errc::integrity, session.context(call) + ": the manifest served hashes to " + actual.str());
        return actual;
    }
};

RegistryClient::RegistryClient(RegistryOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
RegistryClient::~RegistryClient() = default;

const std::string& RegistryClient::host() const { return impl_->host(); }

void RegistryClient::ping() {
    Call call{"ping", "", "", {}};
    HttpResponse response = impl_->session.send(call, HttpRequest{.url = impl_->session.url("/v2/")});
    if (response.status != 200) impl_->session.fail_status(call, response);
}

std::optional<std::string> RegistryClient::head_blob(const std::string& repo, const Digest& digest) {
    Call call = impl_->pull("check blob", repo, digest.str());
    HttpRequest request{.method = "HEAD", .url = impl_->path(repo, "/blobs/" + digest.str())};
    HttpResponse response = impl_->session.send(call, std::move(request), SendOptions{.follow_redirects = true});
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) impl_->session.fail_status(call, response);
    // The importer asks before pushing: a blob already there is one it skips.
    ++impl_->session.counters.blobs_skipped;
    return response.header("content-length");
}

bool RegistryClient::blob_exists(const std::string& repo, const Digest& digest) {
    return head_blob(repo, digest).has_value();
}

std::optional<std::uint64_t> RegistryClient::blob_size(const std::string& repo, const Digest& digest) {
    auto length = head_blob(repo, digest);
    if (!length) return std::nullopt;
    auto size = parse_length(*length);
    if (!size)
        fail(Errc::registry,
             host() + "/" + repo + ": blob " + digest.str() + ": the registry did not say its size (Content-Length)");
    return size;
}

bool RegistryClient::mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo) {
    check_repo(host(), repo);
    check_repo(host(), from_repo);
    Call call{"mount blob",
              repo,
              digest.str() + " from " + from_repo,
              {repository_scope(repo, "pull,push"), repository_scope(from_repo, "pull")}};
    std::string url =
        add_query(add_query(impl_->path(repo, "/blobs/uploads/"), "mount", digest.str()), "from", from_repo);
    HttpResponse response = impl_->session.send(call, HttpRequest{.method = "POST", .url = url});
    if (response.status == 201) {
        check_created_digest(impl_->session, call, response, digest);
        ++impl_->session.counters.blobs_mounted;
        return true;
    }
    if (response.status != 202) impl_->session.fail_status(call, response);
    // Not mounted: the registry opened an upload session instead, which we do
    // not need. Its answer does not matter: an abandoned session expires anyway.
    if (response.has_header("location")) {
        HttpRequest cancel{.method = "DELETE", .url = resolve_url(url, response.header("location"))};
        impl_->session.send(call, std::move(cancel));
    }
    return false;
}

void RegistryClient::upload_blob(const std::string& repo, const Digest& digest, std::uint64_t size, ByteSource& source,
                                 BlobCheck check) {
    check_repo(host(), repo);
    push_blob(impl_->session, repo, digest, size, source, check);
}

void RegistryClient::ensure_blob(const std::string& repo, const Digest& digest, std::string bytes, BlobCheck check) {
    if (blob_exists(repo, digest)) return;
    std::uint64_t size = bytes.size();
    MemorySource source(std::move(bytes));
    upload_blob(repo, digest, size, source, check);
}

void RegistryClient::read_blob(const std::string& repo, const Digest& digest, std::uint64_t size,
                               const std::function<void(const char*, std::size_t)>& sink) {
    Call call = impl_->pull("read blob", repo, digest.str());
    Sha256 hasher;
    std::uint64_t delivered = 0;      // bytes handed to the sink, over all attempts
    std::uint64_t attempt_start = 0;  // blob offset the current attempt asked for
    std::uint64_t attempt_pos = 0;    // bytes seen in the current attempt
    auto fail_size = [&] {
        fail(Errc::integrity, impl_->session.context(call) + ": registry sent more than the expected " +
                                  std::to_string(size) + " bytes");
    };
    HttpRequest request{.url = impl_->path(repo, "/blobs/" + digest.str())};
    request.sink = [&](long status, std::string_view piece) {
        // A 206 continues where the last attempt stopped; a 200 starts over and
        // its first bytes, already delivered, are skipped.
        std::uint64_t at = (status == 206 ? attempt_start : 0) + attempt_pos;
        attempt_pos += piece.size();
        if (at < delivered) {
            std::uint64_t skip = std::min<std::uint64_t>(delivered - at, piece.size());
            piece.remove_prefix(static_cast<std::size_t>(skip));
            at += skip;
        }
        if (piece.empty()) return;
        if (at != delivered)
            fail(Errc::registry, impl_->session.context(call) + ": registry resumed at the wrong offset");
        if (delivered + piece.size() > size) fail_size();
        hasher.update(piece.data(), piece.size());
        if (sink) sink(piece.data(), piece.size());
        delivered += piece.size();
    };
    SendOptions options{.follow_redirects = true};
    options.before_retry = [&](HttpRequest& retry) {
        attempt_start = delivered;
        attempt_pos = 0;
        std::erase_if(retry.headers, [](const std::string& h) { return h.starts_with("Range:"); });
        if (delivered > 0) retry.headers.push_back("Range: bytes=" + std::to_string(delivered) + "-");
    };
    HttpResponse response = impl_->session.send(call, std::move(request), options);
    if (response.status != 200 && response.status != 206) impl_->session.fail_status(call, response);
    if (delivered != size)
        fail(Errc::integrity, impl_->session.context(call) + ": registry sent " + std::to_string(delivered) +
                                  " bytes, expected " + std::to_string(size));
    Digest actual = hasher.finish();
    if (actual != digest) fail(Errc::integrity, impl_->session.context(call) + ": content hashes to " + actual.str());
}

namespace {

// read_blob on a thread, its bytes through a pipe; the reader sees read_blob's
// own error (with its code) rather than the pipe's.
class BlobStream : public ByteSource {
public:
    // `owner`, when given, keeps `client` alive.
    BlobStream(RegistryClient& client, std::shared_ptr<RegistryClient> owner, std::string repo, Digest digest,
               std::uint64_t size)
        : client_(client), owner_(std::move(owner)) {
        thread_ = std::thread([this, repo = std::move(repo), digest, size] {
            try {
                client_.read_blob(repo, digest, size, [this](const char* data, std::size_t n) {
                    // Stops the download when the reader went away, instead of draining it.
                    if (closing_) fail(Errc::internal, "blob stream closed by its reader");
                    pipe_.write(data, n);
                });
                pipe_.close();
            } catch (const Error& e) {
                error_ = e;
                pipe_.abort(e.what());
            }
        });
    }
    ~BlobStream() override {
        closing_ = true;
        pipe_.abort("reader closed the stream");
        thread_.join();
    }
    std::size_t read(void* buf, std::size_t size) override {
        try {
            return pipe_.read(buf, size);
        } catch (const Error&) {
            if (error_) throw *error_;  // set before the abort that woke us
            throw;
        }
    }

private:
    RegistryClient& client_;
    std::shared_ptr<RegistryClient> owner_;
    BytePipe pipe_;
    std::optional<Error> error_;
    std::atomic<bool> closing_{false};
    std::thread thread_;
};

}  // namespace

std::unique_ptr<ByteSource> RegistryClient::open_blob(const std::string& repo, const Digest& digest,
                                                      std::uint64_t size) {
    return std::make_unique<BlobStream>(*this, nullptr, repo, digest, size);
}

std::unique_ptr<ByteSource> RegistryClient::open_blob(std::shared_ptr<RegistryClient> client, const std::string& repo,
                                                      const Digest& digest, std::uint64_t size) {
    RegistryClient& c = *client;
    return std::make_unique<BlobStream>(c, std::move(client), repo, digest, size);
}

PutManifestResult RegistryClient::put_manifest(const std::string& repo, const std::string& reference,
                                               const std::string& media_type, const std::string& bytes) {
    check_repo(host(), repo);
    check_reference(host(), repo, reference);
    Call call{"put manifest", repo, reference, {repository_scope(repo, "pull,push")}};
    HttpRequest request{.method = "PUT", .url = impl_->path(repo, "/manifests/" + reference)};
    request.headers = {"Content-Type: " + media_type};
    request.body = bytes;
    HttpResponse response = impl_->session.send(call, std::move(request));
    if (response.status < 200 || response.status > 299) impl_->session.fail_status(call, response);
    Digest digest = impl_->manifest_digest(call, response, reference, bytes);
    return PutManifestResult{digest, response.has_header("oci-subject")};
}

std::optional<ManifestInfo> RegistryClient::head_manifest(const std::string& repo, const std::string& reference) {
    Call call = impl_->pull("head manifest", repo, reference);
    check_reference(host(), repo, reference);
    HttpRequest request{.method = "HEAD", .url = impl_->path(repo, "/manifests/" + reference)};
    request.headers = {kManifestAccept};
    HttpResponse response = impl_->session.send(call, std::move(request));
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) impl_->session.fail_status(call, response);
    std::string answered = response.header("docker-content-digest");
    auto size = content_length(response);
    if (!Digest::valid(answered) || !size) {
        // Without a digest or a size in the answer, the bytes themselves tell.
        std::string bytes;
        return get_manifest(repo, reference, bytes);
    }
    if (Digest::valid(reference) && answered != reference)
        fail(Errc::integrity, impl_->session.context(call) + ": registry answered for " + answered);
    return ManifestInfo{Digest::parse(answered), media_type_of(response), *size};
}

std::optional<ManifestInfo> RegistryClient::get_manifest(const std::string& repo, const std::string& reference,
                                                         std::string& bytes) {
    Call call = impl_->pull("get manifest", repo, reference);
    check_reference(host(), repo, reference);
    HttpRequest request{.url = impl_->path(repo, "/manifests/" + reference)};
    request.headers = {kManifestAccept};
    HttpResponse response = impl_->session.send(call, std::move(request));
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) impl_->session.fail_status(call, response);
    bytes = std::move(response.body);
    Digest digest = impl_->manifest_digest(call, response, reference, bytes);
    return ManifestInfo{digest, media_type_of(response), bytes.size()};
}

void RegistryClient::delete_manifest(const std::string& repo, const Digest& digest) {
    check_repo(host(), repo);
    Call call{"delete manifest", repo, digest.str(), {repository_scope(repo, "delete")}};
    HttpRequest request{.method = "DELETE", .url = impl_->path(repo, "/manifests/" + digest.str())};
    HttpResponse response = impl_->session.send(call, std::move(request));
    if (response.status < 200 || response.status > 299) impl_->session.fail_status(call, response);
}

// The strings of a paginated list answer's `field` (tags/list, _catalog), every page, sorted.
// Lexical order, whatever the registry's (distribution 2.8 answers in storage order).
std::vector<std::string> RegistryClient::Impl::list_pages(const Call& call, std::string url, const char* field) {
    std::vector<std::string> items;
    for (unsigned page = 0; !url.empty(); ++page) {
        if (page > 100000) fail(Errc::registry, session.context(call) + ": endless " + field + " list pagination");
        HttpResponse response = session.send(call, HttpRequest{.url = url});
        // A repository nobody pushed to yet has no tags.
        if (response.status == 404 && page == 0) return {};
        if (response.status != 200) session.fail_status(call, response);
        Json body = Json::parse(response.body, nullptr, false);
        if (!body.is_object()) fail(Errc::registry, session.context(call) + ": answer is not a JSON object");
        if (auto it = body.find(field); it != body.end() && !it->is_null()) {
            if (!it->is_array()) fail(Errc::registry, session.context(call) + ": '" + field + "' is not an array");
            for (const auto& t : *it) {
                if (!t.is_string())
                    fail(Errc::registry, session.context(call) + ": an item of '" + field + "' is not a string");
                items.push_back(t.get<std::string>());
            }
        }
        std::string next = next_link(response);
        url = next.empty() ? "" : resolve_url(url, next);
    }
    std::sort(items.begin(), items.end());
    return items;
}

std::vector<std::string> RegistryClient::list_tags(const std::string& repo) {
    Call call = impl_->pull("list tags", repo, "");
    return impl_->list_pages(call, add_query(impl_->path(repo, "/tags/list"), "n", "1000"), "tags");
}

std::vector<std::string> RegistryClient::catalog() {
    Call call{"list repositories", "", "", {"registry:catalog:*"}};
    return impl_->list_pages(call, add_query(impl_->session.url("/v2/_catalog"), "n", "1000"), "repositories");
}

std::optional<std::string> RegistryClient::referrers(const std::string& repo, const Digest& digest) {
    Call call = impl_->pull("list referrers", repo, digest.str());
    HttpRequest request{.url = impl_->path(repo, "/referrers/" + digest.str())};
    request.headers = {std::string("Accept: ") + mt::oci_index};
    HttpResponse response = impl_->session.send(call, std::move(request));
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) impl_->session.fail_status(call, response);
    return std::move(response.body);
}

std::optional<std::string> RegistryClient::referrer_index(const std::string& repo, const Digest& subject) {
    if (auto listing = referrers(repo, subject)) return listing;
    std::string bytes;
    if (get_manifest(repo, referrers_fallback_tag(subject), bytes)) return bytes;
    return std::nullopt;
}

std::string referrers_fallback_tag(const Digest& subject) { return "sha256-" + std::string(subject.hex()); }

RegistryClient::Stats RegistryClient::stats() const {
    const auto& c = impl_->session.counters;
    return Stats{c.blobs_uploaded, c.blobs_skipped, c.blobs_mounted, c.bytes_uploaded, c.retries, c.requests};
}

}  // namespace sealift::registry
