// CycloneDX 1.4, 1.5 and 1.6 JSON, checked against what the official schemas
// (bom-1.x.schema.json) require of the parts Sealift reads.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>

#include "core/text.hpp"
#include "sbom/mapping.hpp"
#include "sbom/readers.hpp"

namespace sealift::sbom::detail {
namespace {

// Component types and the minor version that introduced them.
struct ComponentType {
    std::string_view name;
    int since;
};
constexpr std::array<ComponentType, 13> component_types{{
    {"application", 4},
    {"framework", 4},
    {"library", 4},
    {"container", 4},
    {"operating-system", 4},
    {"device", 4},
    {"firmware", 4},
    {"file", 4},
    {"platform", 5},
    {"device-driver", 5},
    {"machine-learning-model", 5},
    {"data", 5},
    {"cryptographic-asset", 6},
}};

constexpr std::array<std::string_view, 12> hash_algorithms{
    "MD5",      "SHA-1",    "SHA-256",     "SHA-384",     "SHA-512",     "SHA3-256",
    "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3",
};

bool digits(std::string_view s, std::size_t from, std::size_t count) {
    if (from + count > s.size()) return false;
    return std::all_of(s.begin() + from, s.begin() + from + count, [](unsigned char c) { return std::isdigit(c); });
}

// RFC 3339 date-time, the schema's "format": "date-time".
bool rfc3339_date_time(std::string_view s) {
    if (!digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
        (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' ||
        !digits(s, 17, 2))
        return false;
    std::size_t i = 19;
    if (s[i] == '.') {
        std::size_t start = ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == start) return false;
    }
    std::string_view zone = s.substr(i);
    if (zone == "Z" || zone == "z") return true;
    return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2) && zone[3] == ':' &&
           digits(zone, 4, 2);
}

// urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, lowercase hex.
bool serial_number(std::string_view s) {
    if (!s.starts_with("urn:uuid:") || s.size() != 45) return false;
    s.remove_prefix(9);
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
        if (!dash && !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    }
    return true;
}

bool hash_content(const std::string& s) {
    static const std::set<std::size_t> lengths{32, 40, 64, 96, 128};
    return lengths.count(s.size()) && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

class Reader {
public:
    explicit Reader(int minor) : minor_(minor) {}

    struct Read {
        Component component;
        std::optional<Purl> purl;
        std::optional<Digest> sha256;
    };

    // Reads one component, appending its nested components to `nested`.
    Read component(const Node& node, std::vector<Component>& nested) {
        node.expect_object();
        Read read;
        read.component.type = checked_type(node.at("type"));
        read.component.name = node.string_at("name");
        read.component.version = node.optional_string("version").value_or("");
        if (std::optional<Node> ref = node.find("bom-ref")) check_bom_ref(*ref);
        if (std::optional<Node> purl = node.find("purl")) {
            read.purl = checked_purl(*purl);
            read.component.purl = purl->as_string();
        }
        for (const Node& hash : node.optional_items("hashes")) {
            std::string algorithm = check_hash(hash);
            std::string content = hash.string_at("content");
            content = ascii_lowercase(content);
            if (algorithm == "SHA-256" && !read.sha256) read.sha256 = Digest::from_hex(content);
            read.component.hashes.push_back({spdx_hash_algorithm(algorithm), content});
        }
        for (const Node& license : node.optional_items("licenses"))
            read.component.licenses.push_back(checked_license(license));
        if (std::optional<Node> children = node.find("components")) components(*children, nested);
        return read;
    }

    void components(const Node& array, std::vector<Component>& out) {
        std::set<std::string> seen;  // the schema's uniqueItems
        for (const Node& item : array.items()) {
            if (!seen.insert(dump_json_safe(item.value())).second)
                item.fail("duplicate component (components must be unique)");
            std::vector<Component> nested;
            out.push_back(component(item, nested).component);
            out.insert(out.end(), nested.begin(), nested.end());
        }
    }

private:
    std::string checked_type(const Node& node) {
        std::string type = node.as_string();
        for (const ComponentType& known : component_types)
            if (known.name == type && known.since <= minor_) return type;
        std::string allowed;
        for (const ComponentType& known : component_types)
            if (known.since <= minor_) allowed += (allowed.empty() ? "" : ", ") + std::string(known.name);
        node.fail("unknown component type " + shown(type) + " (CycloneDX 1." + std::to_string(minor_) + " allows " +
                  allowed + ")");
    }

    // {"license": {"id": ...} or {"name": ...}} or {"expression": ...}.
    static License checked_license(const Node& node) {
        node.expect_object();
        if (std::optional<Node> expression = node.find("expression")) {
            std::string text = expression->as_string();
            if (text.empty()) expression->fail("must not be empty");
            return {License::Kind::expression, text};
        }
        std::optional<Node> license = node.find("license");
        if (!license) node.fail("a license choice needs a \"license\" or an \"expression\"");
        license->expect_object();
        if (std::optional<Node> id = license->find("id")) return {License::Kind::id, id->as_string()};
        if (std::optional<Node> name = license->find("name")) return {License::Kind::name, name->as_string()};
        license->fail("a license needs an \"id\" or a \"name\"");
    }

    void check_bom_ref(const Node& node) {
        std::string ref = node.as_string();
        if (minor_ >= 6 && ref.empty()) node.fail("must not be empty");
        if (!bom_refs_.insert(ref).second) node.fail("duplicate bom-ref " + shown(ref) + " (bom-refs must be unique)");
    }

    std::string check_hash(const Node& hash) {
        hash.expect_object();
        Node alg = hash.at("alg");
        std::string algorithm = alg.as_string();
        if (std::find(hash_algorithms.begin(), hash_algorithms.end(), algorithm) == hash_algorithms.end())
            alg.fail("unknown hash algorithm " + shown(algorithm));
        Node content = hash.at("content");
        if (!hash_content(content.as_string()))
            content.fail("must be 32, 40, 64, 96 or 128 hex digits, found " + shown(content.as_string()));
        if (algorithm == "SHA-256" && content.as_string().size() != 64)
            content.fail("a SHA-256 hash must be 64 hex digits");
        return algorithm;
    }

    int minor_;
    std::set<std::string> bom_refs_;
};

int spec_minor(const Node& node) {
    std::string version = node.as_string();
    if (version == "1.4") return 4;
    if (version == "1.5") return 5;
    if (version == "1.6") return 6;
    node.fail("unsupported CycloneDX version " + shown(version) + " (supported: 1.4, 1.5, 1.6)");
}

}  // namespace

Document read_cyclonedx(const Node& root) {
    Node format = root.at("bomFormat");
    if (format.as_string() != "CycloneDX") format.fail("must be \"CycloneDX\", found " + shown(format.as_string()));
    Node spec = root.at("specVersion");
    int minor = spec_minor(spec);

    // version is required up to 1.5 and at least 1 from 1.6 on.
    std::optional<Node> version = minor < 6 ? std::optional<Node>(root.at("version")) : root.find("version");
    if (version && version->as_integer() < 1 && minor >= 6) version->fail("must be at least 1");
    if (std::optional<Node> serial = root.find("serialNumber"); serial && !serial_number(serial->as_string()))
        serial->fail("must be urn:uuid:<lowercase UUID>, found " + shown(serial->as_string()));

    Document doc;
    doc.format = Format::cyclonedx;
    doc.spec_version = spec.as_string();
    Reader reader(minor);
    if (std::optional<Node> metadata = root.find("metadata")) {
        metadata->expect_object();
        if (std::optional<Node> time = metadata->find("timestamp"); time && !rfc3339_date_time(time->as_string()))
            time->fail("must be an RFC 3339 date-time, found " + shown(time->as_string()));
        if (std::optional<Node> subject = metadata->find("component")) {
            Reader::Read read = reader.component(*subject, doc.components);
            doc.subject_name = read.component.name;
            doc.subject_version = read.component.version;
            doc.subject_purl = read.component.purl;
            doc.subject_digest = subject_digest(read.purl, read.component.version, read.sha256);
        }
    }
    if (std::optional<Node> components = root.find("components")) reader.components(*components, doc.components);
    for (const Node& dependency : root.optional_items("dependencies")) {
        dependency.string_at("ref");
        for (const Node& target : dependency.optional_items("dependsOn")) target.as_string();
    }
    return doc;
}

}  // namespace sealift::sbom::detail
