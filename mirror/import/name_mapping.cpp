#include "mirror/import/name_mapping.hpp"

#include <yaml-cpp/yaml.h>

#include <map>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/reference.hpp"

namespace sealift::mirror {

NameMapping::NameMapping(registry::Target target, const std::filesystem::path& rules_file)
    : target_(std::move(target)) {
    if (rules_file.empty()) return;
    std::string what = rules_file.string();
    YAML::Node doc;
    try {
        doc = YAML::Load(read_small_file(rules_file, 1u << 20));
    } catch (const YAML::Exception& e) {
        fail(Errc::format, what + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
    }
    if (!doc.IsMap() || !doc["rules"] || !doc["rules"].IsSequence())
        fail(Errc::format, what + ": expected `rules:` with a list of {from, to}");
    for (const auto& r : doc["rules"]) {
        auto at = what + ":" + std::to_string(r.Mark().line + 1);
        if (!r.IsMap() || !r["from"] || !r["to"] || r.size() != 2)
            fail(Errc::format, at + ": a rule has exactly `from` and `to`");
        for (const char* key : {"from", "to"})
            if (!r[key].IsScalar()) fail(Errc::format, at + ": `" + key + "` is not a string");
        Rule rule{r["from"].as<std::string>(), r["to"].as<std::string>()};
        while (!rule.from.empty() && rule.from.back() == '/') rule.from.pop_back();
        if (rule.from.empty()) fail(Errc::format, at + ": `from` is empty");
        if (!rule.to.empty() && !manifests::valid_repository_name(rule.to))
            fail(Errc::format, at + ": `to` '" + rule.to + "' is not a valid repository path");
        rules_.push_back(std::move(rule));
    }
}

NameMapping NameMapping::keeping_hosts() {
    NameMapping names(registry::Target{"store", ""});
    names.keep_hosts_ = true;
    return names;
}

std::string NameMapping::prefixed(const std::string& path) const {
    if (target_.prefix.empty()) return path;
    return path.empty() ? target_.prefix : target_.prefix + "/" + path;
}

std::string NameMapping::repository(const std::string& original_name) const {
    // The store keys repositories by the image's full name: "host:port/path" is one, though no registry path.
    if (keep_hosts_) return original_name;
    const Rule* best = nullptr;
    for (const auto& r : rules_) {
        bool match = original_name == r.from || original_name.rfind(r.from + "/", 0) == 0;
        if (match && (!best || r.from.size() > best->from.size())) best = &r;
    }
    std::string repo;
    if (best) {
        std::string rest = original_name.substr(best->from.size());
        if (!rest.empty()) rest = rest.substr(1);
        repo = prefixed(best->to.empty() ? rest : (rest.empty() ? best->to : best->to + "/" + rest));
    } else {
        auto slash = original_name.find('/');
        repo = prefixed(slash == std::string::npos ? original_name : original_name.substr(slash + 1));
    }
    if (repo.empty() || !manifests::valid_repository_name(repo))
        fail(Errc::format, "image " + original_name + " maps to an invalid repository name '" + repo + "'");
    return repo;
}

std::string NameMapping::chart_repository(const std::string& chart_name) const {
    std::string repo = prefixed(manifests::chart_repository(chart_name));
    if (!manifests::valid_repository_name(repo))
        fail(Errc::format, "chart " + chart_name + " maps to an invalid repository name '" + repo + "'");
    return repo;
}

void NameMapping::check_collisions(const std::vector<std::string>& original_names) const {
    std::map<std::string, std::string> seen;
    for (const auto& name : original_names) {
        auto [it, fresh] = seen.emplace(repository(name), name);
        if (!fresh && it->second != name)
            fail(Errc::format, "images " + it->second + " and " + name + " would both land on repository " +
                                   target_.host + "/" + it->first);
    }
}

}  // namespace sealift::mirror
