// The verifier's worker lane: entries whose streams need not follow bundle order
// are hashed largest first; an entry whose stream does follow it goes before them.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "support/support.hpp"
#include "verify/stored_entry_lane.hpp"

using namespace sealift;

namespace {

struct Log {
    std::mutex mu;
    std::condition_variable cv;
    bool gate_entered = false, gate_open = false;
    std::vector<std::string> finished;
};

class RecordingStream : public verify::EntrySink::EntryStream {
public:
    RecordingStream(Log& log, std::string name, bool in_order, bool gate)
        : log_(log), name_(std::move(name)), in_order_(in_order), gate_(gate) {}
    void write(const char*, std::size_t) override {
        if (!gate_) return;
        std::unique_lock lock(log_.mu);
        log_.gate_entered = true;
        log_.cv.notify_all();
        log_.cv.wait(lock, [&] { return log_.gate_open; });  // holds the only worker until every job is queued
    }
    void finish() override {
        std::lock_guard lock(log_.mu);
        log_.finished.push_back(name_);
    }
    bool bundle_order() const override { return in_order_; }

private:
    Log& log_;
    std::string name_;
    bool in_order_, gate_;
};

}  // namespace

TEST_CASE("the lane hashes order-free entries largest first, after any entry whose stream follows bundle order") {
    test::TempDir dir;
    struct Part {
        std::string name;
        std::size_t size;
        bool in_order;
    };
    std::vector<Part> parts{{"gate", 1000, false},
                            {"small", 20000, false},
                            {"large", 50000, false},
                            {"mid", 35000, false},
                            {"ordered", 10000, true}};
    std::string bytes;
    std::vector<manifests::BundleEntry> entries;
    std::vector<verify::InputExtent> extents;
    for (const auto& p : parts) {
        std::string data(p.size, p.name[0]);
        extents.push_back({bytes.size(), data.size()});
        entries.push_back({p.name, data.size(), Sha256::of(data), "application/octet-stream"});
        bytes += data;
    }
    test::write_text(dir / "bundle", bytes);
    verify::BundleInput input(dir / "bundle");
    Log log;
    {
        verify::StoredEntryLane lane(input, 1);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            lane.submit(entries[i], {extents[i]},
                        std::make_unique<RecordingStream>(log, parts[i].name, parts[i].in_order, i == 0));
            if (i > 0) continue;
            std::unique_lock lock(log.mu);
            log.cv.wait(lock, [&] { return log.gate_entered; });
        }
        {
            std::lock_guard lock(log.mu);
            log.gate_open = true;
        }
        log.cv.notify_all();
        CHECK(lane.finish() == bytes.size());
    }
    CHECK(log.finished == std::vector<std::string>{"gate", "ordered", "large", "mid", "small"});
}

TEST_CASE("the lane reports an entry whose bytes do not match its digest, naming it") {
    test::TempDir dir;
    test::write_text(dir / "bundle", std::string(3u << 20, 'x'));
    verify::BundleInput input(dir / "bundle");
    manifests::BundleEntry good{"images/blobs/sha256/good", 1u << 20, Sha256::of(std::string(1u << 20, 'x')), ""};
    manifests::BundleEntry bad{"images/blobs/sha256/bad", 2u << 20, Sha256::of(std::string(2u << 20, 'y')), ""};
    verify::StoredEntryLane lane(input, 2);
    lane.submit(good, {{0, good.size}}, nullptr);
    lane.submit(bad, {{good.size, bad.size}}, nullptr);
    CHECK_THROWS_WITH(lane.finish(),
                      "entry 'images/blobs/sha256/bad' does not match its SHA-256 in the signed manifest");
}
