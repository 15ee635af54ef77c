#include "verify/zstd_reader.hpp"

#include <zstd.h>

#include <vector>

#include "core/error.hpp"

namespace sealift::verify {

struct ZstdReader::State {
    ZSTD_DCtx* dctx = nullptr;
    std::vector<char> in;
    ZSTD_inBuffer input{nullptr, 0, 0};
    std::size_t frame_state = 0;  // 0 when the last frame was decoded completely
    bool eof = false;
    bool started = false;
    ~State() { ZSTD_freeDCtx(dctx); }
};

ZstdReader::ZstdReader(ByteSource& in, std::string name) : state_(std::make_unique<State>()), in_(in), name_(std::move(name)) {
    state_->dctx = ZSTD_createDCtx();
    if (!state_->dctx) fail(Errc::internal, "zstd: out of memory");
    ZSTD_DCtx_setParameter(state_->dctx, ZSTD_d_windowLogMax, kMaxWindowLog);
    state_->in.resize(ZSTD_DStreamInSize() * 8);
}

ZstdReader::~ZstdReader() = default;

std::size_t ZstdReader::read(void* buf, std::size_t size) {
    State& s = *state_;
    ZSTD_outBuffer out{buf, size, 0};
    while (out.pos == 0) {
        if (s.input.pos == s.input.size) {
            if (s.eof) break;
            std::size_t n = in_.read(s.in.data(), s.in.size());
            if (n == 0) {
                s.eof = true;
                if (!s.started) fail(Errc::format, name_ + ": empty file, not a Sealift bundle");
                break;
            }
            if (!s.started && (n < 4 || static_cast<unsigned char>(s.in[0]) != 0x28 || static_cast<unsigned char>(s.in[1]) != 0xB5 ||
                               static_cast<unsigned char>(s.in[2]) != 0x2F || static_cast<unsigned char>(s.in[3]) != 0xFD))
                fail(Errc::format, name_ + ": not a Sealift bundle (not zstd-compressed)");
            s.started = true;
            compressed_ += n;
            s.input = {s.in.data(), n, 0};
        }
        std::size_t rc = ZSTD_decompressStream(s.dctx, &out, &s.input);
        if (ZSTD_isError(rc))
            fail(Errc::format, name_ + ": corrupt zstd data near compressed offset " +
                                   std::to_string(compressed_ - (s.input.size - s.input.pos)) + ": " + ZSTD_getErrorName(rc));
        s.frame_state = rc;
    }
    if (out.pos == 0 && s.eof && s.frame_state != 0)
        fail(Errc::format, name_ + ": bundle is truncated (the last zstd frame is incomplete)");
    return out.pos;
}

}  // namespace sealift::verify
