// A listener address as the config writes it: "HOST:PORT", "[V6]:PORT" or ":PORT"
// (all interfaces). Enough to tell two listeners apart before binding them.
#pragma once

#include <string>

namespace sealift::mirror::daemon {

struct ListenAddress {
    std::string host;  // "" for all interfaces; without brackets
    int port = 0;      // 0: the kernel picks one

    // Errc::usage naming the text when it is not HOST:PORT with a port 0..65535.
    static ListenAddress parse(const std::string& text);
    // Whether binding both could hit the same socket: same non-zero port, and the
    // same host or either one listening on all interfaces.
    bool overlaps(const ListenAddress& other) const;
};

}  // namespace sealift::mirror::daemon
