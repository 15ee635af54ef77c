#include "sbom/purl.hpp"

#include "core/text.hpp"
#include "sbom/sbom.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sealift::sbom::detail {
namespace {

bool percent_decode(std::string_view text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        unsigned byte = 0;
        const char* digits = text.data() + i + 1;
        if (i + 2 >= text.size() || std::from_chars(digits, digits + 2, byte, 16).ptr != digits + 2) return false;
        out += static_cast<char>(byte);
        i += 2;
    }
    return true;
}

bool valid_type(std::string_view type) {
    if (type.empty() || !std::isalpha(static_cast<unsigned char>(type.front()))) return false;
    return std::all_of(type.begin(), type.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; });
}

}  // namespace

std::optional<Purl> parse_purl(std::string_view text, std::string& why) {
    auto refuse = [&](const char* reason) -> std::optional<Purl> {
        why = reason;
        return std::nullopt;
    };
    if (text.size() < 4 || ascii_lowercase(text.substr(0, 4)) != "pkg:") return refuse("does not start with \"pkg:\"");
    std::string_view rest = text.substr(4);
    while (rest.starts_with('/')) rest.remove_prefix(1);

    Purl purl;
    std::string decoded;
    if (std::size_t hash = rest.rfind('#'); hash != rest.npos) {
        if (!percent_decode(rest.substr(hash + 1), purl.subpath)) return refuse("bad percent-encoding in the subpath");
        rest = rest.substr(0, hash);
    }
    if (std::size_t question = rest.rfind('?'); question != rest.npos) {
        std::string_view query = rest.substr(question + 1);
        rest = rest.substr(0, question);
        while (!query.empty()) {
            std::size_t amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            query = amp == query.npos ? std::string_view() : query.substr(amp + 1);
            if (pair.empty()) continue;
            std::size_t eq = pair.find('=');
            if (eq == pair.npos || eq == 0) return refuse("a qualifier is not key=value");
            if (!percent_decode(pair.substr(eq + 1), decoded)) return refuse("bad percent-encoding in a qualifier");
            purl.qualifiers[ascii_lowercase(pair.substr(0, eq))] = decoded;
        }
    }
    std::size_t slash = rest.find('/');
    if (slash == rest.npos) return refuse("has no name after the type");
    purl.type = ascii_lowercase(rest.substr(0, slash));
    if (!valid_type(purl.type)) return refuse("has an invalid type");
    rest = rest.substr(slash + 1);
    while (rest.ends_with('/')) rest.remove_suffix(1);
    if (std::size_t at = rest.rfind('@'); at != rest.npos) {
        if (!percent_decode(rest.substr(at + 1), purl.version)) return refuse("bad percent-encoding in the version");
        rest = rest.substr(0, at);
    }
    std::size_t last = rest.rfind('/');
    if (!percent_decode(last == rest.npos ? rest : rest.substr(last + 1), purl.name))
        return refuse("bad percent-encoding in the name");
    if (last != rest.npos && !percent_decode(rest.substr(0, last), purl.namespace_))
        return refuse("bad percent-encoding in the namespace");
    if (purl.name.empty()) return refuse("has an empty name");
    return purl;
}

std::optional<Digest> oci_digest(const Purl& purl) {
    if (purl.type != "oci" || !Digest::valid(purl.version)) return std::nullopt;
    return Digest::parse(purl.version);
}

std::string oci_purl(std::string_view repository, std::string_view tag, const Digest& digest) {
    // The oci type names the package by the last path segment of the repository,
    // lowercased, and keeps the full location in repository_url; qualifiers sorted by key.
    std::string_view last = repository.substr(repository.rfind('/') + 1);
    std::string out = "pkg:oci/" + percent_encode(ascii_lowercase(last)) + "@" + percent_encode(digest.str()) +
                      "?repository_url=" + percent_encode(repository, "/");
    if (!tag.empty()) out += "&tag=" + percent_encode(tag);
    return out;
}

std::string helm_purl(std::string_view name, std::string_view version) {
    return "pkg:helm/" + percent_encode(name) + "@" + percent_encode(version);
}

}  // namespace sealift::sbom::detail

namespace sealift::sbom {

std::string package_key(const Component& component) {
    std::string why;
    std::optional<detail::Purl> purl = component.purl.empty() ? std::nullopt : detail::parse_purl(component.purl, why);
    if (!purl) return component.name;
    std::string key = "pkg:" + purl->type + "/" + (purl->namespace_.empty() ? "" : purl->namespace_ + "/") + purl->name;
    // Other qualifiers (distro, repository_url) may change with the release; the architecture makes another package.
    if (auto arch = purl->qualifiers.find("arch"); arch != purl->qualifiers.end()) key += "?arch=" + arch->second;
    if (!purl->subpath.empty()) key += "#" + purl->subpath;
    return key;
}

std::string package_version(const Component& component) {
    if (!component.version.empty() || component.purl.empty()) return component.version;
    std::string why;
    std::optional<detail::Purl> purl = detail::parse_purl(component.purl, why);
    return purl ? purl->version : "";
}

}  // namespace sealift::sbom
