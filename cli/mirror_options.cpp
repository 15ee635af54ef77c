#include "cli/mirror_options.hpp"

#include <iostream>

#include "core/error.hpp"

namespace sealift::cli {

std::optional<registry::Credentials> explicit_credentials(const std::optional<std::string>& username,
                                                          bool password_stdin) {
    if (username) {
        if (!password_stdin) fail(Errc::usage, "--username needs --password-stdin");
        std::string password;
        std::getline(std::cin, password);
        return registry::Credentials{*username, password};
    }
    if (password_stdin) fail(Errc::usage, "--password-stdin needs --username");
    return std::nullopt;
}

trust::TrustRoot load_trust(const std::string& file) {
    try {
        return trust::TrustRoot::load(file);
    } catch (const Error& e) {
        if (e.code() == Errc::usage) throw;
        fail(Errc::usage, std::string("cannot use trust root: ") + e.what());
    }
}

}  // namespace sealift::cli
