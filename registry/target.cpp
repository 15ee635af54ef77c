#include "registry/target.hpp"

#include "core/error.hpp"
#include "manifests/reference.hpp"

namespace sealift::registry {

Target Target::parse(const std::string& text) {
    std::string t = text;
    for (const char* scheme : {"https://", "http://", "oci://", "docker://"})
        if (t.rfind(scheme, 0) == 0) t = t.substr(std::string(scheme).size());
    while (!t.empty() && t.back() == '/') t.pop_back();
    Target out;
    auto slash = t.find('/');
    out.host = t.substr(0, slash);
    out.prefix = slash == std::string::npos ? "" : t.substr(slash + 1);
    if (out.host.empty()) fail(Errc::usage, "invalid target '" + text + "' (want HOST[:PORT][/PREFIX])");
    if (auto problem = manifests::domain_problem(out.host); !problem.empty())
        fail(Errc::usage, "invalid target host '" + out.host + "' in '" + text + "': " + problem);
    if (!out.prefix.empty() && !manifests::valid_repository_name(out.prefix))
        fail(Errc::usage, "invalid target prefix '" + out.prefix + "' in '" + text + "' (lowercase path components)");
    return out;
}

}  // namespace sealift::registry
