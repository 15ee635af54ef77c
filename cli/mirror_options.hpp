// Options the `sealift mirror ...` commands share: the pinned trust root, how to
// reach and authenticate to a registry, and the bundle/target arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "mirror/import/import.hpp"
#include "trust/trust.hpp"

namespace sealift::cli {

// Credentials and TLS alone, for commands that reach registries without
// importing (build pulls `ref:` images). The TLS client certificate and key
// options are named by the caller: build's --key is its signing key.
constexpr std::array<OptionSpec, 6> registry_access_options(std::string_view cert_flag, std::string_view key_flag) {
    return {{{"--username", "-u", "USER", "registry user (password from --password-stdin)"},
             {"--password-stdin", "", "", "read the password from standard input"},
             {"--ca-file", "", "CA.pem", "extra CA bundle for the registry's TLS certificate"},
             {cert_flag, "", "CERT.pem", "TLS client certificate"},
             {key_flag, "", "KEY.pem", "TLS client key"},
             {"--plain-http", "", "", "talk HTTP, not HTTPS (only when asked for)"}}};
}

// --trust, --rules, credentials, TLS, --json, --quiet; target_flag is "--to" or "--registry".
constexpr auto registry_options(std::string_view target_flag, std::string_view target_help) {
    return join(std::to_array<OptionSpec>({{target_flag, "", "HOST[:PORT][/PREFIX]", target_help},
                                           {"--trust", "", "trust.json", "the pinned trust root"},
                                           {"--rules", "", "RULES.yaml", "repository name mapping rules"}}),
                registry_access_options("--cert", "--key"),
                std::to_array<OptionSpec>(
                    {{"--json", "", "", "machine-readable report"}, {"--quiet", "-q", "", "no progress display"}}));
}

// --username with --password-stdin, if given.
std::optional<registry::Credentials> explicit_credentials(const std::optional<std::string>& username,
                                                          bool password_stdin);
template <const auto& Spec>
std::optional<registry::Credentials> explicit_credentials(const CommandArgs<Spec>& args) {
    return explicit_credentials(args.value("--username"), args.flag("--password-stdin"));
}

// --plain-http, --ca-file and the client certificate; credentials left empty.
template <OptionName CertFlag, OptionName KeyFlag, const auto& Spec>
registry::RegistryOptions registry_transport(const CommandArgs<Spec>& args) {
    registry::RegistryOptions ro;
    ro.plain_http = args.flag("--plain-http");
    if (auto v = args.value("--ca-file")) ro.ca_file = *v;
    if (auto v = args.value(CertFlag.text)) ro.client_cert = *v;
    if (auto v = args.value(KeyFlag.text)) ro.client_key = *v;
    return ro;
}

template <const auto& Spec>
registry::RegistryOptions registry_from(const CommandArgs<Spec>& args, const std::string& host) {
    registry::RegistryOptions ro = registry_transport<"--cert", "--key">(args);
    ro.credentials = registry::resolve_credentials(host, explicit_credentials(args));
    return ro;
}

// The parts import and preflight share: bundle, where the registry is, how to reach it, names.
template <OptionName TargetFlag, const auto& Spec, typename Options>
void read_common(const CommandArgs<Spec>& args, Options& o) {
    o.bundle = args.positionals(1, "one BUNDLE argument")[0];
    o.target = registry::Target::parse(args.required(TargetFlag.text));
    o.registry = registry_from(args, o.target.host);
    if (auto r = args.value("--rules")) o.rules_file = *r;
}

// The trust root in `file`; one that cannot be used is a usage error.
trust::TrustRoot load_trust(const std::string& file);
// --trust, loaded.
template <const auto& Spec>
trust::TrustRoot load_trust(const CommandArgs<Spec>& args) {
    return load_trust(args.required("--trust"));
}

}  // namespace sealift::cli
