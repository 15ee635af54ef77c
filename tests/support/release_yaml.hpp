// The head of a release file as tests write it: apiVersion, kind and a block
// metadata mapping, one field a line, so the positions errors name in the
// lines after it stay the same (metadata ends on line 6, or 7 with created).
#pragma once

#include <string>

namespace sealift::test {

struct ReleaseHead {
    std::string name = "platform";
    std::string version = "1.0.0";
    std::string channel = "stable";
    std::string created;  // written as given (a YAML scalar); no line when empty
};

inline std::string release_yaml_head(const ReleaseHead& head = {}) {
    std::string out = "apiVersion: sealift.dev/v1\nkind: Release\nmetadata:\n  name: " + head.name +
                      "\n  version: " + head.version + "\n  channel: " + head.channel + "\n";
    if (!head.created.empty()) out += "  created: " + head.created + "\n";
    return out;
}

}  // namespace sealift::test
