#include "core/error.hpp"
#include "verify/metadata_reader.hpp"
#include "verify/verify.hpp"

namespace sealift::verify {

Inspection inspect_bundle(const std::filesystem::path& bundle) {
    BundleInput input(bundle);
    Inspection out;
    out.file_bytes = input.size();
    out.parts = input.parts();
    MetadataReader meta(input);
    out.manifest = meta.manifest();
    out.manifest_bytes = meta.manifest_bytes();
    out.manifest_digest = meta.manifest_digest();
    out.signatures = meta.signatures();
    out.carried_roots = meta.carried_roots();
    return out;
}

}  // namespace sealift::verify
