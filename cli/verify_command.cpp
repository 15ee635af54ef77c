#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/failure_report.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "verify/report_json.hpp"
#include "verify/verify.hpp"

namespace sealift::cli {
namespace {

class ProgressSink : public verify::EntrySink {
public:
    explicit ProgressSink(bool quiet) : quiet_(quiet) {}
    void on_manifest(const manifests::BundleManifest& m) override {
        progress_.emplace("verify " + m.file_name(), m.payload_bytes(), m.entries.size(),
                          quiet_ ? Progress::Mode::quiet : Progress::Mode::automatic);
    }
    void on_entry_data(const manifests::BundleEntry&, const char*, std::size_t n) override { progress_->add_bytes(n); }
    void on_entry_end(const manifests::BundleEntry&) override { progress_->item_done(); }

    // Large entries are hashed on the verifier's threads; they report from there.
    unsigned parallel_entries() const override { return verify::default_parallel_entries(); }
    std::unique_ptr<EntryStream> take_entry(const manifests::BundleEntry&) override {
        return std::make_unique<Counter>(*progress_);
    }

    void finish() {
        if (progress_) progress_->finish();
    }

private:
    class Counter : public EntryStream {
    public:
        explicit Counter(Progress& progress) : progress_(progress) {}
        void write(const char*, std::size_t n) override { progress_.add_bytes(n); }
        void finish() override { progress_.item_done(); }
        bool bundle_order() const override { return false; }

    private:
        Progress& progress_;
    };

    bool quiet_;
    std::optional<Progress> progress_;
};

// The layout inspect and diff share for the same things: verify/report_json.hpp. A failure is
// reported by main (cli/failure_report.hpp), with "bundle" and "verified": false beside the error.
Json report_json(const std::string& bundle, const verify::VerifyReport& r) {
    const auto& m = r.manifest;
    Json out = {{"bundle", bundle}, {"verified", true}};
    verify::put_release(out, verify::ReleaseSummary::of(m, r.manifest_digest));
    out["signers"] = r.signer_keyids;
    out["rootVersion"] = r.root_version;
    out["entries"] = r.entries;
    out["payloadBytes"] = r.payload_bytes;
    out["images"] = verify::images_json(m);
    out["attachments"] = verify::attachments_json(m);
    out["base"] = verify::base_json(m);
    out["siteInventory"] = verify::site_inventory_json(m);
    return out;
}

constexpr CommandSpec kVerify{
    "verify", "BUNDLE --trust trust.json [--json]",
    std::to_array<OptionSpec>({
        {"--trust", "", "trust.json", "the pinned trust root"},
        {"--json", "", "", "print a machine-readable report (on success and failure)"},
        {"--quiet", "-q", "", "no progress display"},
    }),
    "exit status: 0 verified; 1 the bundle is bad (the reason names the entry); 2 usage error or unopenable file"};

int run_verify(const std::vector<std::string>& argv) {
    CommandArgs<kVerify> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    const std::string bundle = args.positionals(1, "one BUNDLE argument")[0];
    failure_report().members = {{"bundle", bundle}, {"verified", false}};
    const std::string trust_file = args.required("--trust");
    std::optional<trust::TrustRoot> root;
    try {
        root = trust::TrustRoot::load(trust_file);
    } catch (const Error& e) {
        fail(Errc::usage, std::string("cannot use trust root: ") + e.what());
    }
    bool json = args.flag("--json");
    ProgressSink progress(args.flag("--quiet") || json);
    auto report = verify::verify_bundle(bundle, *root, {}, &progress);
    progress.finish();
    if (json) {
        std::cout << dump_json_safe(report_json(bundle, report), 2) << "\n";
    } else {
        const auto& m = report.manifest;
        std::cout << "verified " << bundle << ": " << m.name << " " << m.version.str() << " ("
                  << manifests::channel_name(m.channel) << "), " << m.images.size() << " images, " << m.charts.size()
                  << " charts, " << report.entries << " entries, " << human_bytes(report.payload_bytes)
                  << ", signed by " << report.signer_keyids.size() << " key(s), expires " << format_time(m.expires)
                  << "\n";
        if (m.base)
            std::cout << "delta on " << m.base->name << " " << m.base->version.str() << " ("
                      << manifests::channel_name(m.base->channel) << ", manifest " << m.base->manifest_digest.str()
                      << "): " << m.external_blobs.size()
                      << " blobs are left to it; importing checks they are present\n";
        if (m.site_inventory)
            std::cout << "cut for site " << m.site_inventory->site_keyid << " (inventory "
                      << m.site_inventory->digest.str() << " of " << format_time(m.site_inventory->created)
                      << "): " << m.external_blobs.size()
                      << " blobs are left to the site; importing checks they are present\n";
    }
    return 0;
}

CommandRegistration registration{"verify", "check a bundle offline against a pinned trust root", run_verify};

}  // namespace
}  // namespace sealift::cli
