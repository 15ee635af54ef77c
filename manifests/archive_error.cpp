#include "manifests/archive_error.hpp"

#include <archive.h>

#include <cstring>

namespace sealift::manifests {

std::string archive_error_text(archive* a) {
    if (const char* text = a ? archive_error_string(a) : nullptr) return text;
    int err = a ? archive_errno(a) : 0;
    return err > 0 ? std::string(std::strerror(err))
                   : std::string("truncated or damaged archive (libarchive gave no reason)");
}

}  // namespace sealift::manifests
