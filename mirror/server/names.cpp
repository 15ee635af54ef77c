#include "mirror/server/names.hpp"

namespace sealift::mirror::server {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view c) {
    std::size_t i = 0;
    auto run = [&] {
        std::size_t start = i;
        while (i < c.size() && lower_alnum(c[i])) ++i;
        return i > start;
    };
    if (!run()) return false;
    while (i < c.size()) {
        if (c[i] == '.') {
            ++i;
        } else if (c[i] == '_') {
            ++i;
            if (i < c.size() && c[i] == '_') ++i;
        } else if (c[i] == '-') {
            while (i < c.size() && c[i] == '-') ++i;
        } else {
            return false;
        }
        if (!run()) return false;
    }
    return true;
}

}  // namespace

bool valid_repository_name(std::string_view name) {
    if (name.empty() || name.size() > 255) return false;
    while (true) {
        auto slash = name.find('/');
        if (!valid_component(name.substr(0, slash))) return false;
        if (slash == std::string_view::npos) return true;
        name.remove_prefix(slash + 1);
    }
}

bool valid_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 128) return false;
    for (std::size_t i = 0; i < tag.size(); ++i) {
        char c = tag[i];
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!word && (i == 0 || (c != '.' && c != '-'))) return false;
    }
    return true;
}

bool valid_namespace_host(std::string_view host) {
    if (host.empty() || host.size() > 255) return false;
    auto colon = host.rfind(':');
    std::string_view name = host, port;
    if (host.front() == '[') {  // [v6]:port
        auto close = host.find(']');
        if (close == std::string_view::npos) return false;
        for (char c : host.substr(1, close - 1))
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':')) return false;
        std::string_view rest = host.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port = rest.substr(1);
        name = {};
    } else if (colon != std::string_view::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon + 1);
        if (port.empty()) return false;
    }
    if (port.size() > 5) return false;
    for (char c : port)
        if (c < '0' || c > '9') return false;
    if (host.front() == '[') return true;
    if (name.empty() || name.front() == '.' || name.front() == '-' || name.back() == '.') return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (!(lower_alnum(c) || c == '-' || c == '.')) return false;
        if (c == '.' && i + 1 < name.size() && name[i + 1] == '.') return false;
    }
    return true;
}

std::optional<RegistryPath> split_registry_path(std::string_view path) {
    if (!path.starts_with("/v2/")) return std::nullopt;
    path.remove_prefix(4);
    auto last = path.rfind('/');
    if (last == std::string_view::npos) return std::nullopt;
    auto kind_start = path.rfind('/', last == 0 ? 0 : last - 1);
    if (kind_start == std::string_view::npos || kind_start == 0 || last == 0) return std::nullopt;
    RegistryPath out;
    out.name = std::string(path.substr(0, kind_start));
    out.kind = std::string(path.substr(kind_start + 1, last - kind_start - 1));
    out.reference = std::string(path.substr(last + 1));
    return out;
}

}  // namespace sealift::mirror::server
