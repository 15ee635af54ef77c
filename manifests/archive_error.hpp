// libarchive's error text, safe to append to a message: archive_error_string()
// returns NULL when libarchive set no message (a truncated gzip stream does
// that), and a NULL appended to a std::string is a crash, not an error.
#pragma once

#include <string>

struct archive;

namespace sealift::manifests {

// The archive's last error message, or a fallback naming its errno when libarchive set none.
std::string archive_error_text(archive* a);

}  // namespace sealift::manifests
