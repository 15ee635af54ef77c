// `mirror preflight`: verify the bundle, plan what its release needs at the
// site, and run the one set of checks (preflight_checks.hpp) against a registry
// or against the store.
#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/name_mapping.hpp"
#include "mirror/import/preflight_checks.hpp"
#include "mirror/import/site_content.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/trust_pin.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {

std::vector<PreflightRow> preflight_registry(const PreflightOptions& o, const trust::TrustRoot& root) {
    NameMapping names(o.target, o.rules_file);
    PlanCollector collector(names);
    verify::verify_bundle(o.bundle, root, {}, &collector);
    collector.plan().finish();

    registry::RegistryOptions ro = o.registry;
    ro.host = o.target.host;
    registry::RegistryClient client(ro);
    client.ping();
    auto site = registry_content(client);
    return preflight_checks(collector, registry_chart_reader(client), *site, o.read_blobs);
}

std::vector<PreflightRow> preflight_store(const std::filesystem::path& bundle, const std::filesystem::path& store,
                                          const trust::TrustRoot* given_root, bool read_blobs) {
    auto opened = store::Store::open(store);
    auto root = store::root_to_use(store::StorePaths(store), given_root);
    auto names = NameMapping::keeping_hosts();
    PlanCollector collector(names);
    verify::verify_bundle(bundle, root, {}, &collector);
    collector.plan().finish();

    store::BlobStore blobs(store);
    auto site = store_content(opened->refresh());
    return preflight_checks(collector, store_chart_reader(blobs), *site, read_blobs);
}

}  // namespace sealift::mirror
