#include "cli/mirror_options.hpp"

#include <iostream>

#include "core/error.hpp"

namespace sealift::cli {

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

trust::TrustRoot load_trust(const Args& args) {
    try {
        return trust::TrustRoot::load(args.required("--trust"));
    } catch (const Error& e) {
        if (e.code() == Errc::usage) throw;
        fail(Errc::usage, std::string("cannot use trust root: ") + e.what());
    }
}

}  // namespace sealift::cli
