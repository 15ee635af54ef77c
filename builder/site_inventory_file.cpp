// Reading the signed inventory a site sent back, for `sealift build --site-inventory`.
#include "builder/builder.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "trust/trust.hpp"

namespace sealift::builder {

// Digests only, never data: a site holding a million blobs fits well below this.
inline constexpr std::size_t kMaxInventoryBytes = 256u << 20;

InventoryBase read_site_inventory(const std::filesystem::path& file, const trust::PublicKey& site_key) {
    const std::string what = "site inventory " + file.string();
    std::string text;
    try {
        text = read_small_file(file, kMaxInventoryBytes);
    } catch (const Error& e) {
        rethrow_with_context(e, "site inventory");
    }
    Json signed_object = trust::open_signed_by(text, site_key, "site", what);
    return {manifests::SiteInventory::parse_signed(signed_object, what), Sha256::of(text),
            "--site-inventory " + file.string()};
}

}  // namespace sealift::builder
