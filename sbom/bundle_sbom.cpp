// The bundle's own SBOM: a CycloneDX 1.5 inventory of what the bundle carries.
// It must be byte-for-byte reproducible, so inputs are sorted, the timestamp is
// the caller's, and the serial number is derived from the content itself.
#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "sbom/inventory.hpp"
#include "sbom/purl.hpp"
#include "sbom/sbom.hpp"

#ifndef SEALIFT_VERSION
#define SEALIFT_VERSION "0.0.0"
#endif

namespace sealift::sbom {
namespace {

using Ordered = nlohmann::ordered_json;  // members in the order written, for readers
using detail::refuse;

Ordered sha256_hashes(const Digest& digest) {
    Ordered hash = Ordered::object();
    hash["alg"] = "SHA-256";
    hash["content"] = std::string(digest.hex());
    Ordered hashes = Ordered::array();
    hashes.push_back(std::move(hash));
    return hashes;
}

Ordered property(const std::string& name, const std::string& value) {
    Ordered p = Ordered::object();
    p["name"] = name;
    p["value"] = value;
    return p;
}

// The schema's mime-type pattern: ^[-+a-z0-9.]+/[-+a-z0-9.]+$
bool schema_mime_type(const std::string& type) {
    std::size_t slash = type.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == type.size()) return false;
    return std::all_of(type.begin(), type.end(),
                       [&](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+' ||
                                  c == '.' || c == '/';
                       }) &&
           type.find('/', slash + 1) == std::string::npos;
}

// A name-based UUID from SHA-256 (RFC 9562 version 8) of the canonical content.
std::string serial_number(const Json& content) {
    std::string hex(Sha256::of(canonical_json(content)).hex().substr(0, 32));
    hex[12] = '8';
    static const char* variant = "89ab";
    hex[16] = variant[(hex[16] <= '9' ? hex[16] - '0' : hex[16] - 'a' + 10) & 3];
    return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
           "-" + hex.substr(20);
}

Ordered component(const char* type, const std::string& ref, const std::string& name) {
    Ordered c = Ordered::object();
    c["bom-ref"] = ref;
    c["type"] = type;
    c["name"] = name;
    return c;
}

// The schema's hash content: 32, 40, 64, 96 or 128 hex digits.
bool schema_hash_length(std::size_t size) {
    return size == 32 || size == 40 || size == 64 || size == 96 || size == 128;
}

// A license list as CycloneDX writes it: license objects for ids and names, or,
// when any is an expression, the one expression they make together.
Ordered licenses(const std::vector<License>& list) {
    Ordered out = Ordered::array();
    bool any_expression =
        std::any_of(list.begin(), list.end(), [](const License& l) { return l.kind == License::Kind::expression; });
    if (any_expression) {
        Ordered choice = Ordered::object();
        choice["expression"] = detail::license_expression(list);
        out.push_back(std::move(choice));
        return out;
    }
    for (const License& l : list) {
        Ordered license = Ordered::object();
        license[l.kind == License::Kind::id ? "id" : "name"] = l.text;
        Ordered choice = Ordered::object();
        choice["license"] = std::move(license);
        out.push_back(std::move(choice));
    }
    return out;
}

// A package an image's own SBOM lists, nested under the image.
Ordered package_component(const Component& package, const std::string& ref) {
    Ordered c = component(package.type.empty() ? "library" : package.type.c_str(), ref, package.name);
    if (!package.version.empty()) c["version"] = package.version;
    Ordered hashes = Ordered::array();
    for (const Hash& h : package.hashes)
        if (const char* algorithm = cyclonedx_hash_algorithm(h.algorithm);
            algorithm && schema_hash_length(h.hex.size())) {
            Ordered hash = Ordered::object();
            hash["alg"] = algorithm;
            hash["content"] = h.hex;
            hashes.push_back(std::move(hash));
        }
    if (!package.licenses.empty()) c["licenses"] = licenses(package.licenses);
    if (!hashes.empty()) c["hashes"] = std::move(hashes);
    if (!package.purl.empty()) c["purl"] = package.purl;
    return c;
}

Ordered image_component(const ImageInput& image) {
    detail::ImageIdentity id = detail::image_identity(image);
    const std::string ref = "image:" + image.ref;
    Ordered c = component("container", ref, id.name);
    c["version"] = id.version;
    if (schema_mime_type(image.media_type)) c["mime-type"] = image.media_type;
    c["hashes"] = sha256_hashes(image.manifest_digest);
    c["purl"] = id.purl;
    if (!image.packages.empty()) {
        Ordered nested = Ordered::array();
        for (std::size_t i = 0; i < image.packages.size(); ++i)
            nested.push_back(package_component(image.packages[i], ref + "#" + std::to_string(i + 1)));
        c["components"] = std::move(nested);
    }
    return c;
}

Ordered chart_component(const ChartInput& chart) {
    Ordered c = component("application", "chart:" + chart.path, chart.name);
    c["version"] = chart.version;
    c["hashes"] = sha256_hashes(chart.digest);
    c["purl"] = detail::helm_purl(chart.name, chart.version);
    Ordered properties = Ordered::array();
    if (!chart.app_version.empty()) properties.push_back(property("sealift:chart:appVersion", chart.app_version));
    properties.push_back(property("sealift:path", chart.path));
    c["properties"] = std::move(properties);
    return c;
}

Ordered file_component(const BundleFile& file) {
    Ordered c = component("file", "file:" + file.path, file.path);
    c["hashes"] = sha256_hashes(file.digest);
    Ordered properties = Ordered::array();
    properties.push_back(property("sealift:kind", file.kind));
    c["properties"] = std::move(properties);
    return c;
}

// Everything the output depends on, sorted, as the serial number's input.
Json identity(const BundleContents& c) {
    Json images = Json::array(), charts = Json::array(), files = Json::array();
    for (const ImageInput& i : c.images) images.push_back({i.ref, i.manifest_digest.str(), i.media_type});
    for (const ChartInput& h : c.charts) charts.push_back({h.name, h.version, h.app_version, h.path, h.digest.str()});
    for (const BundleFile& f : c.files) files.push_back({f.path, f.digest.str(), f.kind});
    Json id = Json::object();
    // Only exports carry packages; leaving the member out otherwise keeps the bundle's own SBOM as it always was.
    Json packages = Json::object();
    for (const ImageInput& i : c.images)
        for (const Component& p : i.packages) {
            Json licenses = Json::array(), hashes = Json::array();
            for (const License& l : p.licenses) licenses.push_back({static_cast<int>(l.kind), l.text});
            for (const Hash& h : p.hashes) hashes.push_back({h.algorithm, h.hex});
            packages[i.ref].push_back({p.name, p.version, p.purl, p.type, licenses, hashes});
        }
    if (!packages.empty()) id["packages"] = std::move(packages);
    id["release"] = {c.name, c.version, c.channel, format_time(c.timestamp)};
    id["images"] = std::move(images);
    id["charts"] = std::move(charts);
    id["files"] = std::move(files);
    id["generator"] = detail::generator();
    return id;
}

}  // namespace

std::string write_bundle_cyclonedx(const BundleContents& input) {
    BundleContents contents = detail::sorted_contents(input);

    Ordered components = Ordered::array();
    for (const ImageInput& image : contents.images) components.push_back(image_component(image));
    for (const ChartInput& chart : contents.charts) components.push_back(chart_component(chart));
    for (const BundleFile& file : contents.files) components.push_back(file_component(file));

    const std::string release_ref = "release:" + contents.name + "@" + contents.version;
    std::set<std::string> refs{release_ref};
    Ordered depends_on = Ordered::array();
    for (const Ordered& c : components) {
        const std::string& ref = c["bom-ref"].get_ref<const std::string&>();
        if (!refs.insert(ref).second) refuse("two components would have the bom-ref " + ref + " (listed twice?)");
        depends_on.push_back(ref);
    }

    Ordered tool = component("application", "tool:sealift", "sealift");
    tool["version"] = SEALIFT_VERSION;
    Ordered release = component("application", release_ref, contents.name);
    release["version"] = contents.version;
    if (!contents.channel.empty())
        release["properties"] = Ordered::array({property("sealift:channel", contents.channel)});

    Ordered bom = Ordered::object();
    bom["$schema"] = "http://cyclonedx.org/schema/bom-1.5.schema.json";
    bom["bomFormat"] = "CycloneDX";
    bom["specVersion"] = "1.5";
    bom["serialNumber"] = serial_number(identity(contents));
    bom["version"] = 1;
    bom["metadata"]["timestamp"] = format_time(contents.timestamp);
    bom["metadata"]["tools"]["components"] = Ordered::array({tool});
    bom["metadata"]["component"] = std::move(release);
    bom["components"] = std::move(components);
    Ordered dependency = Ordered::object();
    dependency["ref"] = release_ref;
    dependency["dependsOn"] = std::move(depends_on);
    bom["dependencies"] = Ordered::array({dependency});
    try {
        return bom.dump(2, ' ', false, Ordered::error_handler_t::strict) + "\n";
    } catch (const Ordered::type_error& e) {
        refuse(std::string("a name is not valid UTF-8: ") + e.what());
    }
}

}  // namespace sealift::sbom
