#include "manifests/reference.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace sealift::manifests {
namespace {

constexpr std::size_t max_name_length = 255;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool has_upper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_path_component(std::string_view s) {
    std::size_t i = 0;
    for (;;) {
        std::size_t run = i;
        while (i < s.size() && lower_alnum(s[i])) ++i;
        if (i == run) return false;
        if (i == s.size()) return true;
        std::size_t sep = i;
        while (i < s.size() && !lower_alnum(s[i])) ++i;
        std::string_view separator = s.substr(sep, i - sep);
        bool dashes = separator.find_first_not_of('-') == std::string_view::npos;
        if (!(separator == "." || separator == "_" || separator == "__" || dashes)) return false;
    }
}

// [a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool valid_domain_component(std::string_view s) {
    if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return alnum(c) || c == '-'; });
}

std::string digest_problem(std::string_view text) {
    if (Digest::valid(text)) return "";
    std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.substr(0, colon) != "sha256")
        return "digest algorithm '" + std::string(text.substr(0, colon)) + "' is not supported (only sha256)";
    return "digest '" + std::string(text.substr(0, 80)) + "' is not sha256: followed by 64 lowercase hex digits";
}

std::string repository_problem(std::string_view repository) {
    if (repository.empty()) return "repository is missing";
    if (has_upper(repository)) return "repository '" + std::string(repository) + "' must be lowercase";
    std::size_t start = 0;
    for (;;) {
        std::size_t slash = repository.find('/', start);
        std::string_view component =
            repository.substr(start, slash == repository.npos ? repository.npos : slash - start);
        if (component.empty()) return "repository '" + std::string(repository) + "' has an empty path component";
        if (!valid_path_component(component))
            return "path component '" + std::string(component) +
                   "' is not valid (lowercase letters and digits, separated by '.', '_', '__' or dashes)";
        if (slash == repository.npos) return "";
        start = slash + 1;
    }
}

}  // namespace

bool looks_like_registry_host(std::string_view first) {
    return first == "localhost" || first.find_first_of(".:[") != first.npos || has_upper(first);
}

std::string domain_problem(std::string_view domain) {
    std::string_view host = domain, port;
    if (domain.starts_with('[')) {
        std::size_t close = domain.find(']');
        if (close == std::string_view::npos) return "unclosed '[' in the IPv6 address";
        host = domain.substr(0, close + 1);
        std::string_view inner = host.substr(1, host.size() - 2);
        bool hex = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
            return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':';
        });
        if (!hex) return "'" + std::string(host) + "' is not an IPv6 address";
        std::string_view rest = domain.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':'))
            return "unexpected '" + std::string(rest) + "' after the IPv6 address";
        if (!rest.empty()) port = rest.substr(1);
        if (!rest.empty() && port.empty()) return "port is empty";
    } else {
        std::size_t colon = domain.find(':');
        if (colon != std::string_view::npos) {
            host = domain.substr(0, colon);
            port = domain.substr(colon + 1);
            if (port.empty()) return "port is empty";
        }
        std::size_t start = 0;
        for (;;) {
            std::size_t dot = host.find('.', start);
            std::string_view component = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
            if (!valid_domain_component(component))
                return "host component '" + std::string(component) +
                       "' is not valid (letters, digits and inner '-', separated by '.')";
            if (dot == std::string_view::npos) break;
            start = dot + 1;
        }
    }
    if (!port.empty()) {
        if (port.size() > 5 || !std::all_of(port.begin(), port.end(), digit) || std::stoul(std::string(port)) > 65535)
            return "port '" + std::string(port) + "' is not a number from 0 to 65535";
    }
    return "";
}

bool valid_repository_name(std::string_view name) {
    return name.size() <= max_name_length && repository_problem(name).empty();
}

bool valid_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 128) return false;
    auto word = [](char c) { return alnum(c) || c == '_'; };
    if (!word(tag.front())) return false;
    return std::all_of(tag.begin(), tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

ImageReference ImageReference::parse(std::string_view text, const std::string& what) {
    auto bad = [&](const std::string& why) {
        fail(Errc::format, what + ": invalid image reference '" + std::string(text.substr(0, 300)) + "': " + why);
    };
    if (text.empty()) bad("reference is empty");

    ImageReference ref;
    std::string_view name = text;
    if (std::size_t at = text.find('@'); at != text.npos) {
        std::string_view digest = text.substr(at + 1);
        if (std::string why = digest_problem(digest); !why.empty()) bad(why);
        ref.digest = Digest::parse(digest);
        name = text.substr(0, at);
    }
    std::size_t last_slash = name.rfind('/');
    std::size_t last_colon = name.rfind(':');
    if (last_colon != name.npos && (last_slash == name.npos || last_colon > last_slash)) {
        ref.tag = std::string(name.substr(last_colon + 1));
        if (!valid_tag(ref.tag))
            bad("tag '" + ref.tag +
                "' is not valid (letters, digits, '_', '.', '-'; at most 128, not starting with '.' or '-')");
        name = name.substr(0, last_colon);
    }
    if (name.empty()) bad("repository is missing");

    std::size_t first_slash = name.find('/');
    if (first_slash != name.npos && looks_like_registry_host(name.substr(0, first_slash))) {
        ref.registry = std::string(name.substr(0, first_slash));
        ref.repository = std::string(name.substr(first_slash + 1));
        if (std::string why = domain_problem(ref.registry); !why.empty())
            bad("registry '" + ref.registry + "': " + why);
    } else {
        ref.registry = "docker.io";
        ref.repository = std::string(name);
    }
    if (std::string why = repository_problem(ref.repository); !why.empty()) bad(why);
    if (ref.registry == "index.docker.io") ref.registry = "docker.io";
    if (ref.registry == "docker.io" && ref.repository.find('/') == std::string::npos)
        ref.repository = "library/" + ref.repository;
    if (ref.name().size() > max_name_length)
        bad("name is " + std::to_string(ref.name().size()) + " characters, more than the 255 allowed");
    if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
    return ref;
}

std::string ImageReference::name() const { return registry + "/" + repository; }

std::string ImageReference::str() const {
    std::string out = name();
    if (!tag.empty()) out += ":" + tag;
    if (digest) out += "@" + digest->str();
    return out;
}

}  // namespace sealift::manifests
