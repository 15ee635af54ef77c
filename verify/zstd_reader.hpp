// Decompresses the bundle's zstd stream (one file, or the parts of a split bundle), with the window
// capped so a hostile frame cannot make the reader allocate without bound, and
// telling a truncated stream apart from a clean end.
//
// Stored data (frames made only of raw blocks, how bundles carry gzip layers)
// is read straight from the file, without libzstd's copy, and can be handed out
// as file extents instead of bytes: the verifier then reads and hashes several
// large entries at once. Anything unusual in such a frame (another block type,
// a checksum, a content size that does not add up) hands the whole frame to
// libzstd, which decides: the fast path never accepts what libzstd would refuse.
// Every frame's header is read here first, whichever path then decodes it, and a
// window over 2^24 (for a single-segment frame: its content size) is refused
// before anything is allocated or handed out.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/stream.hpp"
#include "verify/bundle_input.hpp"

namespace sealift::verify {

inline constexpr int kMaxWindowLog = 24;  // 16 MiB: zstd -19 needs 2^23
inline constexpr std::uint64_t kMaxWindowBytes = std::uint64_t{1} << kMaxWindowLog;

struct InputExtent {
    std::uint64_t offset = 0, length = 0;
};

class ZstdReader : public ByteSource {
public:
    explicit ZstdReader(const BundleInput& input);
    ~ZstdReader() override;
    std::size_t read(void* buf, std::size_t size) override;

    // When the next `size` bytes of output all lie in raw blocks: where they are in
    // the input, in order, and the reader moves past them without reading them.
    // Otherwise nullopt, and nothing is consumed.
    std::optional<std::vector<InputExtent>> take_stored(std::uint64_t size);

    std::uint64_t compressed_bytes() const;

private:
    // Where the stream stands in the file. Copyable, so take_stored can walk
    // ahead on a copy and commit only when the whole run is stored.
    struct Cursor {
        enum class Mode { boundary, stored, libzstd } mode = Mode::boundary;
        std::uint64_t pos = 0;          // next compressed byte not consumed
        std::uint64_t frame_start = 0;  // of the current frame
        std::uint64_t frame_out = 0;    // bytes the current frame produced so far
        std::optional<std::uint64_t> content_size;
        std::uint64_t block_max = 0;   // of the current frame
        std::uint64_t block_left = 0;  // of the current raw block
        bool last_block = false;
    };
    enum class Step { ok, not_stored };
    Step open_frame(Cursor& c) const;  // at a boundary: stored frame, or not
    Step next_block(Cursor& c) const;  // in a stored frame whose block ran out
    Step advance(Cursor& c) const;     // to a raw block with bytes left, or the clean end
    void fall_back_to_libzstd();
    // One libzstd call into buf[0, size); returns the bytes produced. At the frame's
    // end (frame_done) the reader stands at the next frame.
    std::size_t decompress_step(void* buf, std::size_t size, bool& frame_done);
    bool end_frame_if_complete();
    std::size_t read_libzstd(void* buf, std::size_t size);

    struct State;
    std::unique_ptr<State> state_;
    const BundleInput& input_;
    std::uint64_t input_size_;
    Cursor cur_;
    std::uint64_t discard_ = 0;  // output libzstd re-decodes that was already delivered
};

}  // namespace sealift::verify
