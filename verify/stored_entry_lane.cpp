#include "verify/stored_entry_lane.hpp"

#include "core/digest.hpp"
#include "core/error.hpp"

namespace sealift::verify {

StoredEntryLane::StoredEntryLane(const BundleInput& input, unsigned workers) : input_(input), pool_(workers) {}

StoredEntryLane::~StoredEntryLane() { stopping_ = true; }

void StoredEntryLane::submit(const manifests::BundleEntry& entry, std::vector<InputExtent> extents,
                             std::unique_ptr<EntrySink::EntryStream> stream) {
    if (auto failure = pool_.failure()) throw *failure;
    // shared_ptr: std::function needs a copyable job.
    auto owned = std::make_shared<std::unique_ptr<EntrySink::EntryStream>>(std::move(stream));
    pool_.submit([this, &entry, extents = std::move(extents), owned] {
        constexpr std::size_t kChunk = 1u << 20;
        std::vector<char> buf(kChunk);
        Sha256 hash;
        for (const auto& extent : extents) {
            for (std::uint64_t done = 0; done < extent.length;) {
                if (stopping_) fail(Errc::internal, "entry '" + entry.path + "': verification stopped");
                auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, extent.length - done));
                input_.pread_exact(buf.data(), n, extent.offset + done);
                hash.update(buf.data(), n);
                if (*owned) (*owned)->write(buf.data(), n);
                done += n;
                bytes_ += n;
            }
        }
        if (hash.finish() != entry.digest) fail(Errc::integrity, "entry '" + entry.path + "' does not match its SHA-256 in the signed manifest");
        if (*owned) (*owned)->finish();
    });
}

std::uint64_t StoredEntryLane::finish() {
    pool_.wait();
    return bytes_;
}

}  // namespace sealift::verify
