#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "mirror/site/site.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kReceiptVerify{
    "receipt verify", "RECEIPT --site-key site.pub [--json]",
    std::to_array<OptionSpec>({
        {"--site-key", "", "FILE", "the site's public key (site.pub, as `sealift mirror site-key` wrote it)"},
        {"--json", "", "", "print the verified receipt's signed content as JSON"},
    }),
    "Checks an import receipt's signature by the site key and prints what the import did: the release, the verdict, "
    "and "
    "what it put at the site. Exit 1 with the reason when the signature, the key or the file is not right."};

int run_receipt_verify(const std::vector<std::string>& argv) {
    CommandArgs<kReceiptVerify> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    std::filesystem::path file = args.positionals(1, "one RECEIPT argument")[0];
    auto key = trust::PublicKey::load_pem(args.required("--site-key"));
    auto r = mirror::site::read_receipt(file, key);
    if (args.flag("--json")) {
        std::cout << dump_json_safe(r.signed_json(), 2) << "\n";
        return 0;
    }
    std::printf("receipt %s: valid signature by site key %s\n", file.c_str(), r.site_keyid.c_str());
    std::printf("  time     %s\n  target   %s\n  bundle   %s\n", format_time(r.time).c_str(), r.target.c_str(),
                r.bundle.file.c_str());
    if (r.bundle.release)
        std::printf("  release  %s %s (%s) %s\n", r.bundle.release->name.c_str(), r.bundle.release->version.c_str(),
                    r.bundle.release->channel.c_str(), r.bundle.release->manifest_digest.str().c_str());
    for (const auto& s : r.signers) std::printf("  signer   %s\n", s.c_str());
    std::printf("  verdict  %s%s\n", r.verdict.c_str(), r.reason.empty() ? "" : (": " + r.reason).c_str());
    for (const auto& p : r.present) {
        std::string where = p.repository + (Digest::valid(p.reference) ? "@" : ":") + p.reference;
        std::printf("  present  %-55s %s\n", where.c_str(), p.digest.str().c_str());
    }
    return 0;
}

CommandRegistration registration{"receipt verify", "check an import receipt's signature by the site key and print it",
                                 run_receipt_verify};

}  // namespace
}  // namespace sealift::cli
