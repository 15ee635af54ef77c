#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/mirror_options.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kInventory{
    "mirror inventory", "(--store DIR | --registry HOST[:PORT][/PREFIX] --site-key FILE) -o site.inventory",
    join(registry_options("--registry", "list what this registry (under the prefix) holds"),
         std::to_array<OptionSpec>({
             {"--store", "", "DIR", "list what the embedded mirror's store holds"},
             {"--site-key", "", "FILE", "the site's private key (default with --store: the store's own)"},
             {"--out", "-o", "FILE", "where the signed inventory is written"},
         })),
    "Writes what the site holds, signed with its site key: the releases per channel with their versions and which one "
    "is "
    "current, and the digest of every blob present. It holds digests, never data, so it is small enough to carry out; "
    "the "
    "vendor builds against it (`sealift build --site-inventory`) to ship only what the site lacks. A registry's "
    "releases "
    "are the records `sealift mirror import` pushes under PREFIX/sealift/releases."};

int run_inventory(const std::vector<std::string>& argv) {
    CommandArgs<kInventory> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    std::filesystem::path out = args.required("--out");
    auto store = args.value("--store");
    auto registry = args.value("--registry");
    if (store.has_value() == registry.has_value())
        fail(Errc::usage, "sealift mirror inventory: give --store DIR or --registry HOST[:PORT][/PREFIX], one of them");
    std::optional<std::filesystem::path> key_file;
    if (auto k = args.value("--site-key")) key_file = *k;
    manifests::SiteInventory inventory;
    std::optional<trust::PrivateKey> key;
    if (store) {
        // The inventory first: it refuses a folder that is no store before a site key is created in it.
        inventory = mirror::site::store_inventory(*store);
        key = mirror::site::site_key_for_store(*store, key_file);
    } else {
        if (!key_file)
            fail(Errc::usage, "sealift mirror inventory: --registry needs --site-key FILE (a registry holds no key)");
        key = mirror::site::load_site_key(*key_file);
        auto target = registry::Target::parse(*registry);
        inventory = mirror::site::registry_inventory(target, registry_from(args, target.host));
    }
    write_file_atomically(out, mirror::site::signed_inventory_text(inventory, *key));
    std::cout << "wrote " << out.string() << ": " << inventory.releases.size() << " release(s), "
              << inventory.blobs.size() << " blob(s), signed by site key " << key->public_key().keyid() << "\n";
    return 0;
}

CommandRegistration registration{
    "mirror inventory", "write the signed list of what the site holds (releases, blob digests)", run_inventory};

}  // namespace
}  // namespace sealift::cli
