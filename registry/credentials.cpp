// Where registry credentials come from: the command line, the environment, or
// the Docker config.json that `docker login` / `podman login --authfile` write.
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "registry/auth.hpp"
#include "registry/registry_client.hpp"

namespace sealift::registry {
namespace {

// "https://registry.example.com:5000/v1/" -> "registry.example.com:5000"
std::string auths_key_host(std::string key) {
    for (const char* scheme : {"https://", "http://"})
        if (key.starts_with(scheme)) key.erase(0, std::string_view(scheme).size());
    if (auto slash = key.find('/'); slash != std::string::npos) key.erase(slash);
    return ascii_lowercase(key);
}

// Docker Hub is stored under its historical index address.
bool same_registry(const std::string& key_host, const std::string& host) {
    if (key_host == host) return true;
    auto hub = [](const std::string& h) {
        return h == "docker.io" || h == "index.docker.io" || h == "registry-1.docker.io";
    };
    return hub(key_host) && hub(host);
}

std::filesystem::path docker_config_path() {
    if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return std::filesystem::path(dir) / "config.json";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".docker" / "config.json";
    return {};
}

Credentials from_docker_config(const std::filesystem::path& path, const std::string& host) {
    Json config = parse_json_strict(read_small_file(path, 4u << 20), path.string());
    if (!config.is_object()) fail(Errc::format, path.string() + ": not a JSON object");
    auto auths = config.find("auths");
    if (auths == config.end()) return {};
    if (!auths->is_object()) fail(Errc::format, path.string() + ": 'auths' is not an object");
    for (const auto& [key, entry] : auths->items()) {
        if (!same_registry(auths_key_host(key), host)) continue;
        std::string what = path.string() + ": auths." + key;
        if (!entry.is_object()) fail(Errc::format, what + ": not an object");
        if (auto auth = entry.find("auth");
            auth != entry.end() && auth->is_string() && !auth->get<std::string>().empty()) {
            std::string pair = base64_decode(auth->get<std::string>(), what + ".auth");
            auto colon = pair.find(':');
            if (colon == std::string::npos) fail(Errc::format, what + ".auth: not base64 of 'user:password'");
            return {pair.substr(0, colon), pair.substr(colon + 1)};
        }
        Credentials c;
        if (entry.contains("username")) c.username = json_string(entry, "username", what);
        if (entry.contains("password")) c.password = json_string(entry, "password", what);
        if (!c.username.empty()) return c;
    }
    return {};
}

}  // namespace

Credentials resolve_credentials(const std::string& registry_host, const std::optional<Credentials>& explicit_creds) {
    if (explicit_creds && !explicit_creds->username.empty()) return *explicit_creds;
    if (const char* user = std::getenv("SEALIFT_REGISTRY_USERNAME"); user && *user) {
        const char* password = std::getenv("SEALIFT_REGISTRY_PASSWORD");
        return {user, password ? password : ""};
    }
    auto path = docker_config_path();
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) return {};
    return from_docker_config(path, ascii_lowercase(registry_host));
}

}  // namespace sealift::registry
