#include "core/error.hpp"

namespace sealift {

const char* errc_name(Errc code) {
    switch (code) {
    case Errc::usage: return "usage";
    case Errc::io: return "io";
    case Errc::format: return "format";
    case Errc::integrity: return "integrity";
    case Errc::signature: return "signature";
    case Errc::policy: return "policy";
    case Errc::network: return "network";
    case Errc::registry: return "registry";
    case Errc::internal: return "internal";
    }
    return "internal";
}

void rethrow_with_context(const Error& e, const std::string& context) {
    throw Error(e.code(), context + ": " + e.what());
}

}  // namespace sealift
