// Tying an SBOM to the image it claims to describe: by digest when the SBOM
// carries one (the only binding that cannot be mistaken), else by name and tag.
#include "core/error.hpp"
#include "manifests/reference.hpp"
#include "sbom/json_node.hpp"
#include "sbom/sbom.hpp"

namespace sealift::sbom {
namespace {

using detail::shown;

std::string describe(const Document& doc) {
    if (doc.subject_name.empty() && !doc.subject_digest) return "no subject";
    std::string out = doc.subject_name.empty() ? "an unnamed subject" : shown(doc.subject_name);
    if (!doc.subject_version.empty()) out += " version " + shown(doc.subject_version);
    if (doc.subject_digest) out += " (" + doc.subject_digest->str() + ")";
    return out;
}

// Generators differ in how they name an image: some write the repository, some
// the reference as given, "repo:tag" or "repo@sha256:...". Splits those parts off.
struct SubjectName {
    std::string repository, tag;
    std::optional<Digest> digest;
};

SubjectName split_subject_name(std::string_view name) {
    SubjectName out;
    if (std::size_t at = name.find('@'); at != name.npos && Digest::valid(name.substr(at + 1))) {
        out.digest = Digest::parse(name.substr(at + 1));
        name = name.substr(0, at);
    }
    std::size_t slash = name.rfind('/'), colon = name.rfind(':');
    if (colon != name.npos && (slash == name.npos || colon > slash)) {
        out.tag = std::string(name.substr(colon + 1));
        name = name.substr(0, colon);
    }
    out.repository = std::string(name);
    return out;
}

}  // namespace

void check_subject(const Document& doc, std::string_view image_ref, const Digest& manifest_digest,
                   const std::string& what) {
    manifests::ImageReference image = manifests::ImageReference::parse(image_ref, what);
    auto refuse = [&](const std::string& why) {
        fail(Errc::format, what + ": the SBOM describes " + describe(doc) + ", not the image " +
                               std::string(image_ref) + " (" + manifest_digest.str() + "): " + why);
    };
    if (doc.subject_digest) {
        if (*doc.subject_digest != manifest_digest) refuse("the digests differ");
        return;
    }
    if (doc.subject_name.empty()) refuse("the SBOM names no subject");
    SubjectName subject = split_subject_name(doc.subject_name);
    if (subject.digest) {
        if (*subject.digest != manifest_digest) refuse("the digests differ");
        return;
    }
    std::string last_segment = image.repository.substr(image.repository.rfind('/') + 1);
    if (subject.repository != image.name() && subject.repository != image.repository &&
        subject.repository != last_segment)
        refuse("the name is not the image's repository");
    if (image.tag.empty()) return;  // a reference by digest only has no tag to compare
    for (const std::string& version : {subject.tag, doc.subject_version})
        if (!version.empty() && version != image.tag)
            refuse("the version " + shown(version) + " is not the image's tag " + shown(image.tag));
}

}  // namespace sealift::sbom
