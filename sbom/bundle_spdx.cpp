// The bundle SBOM as SPDX 2.3 JSON. Reproducible like the CycloneDX one: the
// contents are sorted, element ids are positions in that order, the namespace
// comes from the bundle's manifest digest and the creation time is the bundle's.
#include <map>

#include "core/error.hpp"
#include "core/json.hpp"
#include "sbom/inventory.hpp"
#include "sbom/mapping.hpp"
#include "sbom/purl.hpp"
#include "sbom/sbom.hpp"

namespace sealift::sbom {
namespace {

using Ordered = nlohmann::ordered_json;  // members in the order written, for readers

const char* const document_id = "SPDXRef-DOCUMENT";
const char* const release_id = "SPDXRef-Release";

Ordered package(const std::string& id, const std::string& name, const std::string& version,
                const std::string& purpose) {
    Ordered p = Ordered::object();
    p["SPDXID"] = id;
    p["name"] = name;
    if (!version.empty()) p["versionInfo"] = version;
    p["downloadLocation"] = "NOASSERTION";
    p["filesAnalyzed"] = false;  // the bundle lists no files inside its packages
    p["primaryPackagePurpose"] = purpose;
    return p;
}

void add_checksum(Ordered& p, const std::string& algorithm, const std::string& hex) {
    Ordered checksum = Ordered::object();
    checksum["algorithm"] = algorithm;
    checksum["checksumValue"] = hex;
    p["checksums"].push_back(std::move(checksum));
}

void add_purl(Ordered& p, const std::string& purl) {
    Ordered ref = Ordered::object();
    ref["referenceCategory"] = "PACKAGE-MANAGER";
    ref["referenceType"] = "purl";
    ref["referenceLocator"] = purl;
    p["externalRefs"].push_back(std::move(ref));
}

Ordered relationship(const std::string& from, const char* type, const std::string& to) {
    Ordered r = Ordered::object();
    r["spdxElementId"] = from;
    r["relationshipType"] = type;
    r["relatedSpdxElement"] = to;
    return r;
}

// The packages and relationships, and the free-text licenses they refer to.
class DocumentBuilder {
public:
    // Adds `child`, related to `parent` by `relation` ("DESCRIBES", "CONTAINS").
    void add(const std::string& parent, const char* relation, Ordered child) {
        relationships_.push_back(relationship(parent, relation, child["SPDXID"].get<std::string>()));
        packages_.push_back(std::move(child));
    }
    void contains(const std::string& parent, Ordered child) { add(parent, "CONTAINS", std::move(child)); }

    // The image, then the packages it CONTAINS.
    void add_image(const std::string& parent, const ImageInput& image, std::size_t index) {
        detail::ImageIdentity identity = detail::image_identity(image);
        std::string id = "SPDXRef-Image-" + std::to_string(index);
        Ordered p = package(id, identity.name, identity.version, "CONTAINER");
        add_checksum(p, "SHA256", std::string(image.manifest_digest.hex()));
        add_purl(p, identity.purl);
        contains(parent, std::move(p));
        for (std::size_t i = 0; i < image.packages.size(); ++i)
            contains(id, image_content(image.packages[i], id + "-Package-" + std::to_string(i + 1)));
    }

    Ordered document(Ordered head) {
        head["packages"] = std::move(packages_);
        if (!extracted_.empty()) {
            Ordered infos = Ordered::array();
            for (const auto& [ref, name] : extracted_) {
                Ordered info = Ordered::object();
                info["licenseId"] = ref;
                info["extractedText"] = name;
                info["name"] = name;
                infos.push_back(std::move(info));
            }
            head["hasExtractedLicensingInfos"] = std::move(infos);
        }
        head["relationships"] = std::move(relationships_);
        return head;
    }

private:
    Ordered image_content(const Component& c, const std::string& id) {
        Ordered p = package(id, c.name, c.version, c.type.empty() ? "LIBRARY" : detail::spdx_purpose(c.type));
        for (const Hash& h : c.hashes) add_checksum(p, h.algorithm, h.hex);
        if (!c.licenses.empty()) {
            for (const License& l : c.licenses)
                if (l.kind == License::Kind::name) extracted_.emplace(detail::license_ref(l.text), l.text);
            p["licenseDeclared"] = detail::license_expression(c.licenses);
        }
        if (!c.purl.empty()) add_purl(p, c.purl);
        return p;
    }

    Ordered packages_ = Ordered::array();
    Ordered relationships_ = Ordered::array();
    std::map<std::string, std::string> extracted_;  // LicenseRef- id -> the name it stands for
};

}  // namespace

std::string write_bundle_spdx(const BundleContents& input, const Digest& bundle_digest) {
    if (bundle_digest.empty()) detail::refuse("no bundle digest to name the SPDX document by");
    BundleContents contents = detail::sorted_contents(input);
    Ordered release = package(release_id, contents.name, contents.version, "OTHER");
    if (!contents.channel.empty()) release["comment"] = "Sealift release bundle, channel " + contents.channel;

    DocumentBuilder parts;
    parts.add(document_id, "DESCRIBES", std::move(release));
    for (std::size_t i = 0; i < contents.images.size(); ++i) parts.add_image(release_id, contents.images[i], i + 1);
    for (std::size_t i = 0; i < contents.charts.size(); ++i) {
        const ChartInput& chart = contents.charts[i];
        Ordered p = package("SPDXRef-Chart-" + std::to_string(i + 1), chart.name, chart.version, "APPLICATION");
        add_checksum(p, "SHA256", std::string(chart.digest.hex()));
        add_purl(p, detail::helm_purl(chart.name, chart.version));
        p["comment"] =
            "Helm chart " + chart.path + (chart.app_version.empty() ? "" : ", appVersion " + chart.app_version);
        parts.contains(release_id, std::move(p));
    }
    for (std::size_t i = 0; i < contents.files.size(); ++i) {
        const BundleFile& file = contents.files[i];
        Ordered p = package("SPDXRef-File-" + std::to_string(i + 1), file.path, "", "FILE");
        add_checksum(p, "SHA256", std::string(file.digest.hex()));
        p["comment"] = "Sealift bundle entry, kind " + file.kind;
        parts.contains(release_id, std::move(p));
    }

    Ordered head = Ordered::object();
    head["spdxVersion"] = "SPDX-2.3";
    head["dataLicense"] = "CC0-1.0";
    head["SPDXID"] = document_id;
    head["name"] = contents.name + "-" + contents.version;
    head["documentNamespace"] = "https://sealift.dev/spdxdocs/" + contents.name + "-" + contents.version + "-" +
                                std::string(bundle_digest.hex());
    head["creationInfo"]["created"] = format_time(contents.timestamp);
    head["creationInfo"]["creators"] = Ordered::array({std::string("Tool: ") + detail::generator()});
    head["documentDescribes"] = Ordered::array({release_id});
    Ordered doc = parts.document(std::move(head));
    try {
        return doc.dump(2, ' ', false, Ordered::error_handler_t::strict) + "\n";
    } catch (const Ordered::type_error& e) {
        detail::refuse(std::string("a name is not valid UTF-8: ") + e.what());
    }
}

}  // namespace sealift::sbom
