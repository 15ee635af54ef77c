#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kInit{
    "mirror init", "--store DIR",
    std::to_array<OptionSpec>({
        {"--store", "", "DIR", "the folder to make a store in: missing, or empty (as `install -d` makes it)"},
    }),
    "Creates an empty store for the embedded mirror, with its site key (STORE/site/site.key). Every other command "
    "(serve, import without --create, site-key, gc, rollback, releases, inventory, preflight) refuses a folder that is "
    "not a store, so a typo in --store never becomes a new store. Run again on a store, it changes nothing; a folder "
    "holding anything else is refused."};

int run_init(const std::vector<std::string>& argv) {
    CommandArgs<kInit> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    std::filesystem::path store = args.required("--store");
    bool created = mirror::store::create_store(store);
    auto key = mirror::site::store_site_key(store).public_key();
    std::cout << (created ? "created store " : "already a store: ") << store.string() << " (site key " << key.keyid()
              << ")\n";
    return 0;
}

CommandRegistration registration{"mirror init", "create an empty store for the embedded mirror", run_init};

}  // namespace
}  // namespace sealift::cli
