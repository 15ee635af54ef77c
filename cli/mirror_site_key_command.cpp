#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/file.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kSiteKey{
    "mirror site-key", "--store DIR [-o site.pub]",
    std::to_array<OptionSpec>({
        {"--store", "", "DIR", "the embedded mirror's store (its site key is created when it has none)"},
        {"--out", "-o", "FILE", "write the public key there instead of printing it"},
    }),
    "The store's site key signs its import receipts and inventories. Send the public key to the "
    "vendor once, over a channel you trust: `sealift receipt verify` and `sealift build "
    "--site-inventory` check against it. The private key stays in STORE/site/site.key."};

int run_site_key(const std::vector<std::string>& argv) {
    CommandArgs<kSiteKey> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    std::filesystem::path store = args.required("--store");
    mirror::store::Store::open(store);  // a typo in --store must not create a key in a new folder
    auto key = mirror::site::store_site_key(store).public_key();
    std::string pem = key.to_pem();
    if (auto out = args.value("--out")) {
        write_file_atomically(*out, pem);
        std::cerr << "wrote " << *out << " (site key " << key.keyid() << ")\n";
    } else {
        std::cout << pem;
    }
    return 0;
}

CommandRegistration registration{"mirror site-key", "print the store's site public key (created when absent)",
                                 run_site_key};

}  // namespace
}  // namespace sealift::cli
