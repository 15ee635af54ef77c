#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/reference.hpp"
#include "mirror/import/name_mapping.hpp"
#include "mirror/runtime_config/runtime_config.hpp"
#include "mirror/runtime_config/writers.hpp"
#include "mirror/store/store.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror::runtime_config {

Runtime parse_runtime(const std::string& name) {
    if (name == "containerd") return Runtime::containerd;
    if (name == "cri-o" || name == "crio") return Runtime::crio;
    if (name == "k3s" || name == "rke2") return Runtime::k3s;
    if (name == "openshift") return Runtime::openshift;
    fail(Errc::usage, "--runtime: unknown runtime '" + name + "' (want containerd, cri-o, k3s or openshift)");
}

MirrorUrl MirrorUrl::parse(const std::string& text) {
    MirrorUrl url;
    std::string rest;
    if (text.rfind("https://", 0) == 0) {
        rest = text.substr(8);
    } else if (text.rfind("http://", 0) == 0) {
        url.https = false;
        rest = text.substr(7);
    } else {
        fail(Errc::usage, "--mirror '" + text + "': want http(s)://HOST[:PORT][/PREFIX]");
    }
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    auto slash = rest.find('/');
    url.authority = rest.substr(0, slash);
    if (slash != std::string::npos) url.prefix = rest.substr(slash + 1);
    // The mirror is a registry host like those references name (IPv6 included), with one
    // exception: a reference may carry port 0, a client cannot reach it.
    std::string why = manifests::domain_problem(url.authority);
    std::size_t colon = url.authority.rfind(':'), bracket = url.authority.rfind(']');
    bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
    if (why.empty() && has_port && url.authority.find_first_not_of('0', colon + 1) == std::string::npos) why = "port 0";
    if (!why.empty()) fail(Errc::usage, "--mirror '" + text + "': '" + url.authority + "' is not HOST[:PORT]: " + why);
    if (!url.prefix.empty() && !manifests::valid_repository_name(url.prefix))
        fail(Errc::usage,
             "--mirror '" + text + "': path '" + url.prefix + "' is not a repository path (lowercase components)");
    return url;
}

std::vector<Route> MirrorPlan::routes_of(const std::string& host) const {
    std::vector<Route> out;
    for (const auto& r : routes)
        if (r.source == host || r.source.rfind(host + "/", 0) == 0) out.push_back(r);
    return out;
}

std::string mirror_location(const MirrorPlan& plan, const Route& route) {
    return route.target.empty() ? plan.mirror.authority : plan.mirror.authority + "/" + route.target;
}

MirrorPlan plan_for_store(const std::filesystem::path& store_dir, const MirrorUrl& mirror) {
    if (!mirror.prefix.empty())
        fail(Errc::usage, "--mirror: the embedded mirror serves repositories at its root; a path ('" + mirror.prefix +
                              "') applies only to a registry the bundles were imported into (--bundle)");
    auto snapshot = store::Store::open(store_dir)->snapshot();
    std::set<std::string> hosts;
    for (const auto& key : snapshot->repositories()) {
        auto slash = key.find('/');
        if (slash != std::string::npos && manifests::looks_like_registry_host(key.substr(0, slash)))
            hosts.insert(key.substr(0, slash));
    }
    if (hosts.empty()) fail(Errc::usage, "store " + store_dir.string() + " holds no images: import a release first");
    MirrorPlan plan;
    plan.mirror = mirror;
    plan.embedded = true;
    for (const auto& h : hosts) {
        plan.hosts.push_back(h);
        plan.routes.push_back({h, h});  // the server answers MIRROR/HOST/path from its "HOST/path" key
    }
    return plan;
}

MirrorPlan plan_for_images(const std::vector<std::string>& original_names, const MirrorUrl& mirror,
                           const std::filesystem::path& rules_file) {
    NameMapping names(registry::Target{mirror.authority, mirror.prefix}, rules_file);
    names.check_collisions(original_names);
    // host -> (repository path -> target repository)
    std::map<std::string, std::map<std::string, std::string>> by_host;
    for (const auto& name : original_names) {
        auto slash = name.find('/');
        if (slash == std::string::npos) fail(Errc::format, "image name '" + name + "' has no registry host");
        by_host[name.substr(0, slash)][name.substr(slash + 1)] = names.repository(name);
    }
    if (by_host.empty()) fail(Errc::usage, "the bundles hold no images: there is nothing to mirror");
    MirrorPlan plan;
    plan.mirror = mirror;
    for (const auto& [host, repos] : by_host) {
        plan.hosts.push_back(host);
        // The whole host keeps its paths below one prefix when every repository's target ends in its own path.
        std::set<std::string> prefixes;
        bool moved = false;  // a rule moved a repository: no prefix can stand for it
        for (const auto& [path, target] : repos) {
            if (target == path)
                prefixes.insert("");
            else if (target.size() > path.size() &&
                     target.compare(target.size() - path.size() - 1, std::string::npos, "/" + path) == 0)
                prefixes.insert(target.substr(0, target.size() - path.size() - 1));
            else
                moved = true;
        }
        if (!moved && prefixes.size() == 1) {
            plan.routes.push_back({host, *prefixes.begin()});
        } else {
            for (const auto& [path, target] : repos) plan.routes.push_back({host + "/" + path, target});
        }
    }
    std::sort(plan.routes.begin(), plan.routes.end(),
              [](const Route& a, const Route& b) { return a.source < b.source; });
    return plan;
}

MirrorPlan plan_for_bundles(const std::vector<std::filesystem::path>& bundles, const trust::TrustRoot& root,
                            const MirrorUrl& mirror, const std::filesystem::path& rules_file) {
    std::set<std::string> originals;
    for (const auto& bundle : bundles) {
        // The signed list is what import pushed; the payload was checked when it was imported.
        auto signed_manifest = verify::read_base_bundle(bundle, root);
        for (const auto& img : signed_manifest.manifest.images)
            originals.insert(manifests::ImageReference::parse(img.ref, bundle.string() + ": image").name());
    }
    return plan_for_images({originals.begin(), originals.end()}, mirror, rules_file);
}

void set_ca_file(MirrorPlan& plan, const std::filesystem::path& ca_file) {
    plan.ca_pem = read_small_file(ca_file, 1u << 20);
    if (plan.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        fail(Errc::usage, "--ca-file " + ca_file.string() + ": not a PEM certificate (no BEGIN CERTIFICATE line)");
    plan.ca_file = std::filesystem::absolute(ca_file).lexically_normal();
}

std::vector<ConfigFile> render(Runtime runtime, const MirrorPlan& plan) {
    switch (runtime) {
    case Runtime::containerd: return containerd_files(plan);
    case Runtime::crio: return crio_files(plan);
    case Runtime::k3s: return k3s_files(plan);
    case Runtime::openshift: return openshift_files(plan);
    }
    fail(Errc::usage, "--runtime: unknown runtime");
}

}  // namespace sealift::mirror::runtime_config
