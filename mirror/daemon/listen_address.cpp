#include "mirror/daemon/listen_address.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace sealift::mirror::daemon {
namespace {

bool all_interfaces(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

}  // namespace

ListenAddress ListenAddress::parse(const std::string& text) {
    auto colon = text.rfind(':');
    auto bad = [&](const std::string& why) -> ListenAddress {
        fail(Errc::usage, "'" + text + "' is not a listen address HOST:PORT (" + why + ")");
    };
    if (colon == std::string::npos) return bad("no port");
    ListenAddress a;
    a.host = text.substr(0, colon);
    std::string port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return bad("bad port");
    a.port = std::stoi(port);
    if (a.port > 65535) return bad("port above 65535");
    if (!a.host.empty() && a.host.front() == '[') {
        if (a.host.back() != ']') return bad("unclosed '['");
        a.host = a.host.substr(1, a.host.size() - 2);
    } else if (a.host.find(':') != std::string::npos) {
        return bad("an IPv6 host goes in brackets");
    }
    if (a.host.find_first_of(" /@") != std::string::npos) return bad("bad host");
    if (a.host == "localhost") a.host = "127.0.0.1";
    return a;
}

bool ListenAddress::overlaps(const ListenAddress& other) const {
    if (port == 0 || port != other.port) return false;
    return host == other.host || all_interfaces(host) || all_interfaces(other.host);
}

}  // namespace sealift::mirror::daemon
