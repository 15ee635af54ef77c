#include "builder/zstd_frames.hpp"

#include <zstd.h>

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
    std::vector<char> raw_block;
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
    zstd_->raw_block.reserve(kRawBlockMax);
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
    zstd_->raw_block.clear();
}

void FrameWriter::flush_raw_block(bool last) {
    auto n = static_cast<std::uint32_t>(zstd_->raw_block.size());
    std::uint32_t block_header = (n << 3) | (0u << 1) | (last ? 1u : 0u);  // type 0 = raw
    unsigned char bh[3] = {static_cast<unsigned char>(block_header), static_cast<unsigned char>(block_header >> 8),
                           static_cast<unsigned char>(block_header >> 16)};
    put(bh, 3);
    put(zstd_->raw_block.data(), n);
    zstd_->raw_block.clear();
}

void FrameWriter::write(const void* data, std::size_t size) {
    if (size > remaining_) fail(Errc::internal, "zstd frame overrun");
    remaining_ -= size;
    if (!compress_) {
        const char* p = static_cast<const char*>(data);
        while (size > 0) {
            std::size_t take = std::min(size, kRawBlockMax - zstd_->raw_block.size());
            zstd_->raw_block.insert(zstd_->raw_block.end(), p, p + take);
            p += take;
            size -= take;
            // Hold the last block back so it can carry the "last block" flag.
            if (zstd_->raw_block.size() == kRawBlockMax && (size > 0 || remaining_ > 0)) flush_raw_block(false);
        }
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
    if (!compress_) {
        flush_raw_block(true);
        return;
    }
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
