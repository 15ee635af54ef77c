#include <functional>
#include <map>
#include <mutex>

#include "core/byte_pipe.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/worker_pool.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/registry_channel.hpp"
#include "mirror/import/registry_push.hpp"
#include "mirror/site/release_records.hpp"
#include "mirror/site/site.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {
namespace {

// Receives the bundle from the verifier: image manifests and small documents
// are kept (pushed only once everything verified), other blobs stream to the
// upload workers while the bundle is read.
//
// Whether the registry already has a blob is asked off the reading thread: on
// the verifier's worker that hashes a large blob, or on an upload worker for a
// small one (held in memory meanwhile). Asked in line, each answer would wait
// for a registry that competes with the hashing for the same cores.
class ImportSink : public PlanCollector {
public:
    ImportSink(registry::RegistryClient& client, const NameMapping& names, unsigned parallel, bool quiet)
        : PlanCollector(names), client_(client), pool_(parallel), parallel_(parallel), quiet_(quiet) {}

    ~ImportSink() override { abort_all("import stopped"); }

    // Called with the signed manifest, before any entry; returns whether to upload
    // (false: the bundle is only verified, nothing is written).
    std::function<bool(const manifests::BundleManifest&)> check_manifest;

    void on_manifest(const manifests::BundleManifest& m) override {
        uploading_ = check_manifest(m);
        PlanCollector::on_manifest(m);
        progress_.emplace("import " + m.file_name(), m.payload_bytes(), m.entries.size(),
                          quiet_ ? Progress::Mode::quiet : Progress::Mode::automatic);
    }

    void on_entry_begin(const manifests::BundleEntry& e) override {
        rethrow_upload_failure();
        PlanCollector::on_entry_begin(e);
        held_.clear();
        holding_ = false;
        inline_pipe_.reset();
        if (!uploading_ || keeping() || !manifests::bundle_paths::is_blob(e.path)) return;
        std::string repo = home_for(e);
        if (e.size <= kHeldBlobBytes) {
            holding_ = true;
            held_.reserve(e.size);
        } else if (!client_.blob_exists(repo, e.digest)) {  // large, yet compressed in the bundle: rare
            inline_pipe_ = start_upload(repo, e);
        }
    }

    void on_entry_data(const manifests::BundleEntry& e, const char* data, std::size_t size) override {
        PlanCollector::on_entry_data(e, data, size);
        if (holding_) held_.append(data, size);
        if (inline_pipe_) inline_pipe_->write(data, size);
        progress_->add_bytes(size);
    }

    void on_entry_end(const manifests::BundleEntry& e) override {
        if (inline_pipe_) inline_pipe_->close();
        if (holding_) upload_held(home_.at(e.digest), e);
        PlanCollector::on_entry_end(e);
        progress_->item_done();
        rethrow_upload_failure();
    }

    // Large layers: the verifier reads and hashes several at once on its own
    // threads, each feeding its blob's pipe, so uploads run side by side.
    unsigned parallel_entries() const override { return parallel_; }

    std::unique_ptr<EntryStream> take_entry(const manifests::BundleEntry& e) override {
        rethrow_upload_failure();
        if (!uploading_ || !manifests::bundle_paths::is_blob(e.path)) {
            progress_->add_bytes(e.size);
            progress_->item_done();
            return nullptr;
        }
        return std::make_unique<LayerStream>(*this, home_for(e), e);
    }

    void wait_for_uploads() {
        pool_.wait();
        std::lock_guard lock(pipes_mu_);
        pipes_.clear();
        progress_->finish();
    }
    void abort_all(const std::string& why) {
        std::lock_guard lock(pipes_mu_);
        for (auto& p : pipes_) p->abort(why);
    }
    const std::map<Digest, std::string>& homes() const { return home_; }

private:
    // Blobs up to this size wait in memory for their upload worker; it bounds
    // what the workers' queue holds.
    static constexpr std::uint64_t kHeldBlobBytes = 1u << 20;

    // A large blob, fed on a verifier worker. The first bytes decide: the registry
    // has it (they are only hashed) or an upload starts, fed from then on. The
    // upload is queued as its feeder starts, so any order of feeding is safe.
    class LayerStream : public EntryStream {
    public:
        LayerStream(ImportSink& sink, std::string repo, const manifests::BundleEntry& e)
            : sink_(sink), repo_(std::move(repo)), entry_(e) {}
        ~LayerStream() override {
            if (pipe_ && !finished_) pipe_->abort("the bundle failed verification");
        }
        void write(const char* data, std::size_t size) override {
            decide();
            if (pipe_) pipe_->write(data, size);
            sink_.progress_->add_bytes(size);
        }
        void finish() override {
            decide();
            if (pipe_) pipe_->close();
            finished_ = true;
            sink_.progress_->item_done();
        }
        bool bundle_order() const override { return false; }

    private:
        void decide() {
            if (decided_) return;
            decided_ = true;
            if (!sink_.client_.blob_exists(repo_, entry_.digest)) pipe_ = sink_.start_upload(repo_, entry_);
        }

        ImportSink& sink_;
        std::string repo_;
        const manifests::BundleEntry& entry_;
        std::shared_ptr<BytePipe> pipe_;
        bool decided_ = false, finished_ = false;
    };

    // Where the blob goes first; recorded on the reading thread, in bundle order.
    std::string home_for(const manifests::BundleEntry& e) {
        std::string repo = plan().home_repository(e.digest);
        home_[e.digest] = repo;
        return repo;
    }

    // Queues the blob's upload; its data follows through the returned pipe.
    std::shared_ptr<BytePipe> start_upload(const std::string& repo, const manifests::BundleEntry& e) {
        auto pipe = std::make_shared<BytePipe>();
        {
            std::lock_guard lock(pipes_mu_);
            pipes_.push_back(pipe);
        }
        pool_.submit([this, repo, digest = e.digest, size = e.size, pipe] {
            try {
                // The verifier closes the pipe only once the entry matched its digest (and aborts it otherwise).
                client_.upload_blob(repo, digest, size, *pipe, registry::BlobCheck::source_verified);
            } catch (const Error& err) {
                pipe->abort(err.what());
                throw;
            }
        });
        return pipe;
    }

    // A small blob, verified and in memory: asked about and uploaded by a worker.
    void upload_held(const std::string& repo, const manifests::BundleEntry& e) {
        pool_.submit([this, repo, digest = e.digest, bytes = std::move(held_)]() mutable {
            client_.ensure_blob(repo, digest, std::move(bytes), registry::BlobCheck::source_verified);
        });
        held_.clear();
        holding_ = false;
    }

    void rethrow_upload_failure() {
        if (auto f = pool_.failure()) throw *f;
    }

    registry::RegistryClient& client_;
    WorkerPool pool_;
    unsigned parallel_;
    bool quiet_;
    bool uploading_ = true;
    std::optional<Progress> progress_;
    std::map<Digest, std::string> home_;  // the reading thread's only
    // The entry being read in line: held in memory, or piped to an upload.
    bool holding_ = false;
    std::string held_;
    std::shared_ptr<BytePipe> inline_pipe_;
    std::mutex pipes_mu_;  // pipes_ gains pipes on verifier workers
    std::vector<std::shared_ptr<BytePipe>> pipes_;
};

// "HOST/REPO:TAG" or "HOST/REPO@DIGEST" as a receipt lists it.
manifests::ReceiptItem receipt_item(const ImportedArtifact& a) {
    std::string where = a.target.substr(a.target.find('/') + 1);
    auto at = where.rfind('@');
    auto split = at != std::string::npos ? at : where.rfind(':');
    return {where.substr(0, split), where.substr(split + 1), a.digest};
}

void write_registry_receipt(const RegistryImportOptions& o, const verify::VerifyReport* verified,
                            std::string_view verdict, const std::string& reason,
                            const std::vector<ImportedArtifact>& artifacts,
                            const std::optional<manifests::AllowedDowngrade>& downgrade = {}) {
    std::string target = "registry:" + o.target.host + (o.target.prefix.empty() ? "" : "/" + o.target.prefix);
    auto receipt = site::new_receipt(target, o.bundle, verdict);
    if (verified) {
        const auto& m = verified->manifest;
        receipt.bundle.release = manifests::ReceiptBundle::Release{
            m.name, m.version.str(), manifests::channel_name(m.channel), verified->manifest_digest};
        receipt.signers = verified->signer_keyids;
    }
    receipt.reason = reason;
    receipt.downgrade = downgrade;
    for (const auto& a : artifacts) receipt.present.push_back(receipt_item(a));
    site::write_receipt(o.receipt, std::move(receipt), *o.site_key);
}

ImportReport import_verified(const RegistryImportOptions& o, const trust::TrustRoot& root,
                             verify::VerifyReport& verified) {
    registry::RegistryOptions ro = o.registry;
    ro.host = o.target.host;
    registry::RegistryClient client(ro);
    client.ping();
    NameMapping names(o.target, o.rules_file);
    ImportSink sink(client, names, o.parallel, o.quiet);
    // The channel policy before the first upload: a refusal writes nothing at all.
    RegistryChannelCheck channel;
    sink.check_manifest = [&](const manifests::BundleManifest& m) {
        verified.manifest = m;  // what the rejected receipt names, should this refuse
        verified.manifest_digest = Sha256::of(m.canonical_bytes());
        channel = check_registry_channel(client, o.target, o.bundle, m, verified.manifest_digest, o.allow_downgrade);
        return channel.writes();
    };

    try {
        verified = verify::verify_bundle(o.bundle, root, {}, &sink);
    } catch (const Error&) {
        sink.abort_all("the bundle failed verification");
        throw;  // nothing was tagged; blobs that arrived are content-addressed and harmless
    }
    sink.wait_for_uploads();

    ImportReport report;
    const auto& m = verified.manifest;
    report.release = m.name + " " + m.version.str() + " (" + manifests::channel_name(m.channel) + ")";
    report.manifest_digest = verified.manifest_digest;
    report.signer_keyids = verified.signer_keyids;
    report.release_record =
        site::release_record_reference(client, o.target, m.name, m.version.str(), manifests::channel_name(m.channel));
    // Again before the first tag: another import may have recorded a release meanwhile.
    bool writes = channel.writes();
    channel = check_registry_channel(client, o.target, o.bundle, m, verified.manifest_digest, o.allow_downgrade);
    if (!writes || !channel.writes()) {
        report.already_imported = true;
        report.stats = client.stats();
        return report;
    }
    report.downgrade = channel.downgrade;

    // Everything verified: now manifests, then tags, so a release appears last.
    ImportPlan& plan = sink.plan();
    plan.finish();
    RegistryPush push(plan, client, o.target.host);
    push.run(
        sink.homes(), [&](const std::string& path) -> const std::string& { return sink.document(path); }, o.parallel);

    report.artifacts = push.artifacts();
    report.manifests_pushed = push.manifests_pushed();
    report.tags_set = push.tags_set();
    site::push_release_record(client, o.target, m, verified.manifest_digest, channel.downgrade);
    report.stats = client.stats();
    return report;
}

}  // namespace

ImportReport import_to_registry(const RegistryImportOptions& o, const trust::TrustRoot& root) {
    if (o.site_key) {
        // Refused before the import rather than after it pushed and tagged everything.
        std::filesystem::path folder = o.receipt.parent_path().empty() ? "." : o.receipt.parent_path();
        if (!std::filesystem::is_directory(folder))
            fail(Errc::io, o.receipt.string() + ": cannot write the import receipt there: " + folder.string() +
                               " is not a folder");
        if (std::filesystem::is_directory(o.receipt))
            fail(Errc::io, o.receipt.string() + ": cannot write the import receipt there: it is a folder");
    }
    verify::VerifyReport verified;  // its manifest digest is set once the bundle verified
    ImportReport report;
    try {
        report = import_verified(o, root, verified);
    } catch (const Error& e) {
        if (!o.site_key) throw;
        try {
            write_registry_receipt(o, verified.manifest_digest.empty() ? nullptr : &verified,
                                   manifests::receipt_verdict::rejected, e.what(), {});
        } catch (const Error& receipt_error) {
            fail(e.code(),
                 std::string(e.what()) + " (and its receipt could not be written: " + receipt_error.what() + ")");
        }
        throw;
    }
    // Outside the try: the release is tagged, so a receipt that cannot be written is no refusal.
    if (o.site_key) {
        try {
            write_registry_receipt(o, &verified,
                                   report.already_imported ? manifests::receipt_verdict::already_imported
                                                           : manifests::receipt_verdict::imported,
                                   "", report.artifacts, report.downgrade);
        } catch (const Error& e) {
            fail(e.code(), "imported " + report.release + " (" + report.release_record +
                               "), but its receipt could not be written: " + e.what());
        }
    }
    return report;
}

}  // namespace sealift::mirror
