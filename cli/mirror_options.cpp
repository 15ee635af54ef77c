#include "cli/mirror_options.hpp"

#include <iostream>

#include "core/error.hpp"

namespace sealift::cli {

std::vector<OptionSpec> registry_access_options(const char* cert_flag, const char* key_flag) {
    return {{"--username", "-u", true, "USER         registry user (password from --password-stdin)"},
            {"--password-stdin", "", false, "             read the password from standard input"},
            {"--ca-file", "", true, "CA.pem       extra CA bundle for the registry's TLS certificate"},
            {cert_flag, "", true, "CERT.pem     TLS client certificate"},
            {key_flag, "", true, "KEY.pem      TLS client key"},
            {"--plain-http", "", false, "             talk HTTP, not HTTPS (only when asked for)"}};
}

std::vector<OptionSpec> registry_options(const char* target_flag, const char* target_help) {
    std::vector<OptionSpec> options = {{target_flag, "", true, target_help},
                                       {"--trust", "", true, "trust.json   the pinned trust root"},
                                       {"--rules", "", true, "RULES.yaml   repository name mapping rules"}};
    for (auto& o : registry_access_options("--cert", "--key")) options.push_back(std::move(o));
    options.push_back({"--json", "", false, "             machine-readable report"});
    options.push_back({"--quiet", "-q", false, "             no progress display"});
    return options;
}

std::optional<registry::Credentials> explicit_credentials(const Args& args) {
    if (auto user = args.value("--username")) {
        if (!args.flag("--password-stdin")) fail(Errc::usage, "--username needs --password-stdin");
        std::string password;
        std::getline(std::cin, password);
        return registry::Credentials{*user, password};
    }
    if (args.flag("--password-stdin")) fail(Errc::usage, "--password-stdin needs --username");
    return std::nullopt;
}

registry::RegistryOptions registry_transport(const Args& args, const char* cert_flag, const char* key_flag) {
    registry::RegistryOptions ro;
    ro.plain_http = args.flag("--plain-http");
    if (auto v = args.value("--ca-file")) ro.ca_file = *v;
    if (auto v = args.value(cert_flag)) ro.client_cert = *v;
    if (auto v = args.value(key_flag)) ro.client_key = *v;
    return ro;
}

registry::RegistryOptions registry_from(const Args& args, const std::string& host) {
    registry::RegistryOptions ro = registry_transport(args, "--cert", "--key");
    ro.credentials = registry::resolve_credentials(host, explicit_credentials(args));
    return ro;
}

trust::TrustRoot load_trust(const Args& args) {
    try {
        return trust::TrustRoot::load(args.required("--trust"));
    } catch (const Error& e) {
        if (e.code() == Errc::usage) throw;
        fail(Errc::usage, std::string("cannot use trust root: ") + e.what());
    }
}

}  // namespace sealift::cli
