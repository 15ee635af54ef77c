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

// --trust, --rules, credentials, TLS, --json, --quiet; target_flag is "--to" or "--registry".
std::vector<OptionSpec> registry_options(const char* target_flag, const char* target_help);

// Credentials and TLS alone, for commands that reach registries without
// importing (build pulls `ref:` images). The TLS client certificate and key
// options are named by the caller: build's --key is its signing key.
std::vector<OptionSpec> registry_access_options(const char* cert_flag, const char* key_flag);
// --username with --password-stdin, if given.
std::optional<registry::Credentials> explicit_credentials(const Args& args);
// --plain-http, --ca-file and the client certificate; credentials left empty.
registry::RegistryOptions registry_transport(const Args& args, const char* cert_flag, const char* key_flag);

registry::RegistryOptions registry_from(const Args& args, const std::string& host);

// The parts import and preflight share: bundle, where the registry is, how to reach it, names.
template <typename Options>
void read_common(const Args& args, const char* target_flag, Options& o) {
    o.bundle = args.positionals(1, "one BUNDLE argument")[0];
    o.target = registry::Target::parse(args.required(target_flag));
    o.registry = registry_from(args, o.target.host);
    if (auto r = args.value("--rules")) o.rules_file = *r;
}

// --trust, loaded; a trust root that cannot be used is a usage error.
trust::TrustRoot load_trust(const Args& args);

}  // namespace sealift::cli
