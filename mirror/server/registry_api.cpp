#include "mirror/server/registry_api.hpp"

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "manifests/media_types.hpp"
#include "manifests/reference.hpp"
#include "mirror/http/byte_ranges.hpp"
#include "mirror/server/names.hpp"
#include "mirror/server/registry_error.hpp"
#include "mirror/store/corrupt_blobs.hpp"

namespace sealift::mirror::server {
namespace {

constexpr std::size_t manifest_cache_budget = 32u << 20;
constexpr std::size_t max_page = 10000;
namespace mt = manifests::media_type;

std::string quoted(const Digest& d) { return "\"" + d.str() + "\""; }

// ETag comparison for If-None-Match / If-Range: a list of (weak or strong) tags, or "*".
bool etag_matches(std::optional<std::string_view> header, const std::string& etag) {
    if (!header) return false;
    if (*header == "*") return true;
    return http::visit_list(*header, [&](std::string_view item) {
        if (item.starts_with("W/")) item.remove_prefix(2);
        return item == etag;
    });
}

// The n= of a paginated list: nullopt when absent; PAGINATION_NUMBER_INVALID when not a number.
std::optional<std::size_t> page_size(const http::Request& request) {
    auto n = request.query_param("n");
    if (!n) return std::nullopt;
    std::size_t value = 0;
    auto [p, ec] = std::from_chars(n->data(), n->data() + n->size(), value);
    if (n->empty() || ec != std::errc() || p != n->data() + n->size())
        throw RegistryError{400, "PAGINATION_NUMBER_INVALID", "n='" + *n + "' is not a whole number", {{"n", *n}}};
    return std::min(value, max_page);
}

// One page of a sorted list after `last`; sets `more` when entries remain.
std::vector<std::string> page(const std::vector<std::string>& sorted, const http::Request& request, bool& more) {
    auto n = page_size(request);
    auto last = request.query_param("last");
    auto it = last ? std::upper_bound(sorted.begin(), sorted.end(), *last) : sorted.begin();
    std::size_t available = static_cast<std::size_t>(sorted.end() - it);
    std::size_t count = n ? std::min(*n, available) : std::min(available, max_page);
    more = count < available && count > 0;
    return std::vector<std::string>(it, it + static_cast<std::ptrdiff_t>(count));
}

void set_link(http::Response& response, const std::string& path, std::size_t n, const std::string& last,
              const std::string& ns) {
    std::string link = "<" + path + "?n=" + std::to_string(n) + "&last=" + percent_encode(last);
    if (!ns.empty()) link += "&ns=" + percent_encode(ns);
    response.set_header("Link", link + ">; rel=\"next\"");
}

// Query parameters are text: bytes that are not UTF-8 once decoded (?ns=%ff%fe) are refused
// before any handler compares them or echoes them into JSON, and the answer names them
// percent-encoded, as they were sent.
void check_query_text(const http::Request& request) {
    for (std::string name : {"n", "last", "ns", "artifactType"})
        for (const auto& value : request.query_params(name))
            if (!valid_utf8(value)) {
                std::string code = name == "n"    ? "PAGINATION_NUMBER_INVALID"
                                   : name == "ns" ? "NAME_INVALID"
                                                  : "UNSUPPORTED";
                std::string sent = percent_encode(value);
                throw RegistryError{
                    400, code, "query parameter " + name + "='" + sent + "' is not UTF-8 text", {{name, sent}}};
            }
}

// The 404 for a blob or manifest the store knows is corrupt: never its bytes.
RegistryError corrupt_error(const Digest& digest, const std::string& kind, const std::string& name) {
    return RegistryError{404,
                         kind == "manifest" ? "MANIFEST_UNKNOWN" : "BLOB_UNKNOWN",
                         kind + " " + digest.str() + " of repository '" + name +
                             "' is corrupt in this mirror's store and is not served (sealift mirror fsck)",
                         {{"name", name}, {"digest", digest.str()}}};
}

void set_json(http::Response& response, const Json& body, const std::string& type = mt::json) {
    response.set_body(dump_json_safe(body), type);
}

}  // namespace

void write_registry_error(http::Response& response, const RegistryError& error) {
    response.status = error.status;
    Json entry = {{"code", error.code}, {"message", error.message}, {"detail", error.detail}};
    set_json(response, Json{{"errors", Json::array({entry})}});
}

RegistryApi::RegistryApi(SnapshotSource snapshots, std::string default_registry,
                         std::shared_ptr<store::CorruptBlobs> corrupt)
    : snapshots_(std::move(snapshots)), resolver_(std::move(default_registry)), corrupt_(std::move(corrupt)) {}

void RegistryApi::refuse_if_flagged(const store::Snapshot& snapshot, const Digest& digest, const std::string& kind,
                                    const std::string& name) const {
    if (!store::flagged_corrupt(snapshot.blob_path(digest))) return;
    if (corrupt_) {
        try {
            corrupt_->refused(digest, kind + " " + name + "@" + digest.str());
        } catch (const Error&) {
            // The refusal stands without its audit line (a read-only store); the metric counted it.
        }
    }
    throw corrupt_error(digest, kind, name);
}

void RegistryApi::found_corrupt(const store::Snapshot& snapshot, const Digest& digest, const std::string& kind,
                                const std::string& name, const std::string& problem, Json details) const {
    if (corrupt_) {
        try {
            corrupt_->flag(digest, "serve", snapshot.blob_path(digest).string() + ": " + problem, std::move(details));
        } catch (const Error&) {
            // Not flagged (a read-only store): the next request finds the same and refuses it again.
        }
    }
    throw corrupt_error(digest, kind, name);
}

void RegistryApi::handle(const http::Request& request, http::Response& response) const {
    response.set_header("Docker-Distribution-API-Version", "registry/2.0");
    try {
        serve(request, response);
    } catch (const RegistryError& e) {
        response.body.clear();
        for (auto it = response.headers.begin(); it != response.headers.end();)
            it = (http::iequals(it->first, "Docker-Distribution-API-Version") ||
                  http::iequals(it->first, "OCI-Namespace"))
                     ? it + 1
                     : response.headers.erase(it);
        write_registry_error(response, e);
        if (e.status == 405) response.set_header("Allow", "GET, HEAD");  // RFC 9110 15.5.6
    }
}

void RegistryApi::serve(const http::Request& request, http::Response& response) const {
    bool read = request.method == "GET" || request.method == "HEAD";
    if (!read) {
        response.route = "unsupported";
        throw RegistryError{405,
                            "UNSUPPORTED",
                            request.method + " " + request.path +
                                ": this mirror is read-only; content arrives through `sealift mirror import`",
                            {{"method", request.method}}};
    }
    check_query_text(request);
    if (request.path == "/v2/" || request.path == "/v2") {
        response.route = "base";
        set_json(response, Json::object());
        return;
    }
    auto snapshot = snapshots_();
    if (!snapshot) throw RegistryError{503, "UNAVAILABLE", "the store is not open yet", Json::object()};
    if (request.path == "/v2/_catalog") {
        response.route = "catalog";
        catalog(request, response, *snapshot);
        return;
    }
    auto parts = split_registry_path(request.path);
    static const char* const kinds[] = {"manifests", "blobs", "tags", "referrers"};
    if (!parts || std::find(std::begin(kinds), std::end(kinds), parts->kind) == std::end(kinds) ||
        (parts->kind == "tags" && parts->reference != "list") || parts->reference.empty()) {
        response.route = "unknown";
        throw RegistryError{404, "UNSUPPORTED", "no registry endpoint at " + request.path, {{"path", request.path}}};
    }
    response.route = parts->kind;
    if (!manifests::valid_repository_name(parts->name))
        throw RegistryError{
            400, "NAME_INVALID", "invalid repository name '" + parts->name + "'", {{"name", parts->name}}};

    std::string ns = request.query_param("ns").value_or("");
    if (!ns.empty()) {
        std::transform(ns.begin(), ns.end(), ns.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; });
        if (!valid_namespace_host(ns))
            throw RegistryError{400,
                                "NAME_INVALID",
                                "invalid namespace '" + ns + "': expected a registry HOST[:PORT]",
                                {{"namespace", ns}}};
        response.set_header("OCI-Namespace", ns);
    }
    std::string key = resolver_.resolve(snapshot, parts->name, ns);

    if (parts->kind == "manifests")
        manifest(response, *snapshot, parts->name, key, parts->reference, request);
    else if (parts->kind == "blobs")
        blob(request, response, *snapshot, parts->name, key, parts->reference);
    else if (parts->kind == "tags")
        tags(request, response, *snapshot, parts->name, key);
    else
        referrers(request, response, *snapshot, key, parts->reference);
}

void RegistryApi::catalog(const http::Request& request, http::Response& response,
                          const store::Snapshot& snapshot) const {
    bool more = false;
    auto names = page(snapshot.repositories(), request, more);
    if (more) set_link(response, "/v2/_catalog", names.size(), names.back(), "");
    set_json(response, Json{{"repositories", names}});
}

void RegistryApi::tags(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
                       const std::string& name, const std::string& key) const {
    bool more = false;
    auto list = page(snapshot.tags(key), request, more);
    if (more)
        set_link(response, "/v2/" + name + "/tags/list", list.size(), list.back(),
                 request.query_param("ns").value_or(""));
    set_json(response, Json{{"name", name}, {"tags", list}});
}

std::shared_ptr<const std::string> RegistryApi::manifest_bytes(const store::Snapshot& snapshot,
                                                               const manifests::Descriptor& d,
                                                               const std::string& name) const {
    {
        std::lock_guard lock(cache_mutex_);
        if (auto it = manifest_cache_.find(d.digest); it != manifest_cache_.end()) return it->second;
    }
    auto bytes = std::make_shared<const std::string>(read_small_file(snapshot.blob_path(d.digest), 16u << 20));
    // Read once per cache fill, so hashing it costs nothing per request.
    if (bytes->size() != d.size)
        found_corrupt(
            snapshot, d.digest, "manifest", name,
            "manifest is " + std::to_string(bytes->size()) + " bytes, the store records " + std::to_string(d.size),
            Json{{"size", bytes->size()}, {"recordedSize", d.size}});
    if (Digest actual = Sha256::of(*bytes); actual != d.digest)
        found_corrupt(snapshot, d.digest, "manifest", name, "manifest hashes to " + actual.str(),
                      Json{{"actualDigest", actual.str()}, {"size", bytes->size()}});
    std::lock_guard lock(cache_mutex_);
    if (cache_bytes_ + bytes->size() > manifest_cache_budget) {
        manifest_cache_.clear();
        cache_bytes_ = 0;
    }
    if (manifest_cache_.emplace(d.digest, bytes).second) cache_bytes_ += bytes->size();
    return bytes;
}

void RegistryApi::manifest(http::Response& response, const store::Snapshot& snapshot, const std::string& name,
                           const std::string& key, const std::string& reference, const http::Request& request) const {
    std::optional<manifests::Descriptor> found;
    if (reference.find(':') != std::string::npos) {
        if (!Digest::valid(reference))
            throw RegistryError{400,
                                "DIGEST_INVALID",
                                "invalid digest '" + reference + "' for repository '" + name + "'",
                                {{"digest", reference}}};
        found = snapshot.resolve_digest(key, Digest::parse(reference));
    } else {
        // A tag no push could have made names no manifest: the spec's answer to a pull of a
        // missing manifest is 404 MANIFEST_UNKNOWN, whatever the reason it is missing.
        if (manifests::valid_tag(reference)) found = snapshot.resolve_tag(key, reference);
    }
    if (!found)
        throw RegistryError{404,
                            "MANIFEST_UNKNOWN",
                            "manifest '" + reference + "' is not in repository '" + name + "'",
                            {{"name", name}, {"reference", reference}}};
    refuse_if_flagged(snapshot, found->digest, "manifest", name);
    std::string etag = quoted(found->digest);
    response.set_header("Docker-Content-Digest", found->digest.str());
    response.set_header("ETag", etag);
    if (etag_matches(request.header("if-none-match"), etag)) {
        response.status = 304;
        return;
    }
    response.set_body(*manifest_bytes(snapshot, *found, name), found->media_type);
}

void RegistryApi::blob(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
                       const std::string& name, const std::string& key, const std::string& reference) const {
    if (!Digest::valid(reference))
        throw RegistryError{400,
                            "DIGEST_INVALID",
                            "invalid digest '" + reference + "' for repository '" + name + "'",
                            {{"digest", reference}}};
    Digest digest = Digest::parse(reference);
    auto size = snapshot.blob_size(key, digest);
    if (!size)
        throw RegistryError{404,
                            "BLOB_UNKNOWN",
                            "blob " + reference + " is not in repository '" + name + "'",
                            {{"name", name}, {"digest", reference}}};
    refuse_if_flagged(snapshot, digest, "blob", name);
    std::string etag = quoted(digest);
    response.set_header("Docker-Content-Digest", digest.str());
    response.set_header("ETag", etag);
    response.set_header("Accept-Ranges", "bytes");
    response.set_header("Cache-Control", "public, max-age=31536000, immutable");
    if (etag_matches(request.header("if-none-match"), etag)) {
        response.status = 304;
        return;
    }
    // Sent with sendfile, so not hashed here: a blob of the recorded size is served
    // as it is (the scrubber and fsck read it back), one of another size never.
    auto file = std::make_shared<const File>(File::open_regular(snapshot.blob_path(digest)));
    if (file->size() != *size)
        found_corrupt(snapshot, digest, "blob", name,
                      "blob is " + std::to_string(file->size()) + " bytes, the store records " + std::to_string(*size),
                      Json{{"size", file->size()}, {"recordedSize", *size}});

    http::RangeRequest ranges;
    auto range_header = request.header("range");
    auto if_range = request.header("if-range");
    if (range_header && (!if_range || *if_range == etag)) ranges = http::parse_range(*range_header, *size);
    const std::string total = std::to_string(*size);
    if (ranges.kind == http::RangeRequest::unsatisfiable) {
        response.status = 416;
        response.set_header("Content-Range", "bytes */" + total);
        return;
    }
    if (ranges.kind == http::RangeRequest::whole) {
        response.set_header("Content-Type", mt::octet_stream);
        response.add_file_range(std::move(file), 0, *size);
        return;
    }
    response.status = 206;
    if (ranges.ranges.size() == 1) {
        const http::ByteRange& r = ranges.ranges.front();
        response.set_header("Content-Type", mt::octet_stream);
        response.set_header("Content-Range",
                            "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + total);
        response.add_file_range(std::move(file), r.first, r.length());
        return;
    }
    // The boundary must not occur in the parts: a digest's hex never holds '_'.
    const std::string boundary = "sealift_" + std::string(digest.hex().substr(0, 16)) + "_byteranges";
    response.set_header("Content-Type", "multipart/byteranges; boundary=" + boundary);
    for (const http::ByteRange& r : ranges.ranges) {
        response.body.push_back(
            http::BodyPart{"\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes " +
                           std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + total + "\r\n\r\n"});
        response.add_file_range(file, r.first, r.length());
    }
    response.body.push_back(http::BodyPart{"\r\n--" + boundary + "--\r\n"});
}

void RegistryApi::referrers(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
                            const std::string& key, const std::string& reference) const {
    if (!Digest::valid(reference))
        throw RegistryError{
            400, "DIGEST_INVALID", "invalid subject digest '" + reference + "'", {{"digest", reference}}};
    auto artifact_type = request.query_param("artifactType").value_or("");
    Json manifests = Json::array();
    for (const auto& d : snapshot.referrers(key, Digest::parse(reference), artifact_type)) {
        Json entry = {{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
        if (!d.artifact_type.empty()) entry["artifactType"] = d.artifact_type;
        if (!d.annotations.empty()) entry["annotations"] = d.annotations;
        manifests.push_back(std::move(entry));
    }
    if (!artifact_type.empty()) response.set_header("OCI-Filters-Applied", "artifactType");
    set_json(response, Json{{"schemaVersion", 2}, {"mediaType", mt::oci_index}, {"manifests", manifests}},
             mt::oci_index);
}

}  // namespace sealift::mirror::server
