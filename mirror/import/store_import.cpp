#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/name_mapping.hpp"
#include "mirror/import/release_content.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/audit_log.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/channel_policy.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/trust_pin.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {
using namespace store;  // the import writes the storage layer's types
namespace {

// Receives the bundle from the verifier: checks policy as soon as the signed
// manifest is known, then stages every blob the store lacks into a private
// folder while the bundle streams. Nothing is visible until commit. A blob the
// store holds is kept only when its copy can stand (keep_present): one of
// another size, flagged corrupt, or (verify_present) hashing wrong is staged
// from the bundle like a missing one and replaces the bad copy at commit.
class StoreSink : public PlanCollector {
public:
    StoreSink(const NameMapping& names, const BlobStore& blobs, Staging& staging, bool quiet, bool verify_present)
        : PlanCollector(names), blobs_(blobs), staging_(staging), quiet_(quiet), verify_present_(verify_present) {}

    struct Repair {
        Digest digest;
        std::string problem;  // what was wrong with the store's copy
    };

    std::function<void(const manifests::BundleManifest&)> check_manifest;

    void on_manifest(const manifests::BundleManifest& m) override {
        check_manifest(m);
        PlanCollector::on_manifest(m);
        progress_.emplace("import " + m.file_name(), m.payload_bytes(), m.entries.size(),
                          quiet_ ? Progress::Mode::quiet : Progress::Mode::automatic);
    }

    void on_entry_begin(const manifests::BundleEntry& e) override {
        PlanCollector::on_entry_begin(e);
        if (!manifests::bundle_paths::is_blob(e.path)) return;
        bool keep = keep_present(e.digest, e.size);  // outside the lock: it may read the store's copy back
        std::lock_guard lock(mu_);
        if (staged_.count(e.digest) || keep) {
            ++blobs_present;
            return;
        }
        writer_.emplace(staging_, e.digest, false);  // the verifier hashes these bytes and stops on a mismatch
    }

    void on_entry_data(const manifests::BundleEntry& e, const char* data, std::size_t size) override {
        PlanCollector::on_entry_data(e, data, size);
        if (writer_) writer_->write(data, size);
        progress_->add_bytes(size);
    }

    void on_entry_end(const manifests::BundleEntry& e) override {
        if (writer_) stage(*writer_);
        writer_.reset();
        PlanCollector::on_entry_end(e);
        progress_->item_done();
    }

    // Large layers: the verifier's workers hash them and write them to their staging
    // files several at once; each is staged when its digest matched.
    unsigned parallel_entries() const override { return verify::default_parallel_entries(); }

    std::unique_ptr<EntryStream> take_entry(const manifests::BundleEntry& e) override {
        bool present = !manifests::bundle_paths::is_blob(e.path);
        bool keep = !present && keep_present(e.digest, e.size);
        {
            std::lock_guard lock(mu_);
            present = present || staged_.count(e.digest) || keep;
            if (present && manifests::bundle_paths::is_blob(e.path)) ++blobs_present;
        }
        if (present) {
            progress_->add_bytes(e.size);
            progress_->item_done();
            return nullptr;
        }
        return std::make_unique<StagingStream>(*this, e.digest);
    }

    // A blob made from bytes in memory (artifact manifests, chart archives, SBOMs);
    // `d` is already their digest (PlannedContent::made_blobs).
    void stage_bytes(const Digest& d, const std::string& bytes) {
        if (staged_.count(d) || keep_present(d, bytes.size())) return;
        BlobWriter writer(staging_, d, false);
        writer.write(bytes.data(), bytes.size());
        stage(writer);
    }

    // Waits for every staged file to be on disk, then renames them into the blob
    // store. Returns the bad copies replaced: the ones keep_present refused, and
    // blobs fsck had quarantined (flagged, bytes moved away).
    std::vector<Repair> place_staged() {
        syncer_.wait();
        std::vector<Repair> repairs;
        for (const auto& [digest, path] : staged_) {
            auto problem = replacing_.find(digest);
            if (problem != replacing_.end())
                repairs.push_back({digest, problem->second});
            else if (flagged_corrupt(blobs_.path_of(digest)))
                repairs.push_back({digest, "flagged corrupt and quarantined"});
            blobs_.place(path, digest);
        }
        if (!staged_.empty()) blobs_.sync();
        return repairs;
    }

    void finish_progress() { progress_->finish(); }

    std::uint64_t blobs_present = 0, blobs_written = 0, bytes_written = 0;

private:
    class StagingStream : public EntryStream {
    public:
        StagingStream(StoreSink& sink, const Digest& digest) : sink_(sink), writer_(sink.staging_, digest, false) {}
        void write(const char* data, std::size_t size) override {
            writer_.write(data, size);
            sink_.progress_->add_bytes(size);
        }
        void finish() override {
            sink_.stage(writer_);
            sink_.progress_->item_done();
        }

    private:
        StoreSink& sink_;
        BlobWriter writer_;  // the verifier hashes these bytes and stops on a mismatch
    };

    // True when the store holds the blob and its copy can stand: the bundle's size
    // always, the digest when the blob is flagged corrupt (then it is rewritten
    // whatever it hashes to) or with verify_present. Otherwise the problem is
    // noted for the repair record and the bundle's copy is staged.
    bool keep_present(const Digest& d, std::uint64_t size) {
        auto held = blobs_.size_of(d);
        if (!held) return false;
        std::string problem;
        if (*held != size) {
            problem = "the store's copy has " + std::to_string(*held) + " bytes, the bundle's " + std::to_string(size);
        } else if (flagged_corrupt(blobs_.path_of(d))) {
            auto reason = corrupt_flag_record(blobs_.path_of(d)).value("reason", std::string());
            problem = "flagged corrupt" + (reason.empty() ? "" : " (" + reason + ")");
        } else if (verify_present_) {
            auto check = check_blob(blobs_, d);
            if (!check) return false;  // gone meanwhile
            if (!check->ok()) problem = "the store's copy hashes to " + check->actual.str();
        }
        if (problem.empty()) return true;
        std::lock_guard lock(mu_);
        replacing_.emplace(d, problem);
        return false;
    }

    void stage(BlobWriter& writer) {
        File file = writer.finish();
        std::lock_guard lock(mu_);
        syncer_.submit(std::move(file));
        staged_[writer.digest()] = writer.path();
        ++blobs_written;
        bytes_written += writer.written();
    }

    const BlobStore& blobs_;
    Staging& staging_;
    bool quiet_, verify_present_;
    std::optional<Progress> progress_;
    std::mutex mu_;  // guards the counters and what follows: large entries arrive on verifier threads
    std::optional<BlobWriter> writer_;
    std::map<Digest, std::filesystem::path> staged_;
    std::map<Digest, std::string> replacing_;  // present copies refused by keep_present, and why
    SyncWorker syncer_;
};

void add_release(State& state, const verify::VerifyReport& v) {
    const auto& m = v.manifest;
    std::string channel = manifests::channel_name(m.channel);
    state.releases.push_back({m.name, m.version.str(), channel, v.manifest_digest, format_time(now_seconds()),
                              v.signer_keyids, state.next_sequence++});
    state.current[State::channel_key(m.name, channel)] = v.manifest_digest;
    if (!state.time_floor || *state.time_floor < m.issued) state.time_floor = m.issued;
}

// The receipt of an import or a refusal, with what the import got to know.
manifests::ImportReceipt store_receipt(const StoreImportOptions& o, const AuditEvent& audit, std::string_view verdict) {
    auto r = site::new_receipt("store", o.bundle, verdict);
    if (!audit.name.empty() && !audit.bundle_digest.empty())
        r.bundle.release =
            manifests::ReceiptBundle::Release{audit.name, audit.version, audit.channel, audit.bundle_digest};
    r.signers = audit.signer_keyids;
    return r;
}

}  // namespace

StoreImportReport import_to_store(const StoreImportOptions& o, const trust::TrustRoot* given_root) {
    StorePaths paths(o.store);
    if (o.create)
        create_store(o.store);
    else
        require_store(o.store);  // before anything is written: a typo in --store must not make a new store
    BlobStore blobs(o.store);
    AuditEvent audit{"import", "rejected", "", {}, "", "", "", {}, Json::object()};
    audit.details["bundle"] = o.bundle.string();
    trust::PrivateKey site_key = site::site_key_for_store(o.store, o.site_key);
    site::clean_receipt_temp_files(o.store);
    try {
        blobs.clean_abandoned_staging();
        trust::TrustRoot root = root_to_use(paths, given_root);
        State before = State::load(paths);
        verify::VerifyOptions vo;
        const TimePoint clock = o.now.value_or(now_seconds());
        vo.now = clock;
        if (before.time_floor && *before.time_floor > vo.now)
            vo.now = *before.time_floor;  // the clock never goes behind an accepted bundle

        auto names = NameMapping::keeping_hosts();
        Staging staging(blobs);
        StoreSink sink(names, blobs, staging, o.quiet, o.verify_present);
        // Policy as soon as the signed manifest is known, before the first payload byte.
        sink.check_manifest = [&](const manifests::BundleManifest& m) {
            audit.name = m.name, audit.version = m.version.str(), audit.channel = manifests::channel_name(m.channel);
            audit.bundle_digest = Sha256::of(m.canonical_bytes());
            admit(before, m, audit.bundle_digest, blobs, o.store.string(), clock);
            check_external_digests(m, blobs);  // the left-out layers its manifests point at, read back once
        };
        verify::VerifyReport verified = verify::verify_bundle(o.bundle, root, vo, &sink);
        const auto& m = verified.manifest;
        audit.bundle_digest = verified.manifest_digest;
        audit.signer_keyids = verified.signer_keyids;
        sink.finish_progress();

        PlannedContent planned = plan_content(sink, blobs);
        for (const auto& c : planned.missing_charts)  // admit() found it; a gc may have removed it since
            fail(Errc::io, blobs.path_of(c.digest).string() + ": " + left_out_chart_name(c) +
                               " was present when the import started and is gone now (a gc ran); run the import again");
        for (const auto& [digest, bytes] : planned.made_blobs) sink.stage_bytes(digest, bytes);
        auto carried = newest_carried_root(root, verified.carried_roots);

        // Commit, under the lock: policy again (another import may have committed meanwhile).
        StoreLock lock(paths);
        State state = State::load(paths);
        Admission admission = admit(state, m, verified.manifest_digest, blobs, o.store.string(), clock);
        auto repairs = sink.place_staged();
        for (const auto& r : repairs) {  // on record at once: the good copies are in place whatever happens next
            AuditEvent repaired{"repair",
                                "done",
                                "blob " + r.digest.str() + ": " + r.problem + "; replaced by the copy " +
                                    o.bundle.filename().string() + " carries",
                                verified.manifest_digest,
                                audit.name,
                                audit.version,
                                audit.channel,
                                {},
                                Json{{"digest", r.digest.str()}, {"bundle", o.bundle.string()}}};
            append_audit(paths, repaired);
        }
        for (const auto& [digest, size] : planned.needed_blobs)
            if (!blobs.contains(digest) && !m.find_external(digest))
                fail(Errc::io,
                     blobs.path_of(digest).string() + ": blob " + digest.str() +
                         " was present when the import started and is gone now (a gc ran); run the import again");
        StoreImportReport report;
        if (admission != Admission::unchanged) {
            write_file_atomically(paths.release_record(verified.manifest_digest),
                                  dump_json_safe(planned.content.to_json(), 1) + "\n");
            if (!has_pinned_root(paths)) pin_root(paths, root);
            if (carried) pin_root(paths, *carried);  // persisted before the release that needs it becomes visible
            add_release(state, verified);
            for (const auto& [digest, size] : planned.needed_blobs) state.gc_marks.erase(digest);
            state.commit(paths);
        }
        report.name = m.name;
        report.version = m.version.str();
        report.channel = manifests::channel_name(m.channel);
        report.manifest_digest = verified.manifest_digest;
        report.signer_keyids = verified.signer_keyids;
        report.artifacts = planned.content.artifacts;
        report.blobs_written = sink.blobs_written;
        report.blobs_present = sink.blobs_present;
        report.blobs_replaced = repairs.size();
        report.bytes_written = sink.bytes_written;
        report.already_imported = admission == Admission::unchanged;
        report.trust_root_version = carried ? carried->version() : root.version();
        // A crash after the commit and before its receipt leaves the release without its
        // "imported" receipt: the re-run writes that one rather than "already-imported".
        bool receipt_missing =
            report.already_imported &&
            !site::store_has_receipt(o.store, report.name, report.version, manifests::receipt_verdict::imported);
        audit.verdict = report.already_imported ? "unchanged" : "accepted";
        audit.reason = !report.already_imported ? "imported"
                       : receipt_missing        ? "this bundle is imported already; its missing imported receipt is "
                                                  "written now"
                                                : "this bundle is imported already";
        append_audit(paths, audit);
        auto receipt =
            store_receipt(o, audit,
                          report.already_imported && !receipt_missing ? manifests::receipt_verdict::already_imported
                                                                      : manifests::receipt_verdict::imported);
        for (const auto& a : report.artifacts) receipt.present.push_back({a.repository, a.reference, a.digest});
        report.receipt = site::write_store_receipt(o.store, std::move(receipt), site_key);
        return report;
    } catch (const std::exception& e) {
        if (audit.verdict != "rejected") throw;  // committed and audited: only the receipt failed
        // Not only Error: an exception a check missed (a library's) is a refusal too, and on record.
        const Errc code = dynamic_cast<const Error*>(&e) ? static_cast<const Error&>(e).code() : Errc::internal;
        audit.reason = e.what();
        try {
            append_audit(paths, audit);
            auto receipt = store_receipt(o, audit, manifests::receipt_verdict::rejected);
            receipt.reason = e.what();
            site::write_store_receipt(o.store, std::move(receipt), site_key);
        } catch (const std::exception& record_error) {
            fail(code, std::string(e.what()) + " (and it could not be recorded: " + record_error.what() + ")");
        }
        throw;
    }
}

}  // namespace sealift::mirror
