// SPDX 2.3 JSON, checked against what the official schema (spdx-schema.json)
// requires of the parts Sealift reads.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "sbom/mapping.hpp"
#include "sbom/readers.hpp"

namespace sealift::sbom::detail {
namespace {

constexpr std::string_view document_id = "SPDXRef-DOCUMENT";

constexpr std::array<std::string_view, 17> checksum_algorithms{
    "SHA1",    "BLAKE3", "SHA3-384", "SHA256",      "SHA384", "BLAKE2b-512", "BLAKE2b-256", "SHA3-512", "MD2",
    "ADLER32", "MD4",    "SHA3-256", "BLAKE2b-384", "SHA512", "MD6",         "MD5",         "SHA224",
};

constexpr std::array<std::string_view, 12> package_purposes{
    "APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "OPERATING-SYSTEM", "DEVICE",
    "FIRMWARE",    "SOURCE",    "ARCHIVE", "FILE",      "INSTALL",          "OTHER",
};

constexpr std::array<std::string_view, 6> reference_categories{
    "OTHER", "PERSISTENT-ID", "PERSISTENT_ID", "SECURITY", "PACKAGE-MANAGER", "PACKAGE_MANAGER",
};

template <std::size_t N>
void check_enum(const Node& node, const std::array<std::string_view, N>& allowed, const char* what) {
    std::string value = node.as_string();
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
        node.fail(std::string("unknown ") + what + " " + shown(value));
}

void check_time(const Node& node) {
    try {
        parse_time(node.as_string());
    } catch (const Error&) {
        node.fail("must be a UTC time YYYY-MM-DDTHH:MM:SSZ, found " + shown(node.as_string()));
    }
}

// ^SPDXRef-[a-zA-Z0-9.-]+$
std::string element_id(const Node& node) {
    std::string id = node.as_string();
    std::string_view rest(id);
    bool ok = rest.starts_with("SPDXRef-") && rest.size() > 8 &&
              std::all_of(rest.begin() + 8, rest.end(),
                          [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; });
    if (!ok) node.fail("must be SPDXRef- followed by letters, digits, '.' or '-', found " + shown(id));
    return id;
}

// Returns the SHA256 checksum among `checksums`, if any; appends them all to `all`.
std::optional<Digest> read_checksums(const std::vector<Node>& checksums, std::vector<Hash>* all = nullptr) {
    std::optional<Digest> sha256;
    for (const Node& checksum : checksums) {
        checksum.expect_object();
        Node algorithm = checksum.at("algorithm");
        check_enum(algorithm, checksum_algorithms, "checksum algorithm");
        Node value = checksum.at("checksumValue");
        std::string hex = value.as_string();
        if (hex.empty() || !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); }))
            value.fail("must be hexadecimal, found " + shown(hex));
        hex = ascii_lowercase(hex);
        if (algorithm.as_string() == "SHA256") {
            if (hex.size() != 64) value.fail("a SHA256 checksum must be 64 hex digits");
            if (!sha256) sha256 = Digest::from_hex(hex);
        }
        if (all) all->push_back({algorithm.as_string(), hex});
    }
    return sha256;
}

struct Package {
    Component component;
    std::optional<Purl> purl;
    std::optional<Digest> sha256;
};

Package read_package(const Node& node) {
    node.expect_object();
    Package package;
    package.component.name = node.string_at("name");
    node.string_at("downloadLocation");
    package.component.version = node.optional_string("versionInfo").value_or("");
    package.sha256 = read_checksums(node.optional_items("checksums"), &package.component.hashes);
    if (std::optional<Node> purpose = node.find("primaryPackagePurpose")) {
        check_enum(*purpose, package_purposes, "primary package purpose");
        package.component.type = cyclonedx_type(purpose->as_string());
    }
    // The license the package declares is what its authors state; a concluded one stands in when that is absent.
    for (const char* field : {"licenseDeclared", "licenseConcluded"}) {
        std::optional<std::string> license = node.optional_string(field);
        if (!license || *license == "NOASSERTION" || *license == "NONE" || license->empty()) continue;
        package.component.licenses.push_back({License::Kind::expression, *license});
        break;
    }
    for (const Node& ref : node.optional_items("externalRefs")) {
        ref.expect_object();
        check_enum(ref.at("referenceCategory"), reference_categories, "reference category");
        std::string type = ref.string_at("referenceType");
        Node locator = ref.at("referenceLocator");
        locator.as_string();
        if (type == "purl" && !package.purl) {
            package.purl = checked_purl(locator);
            package.component.purl = locator.as_string();
        }
    }
    return package;
}

// The element the document describes: documentDescribes, else a DESCRIBES
// relationship from the document, else a DESCRIBED_BY relationship to it.
std::optional<Node> described_element(const Node& root) {
    std::vector<Node> describes = root.optional_items("documentDescribes");
    for (const Node& id : describes) id.as_string();
    std::optional<Node> found;
    if (!describes.empty()) found = describes.front();
    for (const Node& relationship : root.optional_items("relationships")) {
        relationship.expect_object();
        Node from = relationship.at("spdxElementId"), to = relationship.at("relatedSpdxElement");
        std::string type = relationship.string_at("relationshipType");
        std::string from_id = from.as_string(), to_id = to.as_string();
        if (!found && type == "DESCRIBES" && from_id == document_id) found = to;
        if (!found && type == "DESCRIBED_BY" && to_id == document_id) found = from;
    }
    return found;
}

}  // namespace

Document read_spdx(const Node& root) {
    Node version = root.at("spdxVersion");
    if (version.as_string() != "SPDX-2.3")
        version.fail("unsupported SPDX version " + shown(version.as_string()) + " (supported: SPDX-2.3)");
    Node license = root.at("dataLicense");
    if (license.as_string() != "CC0-1.0") license.fail("must be \"CC0-1.0\", found " + shown(license.as_string()));
    Node id = root.at("SPDXID");
    if (id.as_string() != document_id) id.fail("must be \"SPDXRef-DOCUMENT\", found " + shown(id.as_string()));
    root.string_at("name");
    Node ns = root.at("documentNamespace");
    if (ns.as_string().empty() || ns.as_string().find('#') != std::string::npos)
        ns.fail("must be a URI without a '#' part, found " + shown(ns.as_string()));
    Node creation = root.at("creationInfo");
    check_time(creation.at("created"));
    std::vector<Node> creators = creation.at("creators").items();
    if (creators.empty()) creation.at("creators").fail("must name at least one creator");
    for (const Node& creator : creators) creator.as_string();

    // Every element id, to find the described one and refuse duplicates.
    std::map<std::string, std::optional<Package>> elements;
    auto add_element = [&](const Node& node, std::optional<Package> package) {
        std::string element = element_id(node);
        if (!elements.emplace(element, std::move(package)).second) node.fail("duplicate SPDXID " + shown(element));
        return element;
    };
    std::vector<std::string> package_order;
    for (const Node& node : root.optional_items("packages")) {
        Package package = read_package(node);
        package_order.push_back(add_element(node.at("SPDXID"), std::move(package)));
    }
    for (const Node& file : root.optional_items("files")) {
        file.expect_object();
        file.string_at("fileName");
        std::vector<Node> checksums = file.at("checksums").items();
        if (checksums.empty()) file.at("checksums").fail("must list at least one checksum");
        read_checksums(checksums);
        add_element(file.at("SPDXID"), std::nullopt);
    }
    for (const Node& snippet : root.optional_items("snippets")) {
        snippet.expect_object();
        snippet.string_at("snippetFromFile");
        if (snippet.at("ranges").items().empty()) snippet.at("ranges").fail("must list at least one range");
        add_element(snippet.at("SPDXID"), std::nullopt);
    }

    Document doc;
    doc.format = Format::spdx;
    doc.spec_version = version.as_string();
    std::string subject_id;
    if (std::optional<Node> described = described_element(root)) {
        subject_id = described->as_string();
        auto it = elements.find(subject_id);
        if (it == elements.end())
            described->fail("the document describes " + shown(subject_id) + ", which is no element of it");
        if (const std::optional<Package>& subject = it->second) {
            doc.subject_name = subject->component.name;
            doc.subject_version = subject->component.version;
            doc.subject_purl = subject->component.purl;
            doc.subject_digest = subject_digest(subject->purl, subject->component.version, subject->sha256);
        }
    }
    for (const std::string& element : package_order)
        if (element != subject_id) doc.components.push_back(elements.at(element)->component);
    return doc;
}

}  // namespace sealift::sbom::detail
