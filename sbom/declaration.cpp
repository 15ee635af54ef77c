#include <optional>

#include "core/error.hpp"
#include "sbom/sbom.hpp"

namespace sealift::sbom {
namespace {

// What a file name announces, by the suffixes the two specifications recommend.
std::optional<Format> format_by_name(std::string_view file_name) {
    file_name = file_name.substr(file_name.rfind('/') + 1);
    if (file_name.ends_with(".spdx.json")) return Format::spdx;
    if (file_name.ends_with(".cdx.json") || file_name.ends_with(".bom.json") || file_name == "bom.json")
        return Format::cyclonedx;
    return std::nullopt;
}

const char* spelled(Format format) { return format == Format::cyclonedx ? "CycloneDX" : "SPDX"; }

}  // namespace

void check_declared_format(const Document& doc, std::string_view file_name, std::string_view declared_format,
                           std::string_view media_type, const std::string& what) {
    const std::string is = std::string("the document is ") + spelled(doc.format);
    if (declared_format != format_name(doc.format))
        fail(Errc::format, what + ": declared as format '" + std::string(declared_format) + "', but " + is);
    if (media_type != sbom::media_type(doc.format))
        fail(Errc::format, what + ": listed with media type '" + std::string(media_type) + "', but " + is + " (" +
                               sbom::media_type(doc.format) + ")");
    if (auto named = format_by_name(file_name); named && *named != doc.format)
        fail(Errc::format, what + ": its file name says " + spelled(*named) + ", but " + is);
}

}  // namespace sealift::sbom
