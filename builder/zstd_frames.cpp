#include "builder/zstd_frames.hpp"

#include <zstd.h>

#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace sealift::builder {
namespace {

constexpr std::size_t kRawBlockMax = 128 * 1024;  // zstd's block size limit

void check(std::size_t rc, const char* what) {
    if (ZSTD_isError(rc)) fail(Errc::internal, std::string("zstd ") + what + ": " + ZSTD_getErrorName(rc));
}

}  // namespace

struct FrameWriter::Zstd {
    ZSTD_CCtx* cctx = nullptr;
    std::vector<char> out_buf;
    std::vector<char> pending;  // output gathered into large writes
    ~Zstd() { ZSTD_freeCCtx(cctx); }
};

FrameWriter::FrameWriter(File& out, int level, unsigned workers) : out_(out), zstd_(std::make_unique<Zstd>()) {
    zstd_->cctx = ZSTD_createCCtx();
    if (!zstd_->cctx) fail(Errc::internal, "zstd: out of memory");
    check(ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_compressionLevel, level), "level");
    check(ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_checksumFlag, 1), "checksum");
    // Always the multi-threaded engine (at least one worker): its output does
    // not depend on the worker count, unlike single-threaded mode's.
    check(ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_nbWorkers, static_cast<int>(workers ? workers : 1)), "workers");
    zstd_->out_buf.resize(ZSTD_CStreamOutSize());
}

FrameWriter::~FrameWriter() = default;

void FrameWriter::put(const void* data, std::size_t size) {
    constexpr std::size_t kWriteSize = 1u << 20;
    auto& pending = zstd_->pending;
    if (pending.size() + size > kWriteSize) flush();
    if (size >= kWriteSize) {
        out_.write_all(data, size);
    } else {
        const char* p = static_cast<const char*>(data);
        pending.insert(pending.end(), p, p + size);
    }
    bytes_out_ += size;
}

void FrameWriter::flush() {
    if (!zstd_->pending.empty()) out_.write_all(zstd_->pending.data(), zstd_->pending.size());
    zstd_->pending.clear();
}

void FrameWriter::begin(std::uint64_t size, bool compress) {
    compress_ = compress;
    remaining_ = size;
    if (compress_) {
        check(ZSTD_CCtx_reset(zstd_->cctx, ZSTD_reset_session_only), "reset");
        check(ZSTD_CCtx_setPledgedSrcSize(zstd_->cctx, size), "pledge");
        return;
    }
    // RFC 8878 frame header: magic, descriptor (8-byte content size, not single
    // segment, no checksum, no dictionary), window descriptor 2^17 so decoders
    // need only one block of memory however large the frame.
    unsigned char header[4 + 1 + 1 + 8] = {0x28, 0xB5, 0x2F, 0xFD, 0xC0, 0x38};
    for (int i = 0; i < 8; ++i) header[6 + i] = static_cast<unsigned char>(size >> (8 * i));
    put(header, sizeof header);
    block_left_ = 0;
    if (size == 0) {
        const unsigned char empty_last_block[3] = {1, 0, 0};
        put(empty_last_block, 3);
    }
}

// A stored frame's blocks are sized up front (128 KiB, the last one what is
// left), so each block header can precede its data and the data goes from the
// caller's buffer to the file with writev, never copied in user space.
void FrameWriter::write_raw(const char* data, std::size_t size) {
    constexpr int kMaxIov = 64;
    struct iovec iov[kMaxIov];
    unsigned char headers[kMaxIov / 2][3];
    int n = 0, h = 0;
    auto& pending = zstd_->pending;
    if (!pending.empty()) iov[n++] = {pending.data(), pending.size()};
    std::uint64_t left_in_frame = remaining_ + size;  // remaining_ was already reduced by size
    while (size > 0 && n + 2 <= kMaxIov) {
        if (block_left_ == 0) {
            block_left_ = std::min<std::uint64_t>(kRawBlockMax, left_in_frame);
            bool last = block_left_ == left_in_frame;
            auto bh = static_cast<std::uint32_t>((block_left_ << 3) | (last ? 1u : 0u));  // block type 0: raw
            headers[h][0] = static_cast<unsigned char>(bh);
            headers[h][1] = static_cast<unsigned char>(bh >> 8);
            headers[h][2] = static_cast<unsigned char>(bh >> 16);
            iov[n++] = {headers[h++], 3};
        }
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(size, block_left_));
        iov[n++] = {const_cast<char*>(data), take};
        data += take;
        size -= take;
        block_left_ -= take;
        left_in_frame -= take;
    }
    std::size_t total = 0;
    for (int i = 0; i < n; ++i) total += iov[i].iov_len;
    for (int i = 0; total > 0;) {
        ssize_t w = ::writev(out_.fd(), iov + i, n - i);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) fail(Errc::io, out_.path() + ": write failed: " + std::strerror(errno));
        total -= static_cast<std::size_t>(w);
        bytes_out_ += static_cast<std::size_t>(w);
        for (auto done = static_cast<std::size_t>(w); done > 0 && i < n;) {
            std::size_t step = std::min(done, iov[i].iov_len);
            iov[i].iov_base = static_cast<char*>(iov[i].iov_base) + step;
            iov[i].iov_len -= step;
            done -= step;
            if (iov[i].iov_len == 0) ++i;
        }
    }
    if (!pending.empty()) bytes_out_ -= pending.size();  // counted once already, by put()
    pending.clear();
    if (size > 0) write_raw(data, size);
}

void FrameWriter::write(const void* data, std::size_t size) {
    if (size > remaining_) fail(Errc::internal, "zstd frame overrun");
    remaining_ -= size;
    if (!compress_) {
        write_raw(static_cast<const char*>(data), size);
        return;
    }
    ZSTD_inBuffer in{data, size, 0};
    while (in.pos < in.size) {
        ZSTD_outBuffer out{zstd_->out_buf.data(), zstd_->out_buf.size(), 0};
        check(ZSTD_compressStream2(zstd_->cctx, &out, &in, ZSTD_e_continue), "compress");
        if (out.pos) put(zstd_->out_buf.data(), out.pos);
    }
}

void FrameWriter::end() {
    if (remaining_ != 0) fail(Errc::internal, "zstd frame ended short of its pledged size");
    if (!compress_) return;  // the last raw block carried the "last" flag
    ZSTD_inBuffer in{nullptr, 0, 0};
    std::size_t left;
    do {
        ZSTD_outBuffer out{zstd_->out_buf.data(), zstd_->out_buf.size(), 0};
        left = ZSTD_compressStream2(zstd_->cctx, &out, &in, ZSTD_e_end);
        check(left, "finish");
        if (out.pos) put(zstd_->out_buf.data(), out.pos);
    } while (left != 0);
}

}  // namespace sealift::builder
