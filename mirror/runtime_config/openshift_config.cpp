// OpenShift: ImageDigestMirrorSet and ImageTagMirrorSet (config.openshift.io/v1),
// one mirror per upstream host (or per repository when the name mapping moved
// them apart); with a CA, the ConfigMap that image.config's additionalTrustedCA names.
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "mirror/runtime_config/writers.hpp"

namespace sealift::mirror::runtime_config {
namespace {

std::string mirror_set(const MirrorPlan& plan, const char* kind, const char* list) {
    YAML::Emitter out;
    out << YAML::Comment(generated_note);
    out << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "config.openshift.io/v1";
    out << YAML::Key << "kind" << YAML::Value << kind;
    out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
        << "sealift-mirror" << YAML::EndMap;
    out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap << YAML::Key << list << YAML::Value << YAML::BeginSeq;
    for (const auto& route : plan.routes) {
        out << YAML::BeginMap << YAML::Key << "source" << YAML::Value << route.source;
        out << YAML::Key << "mirrors" << YAML::Value << YAML::BeginSeq << mirror_location(plan, route) << YAML::EndSeq;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

// The ConfigMap key is the registry's host, its port written after ".."; a key
// holds only [-._a-zA-Z0-9], so an IPv6 address cannot be one.
std::string ca_configmap(const MirrorPlan& plan) {
    std::string key = plan.mirror.authority;
    if (key.front() == '[')
        fail(Errc::usage, "--runtime openshift --ca-file: the CA ConfigMap cannot name the IPv6 mirror " + key +
                              " (its keys hold no '[' or ':'); give --mirror a host name");
    if (auto colon = key.find(':'); colon != std::string::npos) key.replace(colon, 1, "..");
    YAML::Emitter out;
    out << YAML::Comment(std::string(generated_note) +
                         " Apply, then: oc patch image.config.openshift.io/cluster --type=merge"
                         " -p '{\"spec\":{\"additionalTrustedCA\":{\"name\":\"sealift-mirror-ca\"}}}'");
    out << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "v1" << YAML::Key << "kind" << YAML::Value
        << "ConfigMap";
    out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
        << "sealift-mirror-ca" << YAML::Key << "namespace" << YAML::Value << "openshift-config" << YAML::EndMap;
    out << YAML::Key << "data" << YAML::Value << YAML::BeginMap << YAML::Key << key << YAML::Value << YAML::Literal
        << plan.ca_pem << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace

std::vector<ConfigFile> openshift_files(const MirrorPlan& plan) {
    std::vector<ConfigFile> files{
        {"image-digest-mirror-set.yaml", mirror_set(plan, "ImageDigestMirrorSet", "imageDigestMirrors")},
        {"image-tag-mirror-set.yaml", mirror_set(plan, "ImageTagMirrorSet", "imageTagMirrors")}};
    if (!plan.ca_pem.empty()) files.push_back({"mirror-ca-configmap.yaml", ca_configmap(plan)});
    return files;
}

}  // namespace sealift::mirror::runtime_config
