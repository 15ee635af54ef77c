// sealift keygen: a signing key pair for the root or a release role.
#include <cstdlib>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "trust/trust.hpp"

namespace {

constexpr sealift::cli::CommandSpec kKeygen{
    "keygen", "--out DIR/NAME [--type ed25519|ecdsa-p256]",
    std::to_array<sealift::cli::OptionSpec>({
        {"--out", "-o", "DIR/NAME", "writes NAME.key (private, mode 0600) and NAME.pub"},
        {"--type", "", "ed25519|ecdsa-p256", "key type (default ed25519)"},
    }),
    "The private key is encrypted (PKCS#8, AES-256) with SEALIFT_KEY_PASSPHRASE when that is set."};

int keygen(const std::vector<std::string>& argv) {
    using namespace sealift;
    cli::CommandArgs<kKeygen> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    std::string prefix = args.required("--out");
    trust::KeyType type = trust::parse_key_type(args.value("--type").value_or("ed25519"));
    trust::PublicKey key = trust::generate_key(type, prefix);
    const char* passphrase = std::getenv("SEALIFT_KEY_PASSPHRASE");
    std::cout << "private key: " << prefix << ".key" << (passphrase && *passphrase ? " (encrypted)" : "")
              << "\npublic key:  " << prefix << ".pub\nkey id:      " << key.keyid() << "\n";
    return 0;
}

sealift::cli::CommandRegistration registration{"keygen", "create a signing key pair (ed25519 or ecdsa-p256)", keygen};

}  // namespace
