#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/mirror_options.hpp"
#include "core/error.hpp"
#include "mirror/runtime_config/runtime_config.hpp"

namespace sealift::cli {
namespace {

namespace rc = mirror::runtime_config;

constexpr CommandSpec kConfig{
    "mirror config",
    "--runtime containerd|cri-o|k3s|openshift --mirror URL (--store DIR | --bundle FILE... --trust trust.json) -o DIR "
    "[options]",
    std::to_array<OptionSpec>({
        {"--runtime", "", "NAME", "containerd, cri-o (podman too), k3s (RKE2 too) or openshift"},
        {"--mirror", "", "URL", "http(s)://HOST[:PORT][/PREFIX], the mirror the nodes pull through"},
        {"--store", "", "DIR", "the embedded mirror's store: mirror every registry its releases came from"},
        {"--bundle", "", "FILE", "a bundle imported into the registry at --mirror (repeatable)"},
        {"--trust", "", "trust.json", "the pinned trust root the bundles' signatures are checked against"},
        {"--rules", "", "RULES.yaml", "the name mapping rules the bundles were imported with"},
        {"--ca-file", "", "FILE", "the CA certificate of an https mirror, written where the runtime takes one"},
        {"--out", "-o", "DIR", "where the files are written"},
        {"--force", "", "", "replace existing files with different content"},
    }),
    "Writes (relative to DIR):\n"
    "  containerd  certs.d/HOST/hosts.toml per upstream host (containerd's config_path, ctr --hosts-dir)\n"
    "  cri-o       registries.conf.d/50-sealift.conf (+ certs.d/MIRROR/ca.crt with --ca-file)\n"
    "  k3s         registries.yaml\n"
    "  openshift   image-digest-mirror-set.yaml, image-tag-mirror-set.yaml (+ mirror-ca-configmap.yaml)"};

int run_config(const std::vector<std::string>& argv) {
    CommandArgs<kConfig> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    auto runtime = rc::parse_runtime(args.required("--runtime"));
    auto mirror = rc::MirrorUrl::parse(args.required("--mirror"));
    auto out = args.required("--out");
    auto bundles = args.values("--bundle");
    rc::MirrorPlan plan;
    if (auto store = args.value("--store")) {
        if (!bundles.empty()) fail(Errc::usage, "sealift mirror config: give --store or --bundle, not both");
        if (args.value("--rules"))
            fail(Errc::usage,
                 "sealift mirror config: --rules applies to --bundle only (the store keeps original names)");
        plan = rc::plan_for_store(*store, mirror);
    } else if (!bundles.empty()) {
        auto root = load_trust(args);
        std::vector<std::filesystem::path> files(bundles.begin(), bundles.end());
        plan = rc::plan_for_bundles(files, root, mirror, args.value("--rules").value_or(""));
    } else {
        fail(Errc::usage,
             "sealift mirror config: give --store DIR (embedded mirror) or --bundle FILE (registry target)");
    }
    if (auto ca = args.value("--ca-file")) rc::set_ca_file(plan, *ca);
    for (const auto& f : rc::write_config_files(out, rc::render(runtime, plan), args.flag("--force")))
        std::cout << (f.changed ? "wrote     " : "unchanged ") << f.path.string() << "\n";
    return 0;
}

CommandRegistration registration{"mirror config",
                                 "write a container runtime's configuration to pull through the mirror", run_config};

}  // namespace
}  // namespace sealift::cli
