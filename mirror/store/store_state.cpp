#include "mirror/store/store_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/file.hpp"

namespace sealift::mirror::store {
using manifests::Descriptor;
namespace fs = std::filesystem;

void create_layout(const StorePaths& p) {
    std::error_code ec;
    // blobs/sha256 last: it is what makes the folder a store (is_store), so an interrupted
    // creation never leaves a store lacking a folder.
    for (const auto& dir : {p.root / "tmp", p.releases(), p.root / "trust", p.root / "blobs" / "sha256"}) {
        fs::create_directories(dir, ec);
        if (ec) fail(Errc::io, dir.string() + ": cannot create folder: " + ec.message());
    }
}

bool is_store(const StorePaths& p) {
    std::error_code ec;
    return fs::is_directory(p.root / "blobs" / "sha256", ec);
}

Json descriptor_json(const Descriptor& d) {
    Json j = {{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
    if (!d.artifact_type.empty()) j["artifactType"] = d.artifact_type;
    if (!d.annotations.empty()) j["annotations"] = d.annotations;
    return j;
}

Descriptor descriptor_from_json(const Json& j, const std::string& what) {
    Descriptor d;
    d.media_type = json_string(j, "mediaType", what);
    d.digest = Digest::parse(json_string(j, "digest", what));
    d.size = json_uint(j, "size", what);
    if (j.contains("artifactType")) d.artifact_type = json_string(j, "artifactType", what);
    if (j.contains("annotations")) d.annotations = j.at("annotations").get<std::map<std::string, std::string>>();
    return d;
}

Json ReleaseContent::to_json() const {
    Json repos = Json::object();
    for (const auto& [name, r] : repositories) {
        Json tags = Json::object(), manifests = Json::array(), blobs = Json::object(), referrers = Json::object();
        for (const auto& [tag, d] : r.tags) tags[tag] = descriptor_json(d);
        for (const auto& [digest, d] : r.manifests) manifests.push_back(descriptor_json(d));
        for (const auto& [digest, size] : r.blobs) blobs[digest.str()] = size;
        for (const auto& [subject, list] : r.referrers)
            for (const auto& d : list) referrers[subject.str()].push_back(descriptor_json(d));
        repos[name] = {{"tags", tags}, {"manifests", manifests}, {"blobs", blobs}, {"referrers", referrers}};
    }
    Json arts = Json::array();
    for (const auto& a : artifacts)
        arts.push_back({{"kind", a.kind},
                        {"source", a.source},
                        {"repository", a.repository},
                        {"reference", a.reference},
                        {"digest", a.digest.str()}});
    return {{"repositories", repos}, {"artifacts", arts}};
}

ReleaseContent ReleaseContent::from_json(const Json& j, const std::string& what) {
    ReleaseContent c;
    try {
        for (const auto& [name, r] : json_field(j, "repositories", what).items()) {
            std::string at = what + ": repository " + name;
            Repository repo;
            for (const auto& [tag, d] : json_field(r, "tags", at).items()) repo.tags[tag] = descriptor_from_json(d, at);
            for (const auto& d : json_field(r, "manifests", at)) {
                auto desc = descriptor_from_json(d, at);
                repo.manifests[desc.digest] = desc;
            }
            for (const auto& [digest, size] : json_field(r, "blobs", at).items())
                repo.blobs[Digest::parse(digest)] = size.get<std::uint64_t>();
            for (const auto& [subject, list] : json_field(r, "referrers", at).items())
                for (const auto& d : list)
                    repo.referrers[Digest::parse(subject)].push_back(descriptor_from_json(d, at));
            c.repositories.emplace(name, std::move(repo));
        }
        for (const auto& a : json_field(j, "artifacts", what))
            c.artifacts.push_back({json_string(a, "kind", what), json_string(a, "source", what),
                                   json_string(a, "repository", what), json_string(a, "reference", what),
                                   Digest::parse(json_string(a, "digest", what))});
    } catch (const Json::exception& e) {
        fail(Errc::format, what + ": " + e.what());
    } catch (const Error& e) {
        rethrow_with_context(e, what);
    }
    return c;
}

const ReleaseEntry* State::find(const std::string& name, const std::string& channel, const std::string& version) const {
    for (const auto& r : releases)
        if (r.name == name && r.channel == channel && r.version == version) return &r;
    return nullptr;
}

const ReleaseEntry* State::find(const Digest& manifest) const {
    for (const auto& r : releases)
        if (r.manifest_digest == manifest) return &r;
    return nullptr;
}

const ReleaseEntry* State::current_of(const std::string& name, const std::string& channel) const {
    auto it = current.find(channel_key(name, channel));
    return it == current.end() ? nullptr : find(it->second);
}

State State::load(const StorePaths& paths) {
    State s;
    std::error_code ec;
    if (!fs::exists(paths.state(), ec)) return s;
    std::string what = paths.state().string();
    Json j = parse_json_strict(read_small_file(paths.state(), 256u << 20), what);
    try {
        s.generation = json_uint(j, "generation", what);
        s.next_sequence = json_uint(j, "nextSequence", what);
        for (const auto& r : json_field(j, "releases", what)) {
            ReleaseEntry e{
                json_string(r, "name", what),       json_string(r, "version", what),
                json_string(r, "channel", what),    Digest::parse(json_string(r, "manifestDigest", what)),
                json_string(r, "importedAt", what), json_field(r, "signers", what).get<std::vector<std::string>>(),
                json_uint(r, "sequence", what)};
            s.releases.push_back(std::move(e));
        }
        for (const auto& [key, digest] : json_field(j, "current", what).items())
            s.current[key] = Digest::parse(digest.get<std::string>());
        for (const auto& c : json_field(j, "cached", what)) {
            CachedManifest m{json_string(c, "repository", what),
                             json_string(c, "reference", what),
                             descriptor_from_json(json_field(c, "manifest", what), what),
                             {}};
            for (const auto& [digest, size] : json_field(c, "blobs", what).items())
                m.blobs[Digest::parse(digest)] = size.get<std::uint64_t>();
            s.cached.push_back(std::move(m));
        }
        for (const auto& [digest, when] : json_field(j, "gcMarks", what).items())
            s.gc_marks[Digest::parse(digest)] = when.get<std::string>();
        if (j.contains("timeFloor")) s.time_floor = parse_time(json_string(j, "timeFloor", what));
    } catch (const Json::exception& e) {
        fail(Errc::format, what + ": " + e.what());
    } catch (const Error& e) {
        rethrow_with_context(e, what);
    }
    return s;
}

void State::commit(const StorePaths& paths) {
    ++generation;
    Json rels = Json::array(), cur = Json::object(), cache = Json::array(), marks = Json::object();
    for (const auto& r : releases)
        rels.push_back({{"name", r.name},
                        {"version", r.version},
                        {"channel", r.channel},
                        {"manifestDigest", r.manifest_digest.str()},
                        {"importedAt", r.imported_at},
                        {"signers", r.signer_keyids},
                        {"sequence", r.sequence}});
    for (const auto& [key, digest] : current) cur[key] = digest.str();
    for (const auto& c : cached) {
        Json blobs = Json::object();
        for (const auto& [digest, size] : c.blobs) blobs[digest.str()] = size;
        cache.push_back({{"repository", c.repository},
                         {"reference", c.reference},
                         {"manifest", descriptor_json(c.manifest)},
                         {"blobs", blobs}});
    }
    for (const auto& [digest, when] : gc_marks) marks[digest.str()] = when;
    Json j = {{"format", 1},      {"generation", generation}, {"nextSequence", next_sequence},
              {"releases", rels}, {"current", cur},           {"cached", cache},
              {"gcMarks", marks}};
    if (time_floor) j["timeFloor"] = format_time(*time_floor);
    write_file_atomically(paths.state(), dump_json_safe(j, 1) + "\n");
}

StoreLock::StoreLock(const StorePaths& paths) {
    fd_ = ::open(paths.lock().c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) fail(Errc::io, paths.lock().string() + ": cannot open the store's lock: " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd_);
        fail(Errc::io, paths.lock().string() + ": cannot lock: " + std::strerror(err));
    }
}

StoreLock::~StoreLock() { ::close(fd_); }

}  // namespace sealift::mirror::store
