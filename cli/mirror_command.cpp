#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "mirror/mirror.hpp"

namespace sealift::cli {
namespace {

std::vector<OptionSpec> registry_options(const char* target_flag, const char* target_help) {
    return {{target_flag, "", true, target_help},
            {"--trust", "", true, "trust.json   the pinned trust root"},
            {"--rules", "", true, "RULES.yaml   repository name mapping rules"},
            {"--username", "-u", true, "USER         registry user (password from --password-stdin)"},
            {"--password-stdin", "", false, "             read the password from standard input"},
            {"--ca-file", "", true, "CA.pem       extra CA bundle for the registry's TLS certificate"},
            {"--cert", "", true, "CERT.pem     TLS client certificate"},
            {"--key", "", true, "KEY.pem      TLS client key"},
            {"--plain-http", "", false, "             talk HTTP, not HTTPS (only when asked for)"},
            {"--json", "", false, "             machine-readable report"},
            {"--quiet", "-q", false, "             no progress display"}};
}

mirror::RegistryOptions registry_from(const Args& args, const std::string& host) {
    mirror::RegistryOptions ro;
    ro.plain_http = args.flag("--plain-http");
    if (auto v = args.value("--ca-file")) ro.ca_file = *v;
    if (auto v = args.value("--cert")) ro.client_cert = *v;
    if (auto v = args.value("--key")) ro.client_key = *v;
    std::optional<mirror::Credentials> creds;
    if (auto user = args.value("--username")) {
        if (!args.flag("--password-stdin")) fail(Errc::usage, "sealift mirror: --username needs --password-stdin");
        std::string password;
        std::getline(std::cin, password);
        creds = mirror::Credentials{*user, password};
    } else if (args.flag("--password-stdin")) {
        fail(Errc::usage, "sealift mirror: --password-stdin needs --username");
    }
    ro.credentials = mirror::resolve_credentials(host, creds);
    return ro;
}

// The parts import and preflight share: bundle, where the registry is, how to reach it, names.
template <typename Options>
void read_common(const Args& args, const char* target_flag, Options& o) {
    o.bundle = args.positionals(1, "one BUNDLE argument")[0];
    o.target = mirror::Target::parse(args.required(target_flag));
    o.registry = registry_from(args, o.target.host);
    if (auto r = args.value("--rules")) o.rules_file = *r;
}

trust::TrustRoot load_trust(const Args& args) {
    try {
        return trust::TrustRoot::load(args.required("--trust"));
    } catch (const Error& e) {
        if (e.code() == Errc::usage) throw;
        fail(Errc::usage, std::string("cannot use trust root: ") + e.what());
    }
}

int run_import(const std::vector<std::string>& argv) {
    auto specs = registry_options("--to", "HOST[:PORT][/PREFIX]  the registry (and path prefix) to import into");
    specs.push_back({"--parallel", "", true, "N            concurrent blob uploads (default 4)"});
    Args args("mirror import", "BUNDLE --trust trust.json --to HOST[:PORT][/PREFIX] [options]", specs, argv);
    if (args.help_requested()) {
        std::cout << args.help_text()
                  << "\nVerifies the bundle while streaming it and pushes blobs as they arrive; manifests and tags are set only\n"
                     "after the whole bundle verified. Re-running an import uploads only what is missing.\n";
        return 0;
    }
    mirror::RegistryImportOptions o;
    read_common(args, "--to", o);
    o.parallel = args.number("--parallel", 1, 64, 4);
    o.quiet = args.flag("--quiet") || args.flag("--json");
    auto root = load_trust(args);
    auto report = mirror::import_to_registry(o, root);
    if (args.flag("--json")) {
        Json artifacts = Json::array();
        for (const auto& a : report.artifacts)
            artifacts.push_back({{"kind", a.kind}, {"source", a.source}, {"target", a.target}, {"digest", a.digest.str()}});
        Json j = {{"release", report.release},
                  {"manifestDigest", report.manifest_digest.str()},
                  {"signers", report.signer_keyids},
                  {"artifacts", artifacts},
                  {"blobsUploaded", report.stats.blobs_uploaded},
                  {"blobsSkipped", report.stats.blobs_skipped},
                  {"blobsMounted", report.stats.blobs_mounted},
                  {"bytesUploaded", report.stats.bytes_uploaded},
                  {"manifestsPushed", report.manifests_pushed},
                  {"tagsSet", report.tags_set},
                  {"retries", report.stats.retries}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("imported %s into %s\n", report.release.c_str(), o.target.host.c_str());
    for (const auto& a : report.artifacts) std::printf("  %-6s %-55s %s\n", a.kind.c_str(), a.target.c_str(), a.digest.str().c_str());
    std::printf("%llu blobs uploaded (%llu bytes), %llu mounted, %llu already present; %llu manifests pushed, %llu tags set\n",
                static_cast<unsigned long long>(report.stats.blobs_uploaded), static_cast<unsigned long long>(report.stats.bytes_uploaded),
                static_cast<unsigned long long>(report.stats.blobs_mounted), static_cast<unsigned long long>(report.stats.blobs_skipped),
                static_cast<unsigned long long>(report.manifests_pushed), static_cast<unsigned long long>(report.tags_set));
    return 0;
}

int run_preflight(const std::vector<std::string>& argv) {
    auto specs = registry_options("--registry", "HOST[:PORT][/PREFIX]  the registry (and path prefix) to check");
    specs.push_back({"--no-read-blobs", "", false, "             check blobs exist without reading them back"});
    Args args("mirror preflight", "BUNDLE --trust trust.json --registry HOST[:PORT][/PREFIX] [options]", specs, argv);
    if (args.help_requested()) {
        std::cout << args.help_text() << "\nExit status: 0 when every image, chart and SBOM is present and intact; 1 otherwise.\n";
        return 0;
    }
    mirror::PreflightOptions o;
    read_common(args, "--registry", o);
    o.read_blobs = !args.flag("--no-read-blobs");
    auto root = load_trust(args);
    auto rows = mirror::preflight_registry(o, root);
    bool all_present = true;
    for (const auto& r : rows) all_present = all_present && r.state == "present";
    if (args.flag("--json")) {
        Json j = Json::array();
        for (const auto& r : rows)
            j.push_back({{"kind", r.kind}, {"name", r.name}, {"expected", r.expected.str()}, {"state", r.state}, {"detail", r.detail}});
        std::cout << Json{{"ready", all_present}, {"items", j}}.dump(2) << "\n";
    } else {
        std::printf("%-10s %-6s %-60s %s\n", "STATE", "KIND", "NAME", "DETAIL");
        for (const auto& r : rows)
            if (r.state != "present" || r.kind != "blob")
                std::printf("%-10s %-6s %-60s %s\n", r.state.c_str(), r.kind.c_str(), r.name.c_str(), r.detail.c_str());
        std::printf("%s\n", all_present ? "ready: everything the release needs is present and intact"
                                        : "NOT READY: see the rows above");
    }
    return all_present ? 0 : 1;
}

int run_mirror(const std::vector<std::string>& argv) {
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
        std::cout << "usage: sealift mirror import|preflight [OPTIONS] (see sealift mirror SUBCOMMAND --help)\n\n"
                     "  import     verify a bundle and push it into an OCI registry\n"
                     "  preflight  check a registry holds everything a bundle's release needs\n";
        return argv.empty() ? 2 : 0;
    }
    std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (argv[0] == "import") return run_import(rest);
    if (argv[0] == "preflight") return run_preflight(rest);
    fail(Errc::usage, "sealift mirror: unknown subcommand '" + argv[0] + "'");
}

CommandRegistration registration{"mirror", "import bundles into a site registry; check it before an upgrade", run_mirror};

}  // namespace
}  // namespace sealift::cli
