// Where in a registry an import writes and a preflight or inventory reads:
// a host and an optional repository prefix under which every name is placed.
#pragma once

#include <string>

namespace sealift::registry {

// HOST[:PORT][/PREFIX], e.g. "registry.local:5000/mirror".
struct Target {
    std::string host;
    std::string prefix;  // "" or "a/b", no leading or trailing '/'
    // Accepts and drops a scheme (https://, http://, oci://, docker://) and trailing slashes.
    // Errc::usage naming the text when the host or the prefix breaks the reference grammar.
    static Target parse(const std::string& text);
};

}  // namespace sealift::registry
