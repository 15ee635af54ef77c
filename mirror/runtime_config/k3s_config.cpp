// k3s and RKE2: registries.yaml, from which they write containerd's hosts.toml.
// The embedded mirror needs no rewrite (containerd's ?ns=HOST finds the original
// key); a registry target gets `rewrite` rules giving each mapped path.
#include <yaml-cpp/yaml.h>

#include "mirror/runtime_config/writers.hpp"

namespace sealift::mirror::runtime_config {
namespace {

// Repository paths hold [a-z0-9._/-]: only '.' means something in a regular expression.
std::string regex_literal(const std::string& path) {
    std::string out;
    for (char c : path) out += c == '.' ? std::string("\\.") : std::string(1, c);
    return out;
}

// rewrite: regular expression over the repository path (host removed) -> the path to ask the mirror for.
std::vector<std::pair<std::string, std::string>> rewrites(const MirrorPlan& plan, const std::string& host) {
    std::vector<std::pair<std::string, std::string>> out;
    if (plan.embedded) return out;
    for (const auto& r : plan.routes_of(host)) {
        if (r.source == host) {
            if (!r.target.empty()) out.push_back({"^(.*)$", r.target + "/$1"});
        } else {
            out.push_back({"^" + regex_literal(r.source.substr(host.size() + 1)) + "$", r.target});
        }
    }
    return out;
}

}  // namespace

std::vector<ConfigFile> k3s_files(const MirrorPlan& plan) {
    YAML::Emitter out;
    out << YAML::Comment(std::string(generated_note) +
                         " Install as /etc/rancher/k3s/registries.yaml (RKE2: /etc/rancher/rke2/).");
    out << YAML::BeginMap << YAML::Key << "mirrors" << YAML::Value << YAML::BeginMap;
    for (const auto& host : plan.hosts) {
        out << YAML::Key << host << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "endpoint" << YAML::Value << YAML::BeginSeq << plan.mirror.origin() << YAML::EndSeq;
        if (auto rules = rewrites(plan, host); !rules.empty()) {
            out << YAML::Key << "rewrite" << YAML::Value << YAML::BeginMap;
            for (const auto& [pattern, replacement] : rules)
                out << YAML::Key << YAML::DoubleQuoted << pattern << YAML::Value << YAML::DoubleQuoted << replacement;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    if (!plan.ca_file.empty()) {
        out << YAML::Key << "configs" << YAML::Value << YAML::BeginMap << YAML::Key << plan.mirror.authority
            << YAML::Value << YAML::BeginMap << YAML::Key << "tls" << YAML::Value << YAML::BeginMap << YAML::Key
            << "ca_file" << YAML::Value << plan.ca_file.string() << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndMap;
    return {{"registries.yaml", std::string(out.c_str()) + "\n"}};
}

}  // namespace sealift::mirror::runtime_config
