// The per-runtime writers behind render(), and the quoting they share.
#pragma once

#include <string>
#include <vector>

#include "mirror/runtime_config/runtime_config.hpp"

namespace sealift::mirror::runtime_config {

std::vector<ConfigFile> containerd_files(const MirrorPlan& plan);
std::vector<ConfigFile> crio_files(const MirrorPlan& plan);
std::vector<ConfigFile> k3s_files(const MirrorPlan& plan);
std::vector<ConfigFile> openshift_files(const MirrorPlan& plan);

// A TOML basic string, quotes included.
std::string toml_string(const std::string& text);
// "AUTHORITY[/TARGET]": where a route's repositories are on the mirror, without scheme.
std::string mirror_location(const MirrorPlan& plan, const Route& route);

inline constexpr const char* generated_note = "Written by `sealift mirror config`; regenerate rather than edit.";

}  // namespace sealift::mirror::runtime_config
