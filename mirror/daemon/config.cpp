// The daemon's config: one table of keys drives the YAML reader, the
// environment overrides and --help, so the three can never disagree.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <set>

#include "core/byte_size.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/time.hpp"
#include "manifests/reference.hpp"
#include "mirror/daemon/daemon.hpp"
#include "mirror/daemon/listen_address.hpp"

extern char** environ;

namespace sealift::mirror::daemon {
namespace {

namespace fs = std::filesystem;

using Setter = std::function<void(DaemonConfig&, const std::string& value, const fs::path& base)>;

struct Key {
    const char* path;  // "admin.listen": YAML path; the variable is SEALIFT_MIRROR_ADMIN_LISTEN
    const char* value_help;
    const char* help;
    Setter set;
};

constexpr const char* env_prefix = "SEALIFT_MIRROR_";

std::string env_name(const std::string& key_path) {
    std::string out = env_prefix;
    for (char c : key_path) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

fs::path resolve_path(const std::string& value, const fs::path& base) {
    if (value.empty()) fail(Errc::usage, "empty path");
    fs::path p(value);
    return p.is_absolute() || base.empty() ? p : base / p;
}

std::uint64_t parse_count(const std::string& value, std::uint64_t min, std::uint64_t max) {
    bool digits = !value.empty() && value.size() <= 12 && std::all_of(value.begin(), value.end(), ::isdigit);
    std::uint64_t n = digits ? std::stoull(value) : 0;
    if (!digits || n < min || n > max)
        fail(Errc::usage,
             "'" + value + "' is not a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return n;
}

std::chrono::seconds parse_seconds(const std::string& value) {
    auto d = parse_duration(value);
    if (d.count() <= 0) fail(Errc::usage, "duration '" + value + "' must be positive");
    return d;
}

std::string checked_address(const std::string& value) {
    ListenAddress::parse(value);
    return value;
}

void check_upstream_url(const std::string& url) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        fail(Errc::usage, "upstream URL '" + url + "' must start with https:// or http://");
    auto rest = url.substr(url.find("://") + 3);
    if (rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos)
        fail(Errc::usage, "upstream URL '" + url + "' must be SCHEME://HOST[:PORT] with no path or credentials");
}

// A host as references name it (manifests::domain_problem), in lower case: the
// registry API lower-cases the ?ns= it is asked for, so an upper-case host would never match.
void check_registry_host(const std::string& host) {
    std::string why = manifests::domain_problem(host);
    bool lower = std::none_of(host.begin(), host.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!why.empty() || !lower)
        fail(Errc::usage,
             "'" + host + "' is not a registry host (lower-case HOST[:PORT])" + (why.empty() ? "" : ": " + why));
}

const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"listen", "HOST:PORT", "anonymous registry (pull) listener; port 0 picks a free one (default 127.0.0.1:5000)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.listen = checked_address(v); }},
        {"store", "DIR", "the store folder, made by `sealift mirror init --store DIR` (or create_store); required",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.store = resolve_path(v, b); }},
        {"create_store", "BOOL",
         "true: the first start creates the store when its folder is missing or empty (default false: a folder "
         "that is not a store is refused)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) {
             if (v != "true" && v != "false") fail(Errc::usage, "'" + v + "' is not true or false");
             c.create_store = v == "true";
         }},
        {"drop_folder", "DIR", "incoming folder watched for bundles; imported/ and rejected/ are made inside it",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.drop_folder = resolve_path(v, b); }},
        {"import_folder", "DIR", "another folder the admin API may import bundles from (besides the drop folder)",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.import_folder = resolve_path(v, b); }},
        {"trust_root", "FILE", "trust root (trust.json) pinned into a new store at its first import",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.trust_root = resolve_path(v, b); }},
        {"default_registry", "HOST", "registry host tried first for a path without host",
         [](DaemonConfig& c, const std::string& v, const fs::path&) {
             check_registry_host(v);
             c.default_registry = v;
         }},
        {"tls.cert", "FILE", "PEM certificate chain; with tls.key, both listeners speak HTTPS only",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.tls_cert = resolve_path(v, b); }},
        {"tls.key", "FILE", "PEM private key of tls.cert",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.tls_key = resolve_path(v, b); }},
        {"admin.listen", "HOST:PORT", "admin API listener; never the registry's address (default: no admin API)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.admin_listen = checked_address(v); }},
        {"admin.token_file", "FILE", "file holding the admin API's bearer token (first line, at least 16 characters)",
         [](DaemonConfig& c, const std::string& v, const fs::path& b) { c.admin_token_file = resolve_path(v, b); }},
        {"log_level", "LEVEL", "debug, info, warn or error (default info); logs are JSON lines on stderr",
         [](DaemonConfig& c, const std::string& v, const fs::path&) {
             if (v != "debug" && v != "info" && v != "warn" && v != "error")
                 fail(Errc::usage, "'" + v + "' is not one of debug, info, warn, error");
             c.log_level = v;
         }},
        {"limits.threads", "N", "event loops serving requests (default 0: one per core)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.threads = parse_count(v, 0, 256); }},
        {"limits.max_connections", "N", "open connections beyond which clients get 503 (default 4096)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) {
             c.max_connections = parse_count(v, 1, 1'000'000);
         }},
        {"limits.idle_timeout", "DURATION", "close keep-alive connections idle this long (default 60s)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.idle_timeout = parse_seconds(v); }},
        {"limits.header_timeout", "DURATION", "a request's headers must arrive within this (default 10s)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.header_timeout = parse_seconds(v); }},
        {"limits.drain_timeout", "DURATION", "on SIGTERM, time given to requests in flight (default 10s)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.drain_timeout = parse_seconds(v); }},
        {"limits.settle_time", "DURATION",
         "a drop-folder file not named *.part is taken once its size and mtime "
         "stayed the same this long (default 2s)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.settle_time = parse_seconds(v); }},
        {"scrub.interval", "DURATION",
         "the background scrub reads every blob back once per this period, flagging corrupt ones (default 7d)",
         [](DaemonConfig& c, const std::string& v, const fs::path&) { c.scrub_interval = parse_seconds(v); }},
        {"scrub.max_bytes_per_second", "SIZE",
         "the scrub's read rate at most, e.g. 20MB, 50MiB (default 20MB); 0 turns the background scrub off",
         [](DaemonConfig& c, const std::string& v, const fs::path&) {
             auto rate = parse_byte_size(v);
             if (!rate) fail(Errc::usage, "'" + v + "' is not a size (20MB, 50MiB, 0)");
             c.scrub_max_bytes_per_second = *rate;
         }},
    };
    return table;
}

const Key* find_key(const std::string& path) {
    for (const auto& k : keys())
        if (path == k.path) return &k;
    return nullptr;
}

// Walks the YAML document; remembers where each key was set for later cross-key errors.
class YamlReader {
public:
    YamlReader(fs::path file, DaemonConfig& config, std::map<std::string, std::string>& where)
        : file_(std::move(file)), config_(config), where_(where) {}

    void read() {
        YAML::Node root;
        try {
            root = YAML::Load(read_small_file(file_, 1u << 20));
        } catch (const YAML::Exception& e) {
            fail(Errc::usage, file_.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                                  std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
        }
        if (root.IsNull()) return;
        mapping(root, "");
    }

private:
    std::string at(const YAML::Node& node) const {
        auto m = node.Mark();
        return file_.string() + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    }
    [[noreturn]] void error(const YAML::Node& node, const std::string& key, const std::string& reason) const {
        fail(Errc::usage, at(node) + ": " + (key.empty() ? "" : "key '" + key + "': ") + reason);
    }

    void mapping(const YAML::Node& map, const std::string& prefix) {
        if (!map.IsMap()) error(map, prefix, "must be a mapping");
        std::set<std::string> seen;
        for (const auto& kv : map) {
            std::string name = kv.first.Scalar();
            std::string path = prefix.empty() ? name : prefix + "." + name;
            if (!seen.insert(name).second) error(kv.first, path, "appears twice");
            if (path == "upstreams") {
                upstreams(kv.second);
            } else if (path == "tls" || path == "admin" || path == "limits" || path == "scrub") {
                mapping(kv.second, path);
            } else if (const Key* key = find_key(path)) {
                if (!kv.second.IsScalar()) error(kv.second, path, "must be a single value");
                set(*key, kv.second.Scalar(), kv.second);
            } else {
                error(kv.first, path, "unknown key (see `sealift mirror serve --help`)");
            }
        }
    }

    void set(const Key& key, const std::string& value, const YAML::Node& node) {
        try {
            key.set(config_, value, file_.parent_path());
        } catch (const Error& e) {
            error(node, key.path, e.what());
        }
        where_[key.path] = at(node);
    }

    void upstreams(const YAML::Node& map) {
        if (!map.IsMap()) error(map, "upstreams", "must be a mapping of registry host to upstream");
        for (const auto& kv : map) {
            std::string host = kv.first.Scalar();
            std::string path = "upstreams." + host;
            try {
                check_registry_host(host);
            } catch (const Error& e) {
                error(kv.first, path, e.what());
            }
            if (config_.upstreams.count(host)) error(kv.first, path, "appears twice");
            const auto& node = kv.second;
            if (!node.IsMap()) error(node, path, "must be a mapping with url, ca_file, username, password_file");
            UpstreamConfig up;
            std::set<std::string> seen;
            for (const auto& field : node) {
                std::string name = field.first.Scalar();
                std::string fpath = path + "." + name;
                if (!seen.insert(name).second) error(field.first, fpath, "appears twice");
                if (!field.second.IsScalar()) error(field.second, fpath, "must be a single value");
                std::string value = field.second.Scalar();
                if (name != "url" && name != "ca_file" && name != "username" && name != "password_file")
                    error(field.first, fpath, "unknown key (url, ca_file, username, password_file)");
                try {
                    if (name == "url") {
                        check_upstream_url(value);
                        up.url = value;
                    } else if (name == "ca_file") {
                        up.ca_file = resolve_path(value, file_.parent_path());
                    } else if (name == "username") {
                        up.username = value;
                    } else {
                        up.password_file = resolve_path(value, file_.parent_path());
                    }
                } catch (const Error& e) {
                    error(field.second, fpath, e.what());
                }
            }
            if (up.url.empty()) error(node, path, "needs a url");
            config_.upstreams[host] = up;
            where_["upstreams"] = at(map);
        }
    }

    fs::path file_;
    DaemonConfig& config_;
    std::map<std::string, std::string>& where_;
};

void apply_environment(DaemonConfig& config, const std::map<std::string, std::string>& environment,
                       std::map<std::string, std::string>& where) {
    for (const auto& [name, value] : environment) {
        if (name.rfind(env_prefix, 0) != 0) continue;
        std::string origin = "environment " + name;
        if (name == std::string(env_prefix) + "UPSTREAMS") {
            // HOST=URL pairs separated by commas or spaces; replaces the file's upstreams.
            config.upstreams.clear();
            std::string item;
            for (std::size_t i = 0; i <= value.size(); ++i) {
                if (i < value.size() && value[i] != ',' && value[i] != ' ') {
                    item += value[i];
                    continue;
                }
                if (item.empty()) continue;
                auto eq = item.find('=');
                try {
                    if (eq == std::string::npos) fail(Errc::usage, "'" + item + "' is not HOST=URL");
                    check_registry_host(item.substr(0, eq));
                    check_upstream_url(item.substr(eq + 1));
                } catch (const Error& e) {
                    fail(Errc::usage, origin + ": " + e.what());
                }
                config.upstreams[item.substr(0, eq)] = UpstreamConfig{item.substr(eq + 1), {}, {}, {}};
                item.clear();
            }
            where["upstreams"] = origin;
            continue;
        }
        const Key* key = nullptr;
        for (const auto& k : keys())
            if (env_name(k.path) == name) key = &k;
        if (!key) fail(Errc::usage, origin + ": no such setting (see `sealift mirror serve --help`)");
        try {
            key->set(config, value, {});
        } catch (const Error& e) {
            fail(Errc::usage, origin + " (key '" + key->path + "'): " + e.what());
        }
        where[key->path] = origin;
    }
}

// True when `inner` is `outer` or inside it, after resolving symbolic links and
// "..": two spellings of one folder are the same folder.
bool is_within(const fs::path& inner, const fs::path& outer) {
    std::error_code ec;
    fs::path a = fs::weakly_canonical(fs::absolute(inner), ec);
    if (ec) a = fs::absolute(inner).lexically_normal();
    fs::path b = fs::weakly_canonical(fs::absolute(outer), ec);
    if (ec) b = fs::absolute(outer).lexically_normal();
    auto ai = a.begin();
    for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
        if (bi->empty()) continue;  // the trailing "" of "dir/"
        if (ai == a.end() || *ai != *bi) return false;
    }
    return true;
}

// The drop folder takes every file in it for a bundle and moves what it refuses to
// rejected/: the store's own files (state.json, lock, audit.log, receipts) or a key
// placed there would be carried off. So the drop folder shares nothing with the store
// or with a file the daemon reads.
void check_no_overlap(const DaemonConfig& c, const std::function<std::string(const std::string&)>& origin) {
    if (c.drop_folder.empty()) return;
    auto refuse = [&](const std::string& key, const std::string& reason) {
        fail(Errc::usage, origin(key) + ": key '" + key + "': " + reason);
    };
    const std::string drop = "drop_folder " + c.drop_folder.string();
    if (is_within(c.drop_folder, c.store))
        refuse("drop_folder", drop + " is the store " + c.store.string() +
                                  " or inside it (receipts, state and the audit log would be taken for bundles): use "
                                  "a folder outside the store");
    if (is_within(c.store, c.drop_folder))
        refuse("store", "store " + c.store.string() + " is inside " + drop +
                            " (its files would be taken for bundles): use a folder outside the drop folder");
    std::vector<std::pair<std::string, fs::path>> files = {{"tls.cert", c.tls_cert},
                                                           {"tls.key", c.tls_key},
                                                           {"admin.token_file", c.admin_token_file},
                                                           {"trust_root", c.trust_root}};
    for (const auto& [host, up] : c.upstreams) {
        files.push_back({"upstreams." + host + ".ca_file", up.ca_file});
        files.push_back({"upstreams." + host + ".password_file", up.password_file});
    }
    for (const auto& [key, file] : files)
        if (!file.empty() && is_within(file, c.drop_folder))
            refuse(key.rfind("upstreams.", 0) == 0 ? "upstreams" : key,
                   key + " " + file.string() + " is inside " + drop +
                       " (it would be taken for a bundle and moved to rejected/): keep it outside the drop folder");
}

void check_whole(const DaemonConfig& c, const std::map<std::string, std::string>& where, const fs::path& file) {
    auto origin = [&](const std::string& key) {
        auto it = where.find(key);
        if (it != where.end()) return it->second;
        return file.empty() ? std::string("configuration") : file.string();
    };
    auto need = [&](bool ok, const std::string& key, const std::string& reason) {
        if (!ok) fail(Errc::usage, origin(key) + ": key '" + key + "': " + reason);
    };
    need(!c.store.empty(), "store", "is required (the store folder to serve)");
    need(c.tls_cert.empty() == c.tls_key.empty(), c.tls_cert.empty() ? "tls.key" : "tls.cert",
         "tls.cert and tls.key go together");
    if (!c.admin_listen.empty()) {
        need(!c.admin_token_file.empty(), "admin.listen", "an admin API needs admin.token_file");
        need(!ListenAddress::parse(c.admin_listen).overlaps(ListenAddress::parse(c.listen)), "admin.listen",
             "'" + c.admin_listen + "' is the registry's address '" + c.listen +
                 "': the admin API never shares the anonymous pull port");
    }
    need(c.admin_token_file.empty() || !c.admin_listen.empty(), "admin.token_file",
         "given without admin.listen (no admin API would use it)");
    check_no_overlap(c, origin);
}

}  // namespace

DaemonConfig load_daemon_config(const fs::path& path, const std::map<std::string, std::string>& environment) {
    DaemonConfig config;
    config.source = path;
    std::map<std::string, std::string> where;
    if (!path.empty()) YamlReader(path, config, where).read();
    apply_environment(config, environment, where);
    check_whole(config, where, path);
    return config;
}

void check_daemon_paths(const DaemonConfig& config) {
    check_no_overlap(config, [&](const std::string&) {
        return config.source.empty() ? std::string("configuration") : config.source.string();
    });
}

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos) out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return out;
}

std::string daemon_config_help() {
    std::string out =
        "Config file keys (YAML; nested keys written a.b here are `a:` mappings). Every key can be\n"
        "overridden by the variable shown: SEALIFT_MIRROR_ + the key upper-cased, '.' -> '_'.\n"
        "Relative paths in the file are relative to the file's folder. Unknown keys and variables are errors.\n\n";
    for (const auto& k : keys()) {
        std::string head = "  " + std::string(k.path) + ": " + k.value_help;
        out += head + std::string(head.size() < 34 ? 34 - head.size() : 1, ' ') + env_name(k.path) + "\n      " +
               k.help + "\n";
    }
    out +=
        "  upstreams: {HOST: {url, ca_file, username, password_file}}   SEALIFT_MIRROR_UPSTREAMS\n"
        "      pull-through: content of HOST/... the store lacks is fetched from url (https:// or http://),\n"
        "      checked against its digest, cached and served. Never any other host. The variable holds\n"
        "      HOST=URL pairs separated by ',' and replaces the file's upstreams (no CA or credentials).\n";
    return out;
}

}  // namespace sealift::mirror::daemon
