// A site with an embedded-mirror store, and bundles of one release line
// (all signed with the first fixture's release key, so one trust root verifies them).
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "mirror/import/import.hpp"
#include "mirror/store/store.hpp"
#include "support/release_fixture.hpp"

namespace sealift::test {

struct StoreSite {
    ReleaseFixture fx{"1.0.0"};
    std::filesystem::path first_bundle = fx.build();
    TempDir dir;
    std::filesystem::path store = dir / "store";
    std::deque<std::unique_ptr<ReleaseFixture>> others;

    // A bundle of another version of the release, signed with the first fixture's key.
    std::filesystem::path bundle(const std::string& version, const std::string& channel = "stable") {
        others.push_back(std::make_unique<ReleaseFixture>(version, channel));
        return others.back()->build({fx.release_key});
    }

    // A delta bundle of `version` on `base`, signed likewise.
    std::filesystem::path delta(const std::string& version, const std::filesystem::path& base) {
        others.push_back(std::make_unique<ReleaseFixture>(version));
        return others.back()->build_delta(base, fx.release_key, fx.root());
    }

    mirror::StoreImportReport import(const std::filesystem::path& bundle) {
        mirror::StoreImportOptions o;
        o.bundle = bundle;
        o.store = store;
        o.create = true;  // the site's first import makes its store
        o.quiet = true;
        auto root = fx.root();
        return mirror::import_to_store(o, &root);
    }

    // The error message of a refused import, or "IMPORTED".
    std::string refusal(const std::filesystem::path& bundle) {
        return test::error_of([&] { import(bundle); }, "IMPORTED");
    }

    // Everything a reader can see: state, release records, pinned root, blob names and contents' sizes.
    std::map<std::string, std::string> visible_state() const {
        std::map<std::string, std::string> out;
        if (!std::filesystem::exists(store)) return out;
        for (const auto& e : std::filesystem::recursive_directory_iterator(store)) {
            auto rel = std::filesystem::relative(e.path(), store).string();
            // Receipts record refusals too, and the site key is made by the first import, whatever its outcome.
            if (rel.rfind("tmp", 0) == 0 || rel.rfind("receipts", 0) == 0 || rel.rfind("site", 0) == 0 ||
                rel == "audit.log" || rel == "lock" || !e.is_regular_file())
                continue;
            out[rel] = rel.rfind("blobs/", 0) == 0 ? std::to_string(e.file_size()) : read_text(e.path());
        }
        return out;
    }

    std::shared_ptr<const mirror::store::Snapshot> snapshot() const {
        return mirror::store::Store::open(store)->refresh();
    }
};

}  // namespace sealift::test
