// Where an original reference lands in the site's registry. By default the
// original registry host is dropped and the target prefix put in front:
// registry.example.com/platform/api:1.0.0 -> PREFIX/platform/api:1.0.0.
// A rules file maps registries and paths otherwise. Digests never change.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mirror/import/import.hpp"

namespace sealift::mirror {

class NameMapping {
public:
    // rules_file: YAML `rules: [{from: "registry.example.com/platform", to: "team-a"}]`; the longest
    // matching `from` (whole path components) wins, `to` is relative to the target prefix.
    NameMapping(registry::Target target, const std::filesystem::path& rules_file = {});
    // The embedded mirror's mapping: images keep their original names, host included, so
    // images that differ only by registry host never collide there.
    static NameMapping keeping_hosts();

    // The repository (without host) an original image name "registry/path" maps to.
    std::string repository(const std::string& original_name) const;
    std::string chart_repository(const std::string& chart_name) const;
    const registry::Target& target() const { return target_; }

    // Refuses two original names that would land on one repository, naming both.
    void check_collisions(const std::vector<std::string>& original_names) const;

private:
    struct Rule {
        std::string from, to;
    };
    std::string prefixed(const std::string& path) const;
    registry::Target target_;
    std::vector<Rule> rules_;
    bool keep_hosts_ = false;
};

}  // namespace sealift::mirror
