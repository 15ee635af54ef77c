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

int run_inventory(const std::vector<std::string>& argv) {
    auto specs = registry_options("--registry", "HOST[:PORT][/PREFIX]  list what this registry (under the prefix) holds");
    specs.push_back({"--store", "", true, "DIR          list what the embedded mirror's store holds"});
    specs.push_back({"--site-key", "", true, "FILE      the site's private key (default with --store: the store's own)"});
    specs.push_back({"--out", "-o", true, "FILE           where the signed inventory is written"});
    Args args("mirror inventory", "(--store DIR | --registry HOST[:PORT][/PREFIX] --site-key FILE) -o site.inventory", specs, argv);
    if (args.help_requested()) {
        std::cout << args.help_text()
                  << "\nWrites what the site holds, signed with its site key: the releases per channel with their versions\n"
                     "and which one is current, and the digest of every blob present. It holds digests, never data, so it\n"
                     "is small enough to carry out; the vendor builds against it (`sealift build --site-inventory`) to ship\n"
                     "only what the site lacks. A registry's releases are the records `sealift mirror import` pushes under\n"
                     "PREFIX/sealift/releases.\n";
        return 0;
    }
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
        if (!key_file) fail(Errc::usage, "sealift mirror inventory: --registry needs --site-key FILE (a registry holds no key)");
        key = mirror::site::load_site_key(*key_file);
        auto target = registry::Target::parse(*registry);
        inventory = mirror::site::registry_inventory(target, registry_from(args, target.host));
    }
    write_file_atomically(out, mirror::site::signed_inventory_text(inventory, *key));
    std::cout << "wrote " << out.string() << ": " << inventory.releases.size() << " release(s), " << inventory.blobs.size()
              << " blob(s), signed by site key " << key->public_key().keyid() << "\n";
    return 0;
}

CommandRegistration registration{"mirror inventory", "write the signed list of what the site holds (releases, blob digests)",
                                 run_inventory};

}  // namespace
}  // namespace sealift::cli
