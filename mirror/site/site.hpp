// The site's own voice back to the vendor: the site key, the signed receipt
// every import writes, and the signed inventory of what the site holds.
//
// The site key is a `sealift keygen` key pair. A store has its own, created with
// it when absent: STORE/site/site.key (0600) and STORE/site/site.pub. A registry
// has no place for a private key, so registry imports and inventories take
// --site-key FILE. Receipts and inventories are trust::Envelope documents signed by
// the site key (manifests/import_receipt.hpp, manifests/site_inventory.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "manifests/import_receipt.hpp"
#include "manifests/site_inventory.hpp"
#include "registry/registry_client.hpp"
#include "registry/target.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror::site {

// ---- the site key ----------------------------------------------------------

std::filesystem::path store_site_key_path(const std::filesystem::path& store);  // STORE/site/site.key
std::filesystem::path store_site_pub_path(const std::filesystem::path& store);  // STORE/site/site.pub

// A key file given with --site-key (PEM PKCS#8, SEALIFT_KEY_PASSPHRASE when encrypted).
trust::PrivateKey load_site_key(const std::filesystem::path& key_file);

// The store's own site key, created (ed25519) when the store has none: both files
// are written in a fresh folder renamed into place, so a crash or a concurrent
// creator never leaves one without the other. The store folder must exist.
trust::PrivateKey store_site_key(const std::filesystem::path& store);

// `override_key` when given, else the store's own key.
trust::PrivateKey site_key_for_store(const std::filesystem::path& store,
                                     const std::optional<std::filesystem::path>& override_key);

// ---- receipts ---------------------------------------------------------------

inline constexpr std::size_t kMaxReceiptBytes = 64u << 20;

// A receipt stamped now, for `bundle` (its file name) imported into `target`
// ("store" or "registry:HOST[/PREFIX]"); the caller adds what the import knows.
manifests::ImportReceipt new_receipt(std::string target, const std::filesystem::path& bundle, std::string_view verdict);

// Signs the receipt (its site_keyid is set to the key's) and writes it atomically.
void write_receipt(const std::filesystem::path& file, manifests::ImportReceipt receipt, const trust::PrivateKey& key);

// Writes STORE/receipts/<time>-<name>-<version>-<verdict>.receipt.json (the bundle's
// file name instead of name-version when the import never read its manifest) and
// returns its path; a name already taken gets a -2, -3... suffix.
std::filesystem::path write_store_receipt(const std::filesystem::path& store, manifests::ImportReceipt receipt,
                                          const trust::PrivateKey& key);

// True when STORE/receipts holds a receipt of release NAME VERSION with `verdict`
// (by its file name, as write_store_receipt names it; one version is one bundle).
bool store_has_receipt(const std::filesystem::path& store, const std::string& name, const std::string& version,
                       std::string_view verdict);

// Removes the temporary files (*.receipt.json.tmp-N) a writer killed before its rename left
// in STORE/receipts, once they are older than a minute (a live writer's exists for milliseconds).
// Returns how many it removed.
std::size_t clean_receipt_temp_files(const std::filesystem::path& store);

// Reads a receipt file and checks its signature by `key`.
manifests::ImportReceipt read_receipt(const std::filesystem::path& file, const trust::PublicKey& key);

// ---- inventories ------------------------------------------------------------

// Releases from the store's committed state (channel, version, current) and every blob file present.
manifests::SiteInventory store_inventory(const std::filesystem::path& store);

// The release records import pushed under the target's prefix and the blobs of
// every manifest reachable from the catalog under it (tags, index children,
// configs, layers). Lists only: reads manifests, never blobs.
manifests::SiteInventory registry_inventory(const registry::Target& target, const registry::RegistryOptions& registry);

// Stamps the inventory with `key`'s id, sorts it and returns the signed file's text.
std::string signed_inventory_text(manifests::SiteInventory inventory, const trust::PrivateKey& key);

}  // namespace sealift::mirror::site
