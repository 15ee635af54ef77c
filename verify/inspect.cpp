#include "core/error.hpp"
#include "verify/metadata_reader.hpp"
#include "verify/verify.hpp"

namespace sealift::verify {

Inspection inspect_bundle(const std::filesystem::path& bundle) {
    File file = File::open_regular(bundle);
    Inspection out;
    out.file_bytes = file.size();
    MetadataReader meta(file);
    out.manifest = meta.manifest();
    out.manifest_digest = meta.manifest_digest();
    out.signatures = meta.signatures();
    out.carried_roots = meta.carried_roots();
    return out;
}

}  // namespace sealift::verify
