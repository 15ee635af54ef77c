// Carries a byte stream from one thread to another through a small bounded
// buffer: a bundle is read once and a blob download consumed at its reader's pace, never spooled.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/stream.hpp"

namespace sealift {

class BytePipe : public ByteSource {
public:
    explicit BytePipe(std::size_t capacity = 1u << 20) : buf_(capacity) {}

    // Writer side. write() blocks while the buffer is full; after abort() it
    // returns at once, dropping the data (the reader has given up).
    void write(const char* data, std::size_t size);
    void close();  // end of blob
    // Either side: stop the transfer; the reader then fails with `why`.
    void abort(const std::string& why);

    // Reader side (ByteSource): blocks until data, end of blob, or abort.
    std::size_t read(void* buf, std::size_t size) override;

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<char> buf_;
    std::size_t head_ = 0, used_ = 0;
    bool closed_ = false, aborted_ = false;
    std::string why_;
};

}  // namespace sealift
