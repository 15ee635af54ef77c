#include <unistd.h>

#include <system_error>

#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/site/site.hpp"

namespace sealift::mirror::site {

std::filesystem::path store_site_key_path(const std::filesystem::path& store) { return store / "site" / "site.key"; }
std::filesystem::path store_site_pub_path(const std::filesystem::path& store) { return store / "site" / "site.pub"; }

trust::PrivateKey load_site_key(const std::filesystem::path& key_file) {
    try {
        return trust::PrivateKey::load_pem(key_file);
    } catch (const Error& e) {
        rethrow_with_context(e, "site key");
    }
}

namespace {

// Generates the key pair in a fresh folder beside STORE/site and renames the
// folder into place: the rename is atomic, and it fails when another creator's
// folder (which is never empty) got there first, whose key is then used.
void create_store_site_key(const std::filesystem::path& store) {
    std::filesystem::path site_dir = store / "site";
    std::filesystem::path temp = store / ("site.tmp-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(now_seconds().time_since_epoch().count()));
    std::error_code ec;
    std::filesystem::remove_all(temp, ec);
    try {
        trust::generate_key(trust::KeyType::ed25519, temp / "site");
        fsync_directory(temp);
    } catch (...) {
        std::filesystem::remove_all(temp, ec);
        throw;
    }
    std::filesystem::rename(temp, site_dir, ec);
    if (ec) {
        std::filesystem::remove_all(temp);
        if (!std::filesystem::exists(store_site_key_path(store)))
            fail(Errc::io, site_dir.string() + ": cannot create the store's site key: " + ec.message());
        return;  // another process created it first
    }
    fsync_directory(store);
}

}  // namespace

trust::PrivateKey store_site_key(const std::filesystem::path& store) {
    std::filesystem::path key_path = store_site_key_path(store);
    if (!std::filesystem::is_directory(store))
        fail(Errc::io, store.string() + ": not a store folder, no site key there");
    std::error_code ec;
    // An empty folder is what a creator that died before its rename cannot leave, but
    // an admin may: the rename replaces it.
    bool no_folder = !std::filesystem::exists(store / "site");
    if (!std::filesystem::exists(key_path) && (no_folder || std::filesystem::is_empty(store / "site", ec)))
        create_store_site_key(store);
    if (!std::filesystem::exists(key_path))
        fail(Errc::io, (store / "site").string() + ": holds no site.key (restore it, or pass --site-key)");
    return load_site_key(key_path);
}

trust::PrivateKey site_key_for_store(const std::filesystem::path& store,
                                     const std::optional<std::filesystem::path>& override_key) {
    return override_key ? load_site_key(*override_key) : store_site_key(store);
}

}  // namespace sealift::mirror::site
