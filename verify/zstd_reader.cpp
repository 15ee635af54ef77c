#include "verify/zstd_reader.hpp"

#include <zstd.h>

#include <algorithm>

#include "core/error.hpp"

namespace sealift::verify {
namespace {

constexpr std::uint32_t kFrameMagic = 0xFD2FB528;
constexpr std::uint64_t kBlockSizeMax = 128 * 1024;  // RFC 8878: min(window size, 128 KiB)
constexpr std::size_t kMaxFrameHeader = 18;

std::uint64_t little_endian(const unsigned char* p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

}  // namespace

struct ZstdReader::State {
    ZSTD_DCtx* dctx = nullptr;
    std::vector<char> in;         // libzstd's input window over the file
    std::uint64_t in_offset = 0;  // file offset of in[0]
    std::size_t in_length = 0;
    std::vector<char> scratch;  // output that is decoded again and thrown away
    ~State() { ZSTD_freeDCtx(dctx); }
};

ZstdReader::ZstdReader(const BundleInput& input)
    : state_(std::make_unique<State>()), input_(input), input_size_(input.size()) {
    state_->dctx = ZSTD_createDCtx();
    if (!state_->dctx) fail(Errc::internal, "zstd: out of memory");
    ZSTD_DCtx_setParameter(state_->dctx, ZSTD_d_windowLogMax, kMaxWindowLog);
    state_->in.resize(ZSTD_DStreamInSize() * 8);
    if (input_size_ == 0) fail(Errc::format, input_.name() + ": empty file, not a Sealift bundle");
    unsigned char magic[4] = {0, 0, 0, 0};
    if (input_size_ >= 4) input_.pread_exact(magic, 4, 0);
    if (little_endian(magic, 4) != kFrameMagic)
        fail(Errc::format, input_.name() + ": not a Sealift bundle (not zstd-compressed)");
}

ZstdReader::~ZstdReader() = default;

std::uint64_t ZstdReader::compressed_bytes() const { return cur_.pos; }

ZstdReader::Step ZstdReader::open_frame(Cursor& c) const {
    unsigned char h[kMaxFrameHeader + 3];
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof h, input_size_ - c.pos));
    if (n < 8) return Step::not_stored;
    input_.pread_exact(h, n, c.pos);
    if (little_endian(h, 4) != kFrameMagic) return Step::not_stored;  // skippable or garbage: libzstd decides
    const unsigned fhd = h[4];
    if ((fhd >> 3) & 1) return Step::not_stored;  // reserved bit: libzstd refuses the frame
    const bool single_segment = (fhd >> 5) & 1;
    static constexpr std::size_t kDictIdLength[4] = {0, 1, 2, 4};
    std::size_t at = 5;
    std::uint64_t window = 0;
    if (!single_segment) {
        unsigned log = 10 + (h[5] >> 3);
        window = (std::uint64_t{1} << log) + ((std::uint64_t{1} << log) / 8) * (h[5] & 7);
        ++at;
    }
    at += kDictIdLength[fhd & 3];
    static constexpr std::size_t kFcsLength[4] = {0, 2, 4, 8};
    std::size_t fcs_length = kFcsLength[fhd >> 6];
    if (fhd >> 6 == 0 && single_segment) fcs_length = 1;
    if (at + fcs_length > n) return Step::not_stored;  // cut short: libzstd reports the truncation
    c.content_size.reset();
    if (fcs_length) c.content_size = little_endian(h + at, fcs_length) + (fcs_length == 2 ? 256 : 0);
    if (single_segment) window = *c.content_size;
    // Every frame, stored or not, starts here: the limit holds whichever path decodes it.
    if (window > kMaxWindowBytes)
        fail(Errc::format, input_.name() + ": the zstd frame at compressed offset " + std::to_string(c.pos) +
                               " needs a window of " + std::to_string(window) + " bytes, more than the " +
                               std::to_string(kMaxWindowBytes) + " (16 MiB) a bundle may use");
    if ((fhd >> 2) & 1 || (fhd & 3)) return Step::not_stored;  // checksum, dictionary
    if (at + fcs_length + 3 > n) return Step::not_stored;
    c.block_max = std::min(window, kBlockSizeMax);
    c.frame_start = c.pos;
    c.frame_out = 0;
    c.pos += at + fcs_length;
    c.mode = Cursor::Mode::stored;
    c.block_left = 0;
    c.last_block = false;
    return next_block(c);
}

ZstdReader::Step ZstdReader::next_block(Cursor& c) const {
    if (input_size_ - c.pos < 3) return Step::not_stored;
    unsigned char b[3];
    input_.pread_exact(b, 3, c.pos);
    auto header = static_cast<std::uint32_t>(little_endian(b, 3));
    std::uint64_t size = header >> 3;
    if (((header >> 1) & 3) != 0 || size > c.block_max || input_size_ - c.pos - 3 < size) return Step::not_stored;
    c.pos += 3;
    c.block_left = size;
    c.last_block = header & 1;
    return Step::ok;
}

ZstdReader::Step ZstdReader::advance(Cursor& c) const {
    for (;;) {
        if (c.mode == Cursor::Mode::libzstd) return Step::not_stored;
        if (c.mode == Cursor::Mode::stored) {
            if (c.block_left > 0) return Step::ok;
            if (!c.last_block) {
                if (next_block(c) != Step::ok) return Step::not_stored;
                continue;
            }
            if (c.content_size && *c.content_size != c.frame_out) return Step::not_stored;
            c.mode = Cursor::Mode::boundary;
        }
        if (c.pos == input_size_) return Step::ok;  // clean end of the stream
        c.frame_start = c.pos;
        c.frame_out = 0;
        Cursor next = c;
        if (open_frame(next) != Step::ok) return Step::not_stored;
        c = next;
    }
}

// libzstd takes the current frame from its start; what the fast path already
// delivered of it is decoded again and dropped.
void ZstdReader::fall_back_to_libzstd() {
    discard_ = cur_.frame_out;
    cur_.pos = cur_.frame_start;
    cur_.mode = Cursor::Mode::libzstd;
    ZSTD_DCtx_reset(state_->dctx, ZSTD_reset_session_only);
}

std::size_t ZstdReader::decompress_step(void* buf, std::size_t size, bool& frame_done) {
    State& s = *state_;
    ZSTD_outBuffer out{buf, size, 0};
    if (cur_.pos < s.in_offset || cur_.pos >= s.in_offset + s.in_length) {
        s.in_offset = cur_.pos;
        s.in_length = static_cast<std::size_t>(std::min<std::uint64_t>(s.in.size(), input_size_ - cur_.pos));
        if (s.in_length == 0)
            fail(Errc::format, input_.name() + ": bundle is truncated (the last zstd frame is incomplete)");
        input_.pread_exact(s.in.data(), s.in_length, s.in_offset);
    }
    const auto skip = static_cast<std::size_t>(cur_.pos - s.in_offset);
    ZSTD_inBuffer in{s.in.data() + skip, s.in_length - skip, 0};
    std::size_t rc = ZSTD_decompressStream(s.dctx, &out, &in);
    input_.note_position(cur_.pos + in.pos);
    if (ZSTD_isError(rc))
        fail(Errc::format, input_.name() + ": corrupt zstd data near compressed offset " +
                               std::to_string(cur_.pos + in.pos) + ": " + ZSTD_getErrorName(rc));
    cur_.pos += in.pos;
    frame_done = rc == 0;  // decoded and flushed
    if (frame_done) cur_.mode = Cursor::Mode::boundary;
    return out.pos;
}

// The tar header before a stored entry ends a compressed frame, but libzstd
// reports the frame's end (its checksum, say) only when asked for more: ask,
// with no room for output, so the reader stands at the next frame.
bool ZstdReader::end_frame_if_complete() {
    while (cur_.mode == Cursor::Mode::libzstd && discard_ == 0 && cur_.pos < input_size_) {
        char none;
        bool frame_done = false;
        const std::uint64_t before = cur_.pos;
        decompress_step(&none, 0, frame_done);
        if (cur_.pos == before) break;
    }
    return cur_.mode != Cursor::Mode::libzstd;
}

std::size_t ZstdReader::read_libzstd(void* buf, std::size_t size) {
    State& s = *state_;
    for (;;) {
        bool frame_done = false;
        if (discard_ > 0) {
            if (s.scratch.empty()) s.scratch.resize(ZSTD_DStreamOutSize());
            discard_ -= decompress_step(s.scratch.data(),
                                        static_cast<std::size_t>(std::min<std::uint64_t>(s.scratch.size(), discard_)),
                                        frame_done);
            if (!frame_done) continue;
            if (discard_ > 0)
                fail(Errc::format,
                     input_.name() + ": a zstd frame decodes differently on a second read (file changed?)");
            return 0;
        }
        std::size_t n = decompress_step(buf, size, frame_done);
        if (n > 0 || frame_done) return n;
    }
}

std::size_t ZstdReader::read(void* buf, std::size_t size) {
    auto* out = static_cast<char*>(buf);
    std::size_t done = 0;
    while (done < size) {
        if (cur_.mode == Cursor::Mode::libzstd) {
            if (done > 0) return done;
            std::size_t n = read_libzstd(buf, size);
            if (n > 0) return n;
            continue;  // an empty or skippable frame ended
        }
        if (advance(cur_) != Step::ok) {
            fall_back_to_libzstd();
            continue;
        }
        if (cur_.mode == Cursor::Mode::boundary) return done;  // end of the stream
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, cur_.block_left));
        input_.pread_exact(out + done, n, cur_.pos);
        cur_.pos += n;
        input_.note_position(cur_.pos);
        cur_.block_left -= n;
        cur_.frame_out += n;
        done += n;
    }
    return done;
}

std::optional<std::vector<InputExtent>> ZstdReader::take_stored(std::uint64_t size) {
    if (!end_frame_if_complete()) return std::nullopt;
    Cursor c = cur_;
    std::vector<InputExtent> extents;
    while (size > 0) {
        if (advance(c) != Step::ok || c.mode != Cursor::Mode::stored) return std::nullopt;
        std::uint64_t n = std::min(size, c.block_left);
        if (!extents.empty() && extents.back().offset + extents.back().length == c.pos)
            extents.back().length += n;
        else
            extents.push_back({c.pos, n});
        c.pos += n;
        c.block_left -= n;
        c.frame_out += n;
        size -= n;
    }
    cur_ = c;
    input_.note_position(cur_.pos);
    return extents;
}

}  // namespace sealift::verify
