#include "verify/tar_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace sealift::verify {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::uint64_t kMaxMetaMember = 1u << 20;  // pax records or a GNU long name

std::string field(const char* p, std::size_t width) { return std::string(p, strnlen(p, width)); }

bool parse_number(const char* p, std::size_t width, std::uint64_t& out) {
    if (static_cast<unsigned char>(p[0]) & 0x80) {  // GNU base-256
        out = 0;
        for (std::size_t i = 1; i < width; ++i) {
            if (out >> 56) return false;
            out = (out << 8) | static_cast<unsigned char>(p[i]);
        }
        return (static_cast<unsigned char>(p[0]) & 0x7f) == 0;
    }
    out = 0;
    std::size_t i = 0;
    while (i < width && p[i] == ' ') ++i;
    bool any = false;
    for (; i < width && p[i] >= '0' && p[i] <= '7'; ++i) {
        if (out >> 60) return false;
        out = out * 8 + static_cast<std::uint64_t>(p[i] - '0');
        any = true;
    }
    for (; i < width; ++i)
        if (p[i] != ' ' && p[i] != '\0') return false;
    return any;
}

}  // namespace

const char* tar_type_name(TarEntry::Type type) {
    switch (type) {
    case TarEntry::Type::regular: return "regular file";
    case TarEntry::Type::directory: return "folder";
    case TarEntry::Type::symlink: return "symbolic link";
    case TarEntry::Type::hardlink: return "hard link";
    case TarEntry::Type::device: return "device node";
    case TarEntry::Type::fifo: return "FIFO";
    case TarEntry::Type::other: return "unsupported entry type";
    }
    return "unsupported entry type";
}

void TarReader::read_exact(void* buf, std::size_t size, const char* context) {
    auto* p = static_cast<char*>(buf);
    while (size > 0) {
        std::size_t n = in_.read(p, size);
        if (n == 0) fail(Errc::format, what_ + ": bundle is truncated (" + context + ")");
        p += n;
        size -= n;
    }
}

void TarReader::skip(std::uint64_t n, const char* context) {
    char buf[16384];
    while (n > 0) {
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, sizeof buf));
        read_exact(buf, take, context);
        n -= take;
    }
}

std::string TarReader::read_text_member(std::uint64_t size, const char* kind) {
    if (size > kMaxMetaMember) fail(Errc::format, what_ + ": " + kind + " of " + std::to_string(size) + " bytes is too large");
    std::string text(size, '\0');
    read_exact(text.data(), size, kind);
    skip((kBlock - size % kBlock) % kBlock, kind);
    return text;
}

std::optional<TarEntry> TarReader::next() {
    std::string context = current_.empty() ? "at the first entry" : "after entry '" + current_ + "'";
    skip(remaining_ + padding_, "inside an entry");
    remaining_ = padding_ = 0;

    std::optional<std::string> long_path;
    std::optional<std::uint64_t> pax_size;
    for (;;) {
        char h[kBlock];
        read_exact(h, kBlock, "a tar header is cut short");
        if (std::all_of(h, h + kBlock, [](char c) { return c == 0; })) {
            read_exact(h, kBlock, "the end-of-archive marker is cut short");
            if (!std::all_of(h, h + kBlock, [](char c) { return c == 0; }))
                fail(Errc::format, what_ + ": malformed end-of-archive marker " + context);
            if (long_path || pax_size) fail(Errc::format, what_ + ": extended header without an entry at the end");
            return std::nullopt;
        }
        std::uint64_t stored_sum = 0, size = 0;
        if (!parse_number(h + 148, 8, stored_sum)) fail(Errc::format, what_ + ": corrupt tar header " + context + " (checksum field)");
        unsigned sum = 0;
        for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
        if (sum != stored_sum) fail(Errc::format, what_ + ": corrupt tar header " + context + " (checksum mismatch)");
        bool posix = std::memcmp(h + 257, "ustar\0" "00", 8) == 0;
        bool gnu = std::memcmp(h + 257, "ustar  \0", 8) == 0;
        if (!posix && !gnu) fail(Errc::format, what_ + ": not a ustar/pax tar header " + context);
        if (!parse_number(h + 124, 12, size)) fail(Errc::format, what_ + ": corrupt tar header " + context + " (size field)");
        char type = h[156];

        if (type == 'x') {
            std::string records = read_text_member(size, "pax extended header");
            std::size_t pos = 0;
            while (pos < records.size()) {
                std::size_t space = records.find(' ', pos);
                std::string digits = space == std::string::npos ? "" : records.substr(pos, space - pos);
                if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
                    fail(Errc::format, what_ + ": malformed pax record " + context);
                std::size_t len = std::stoul(digits);
                if (len <= digits.size() + 2 || pos + len > records.size() || records[pos + len - 1] != '\n')
                    fail(Errc::format, what_ + ": malformed pax record " + context);
                std::string record = records.substr(space + 1, pos + len - space - 2);
                auto eq = record.find('=');
                if (eq == std::string::npos) fail(Errc::format, what_ + ": malformed pax record " + context);
                std::string key = record.substr(0, eq), value = record.substr(eq + 1);
                if (key == "path") {
                    long_path = value;
                } else if (key == "size") {
                    if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos)
                        fail(Errc::format, what_ + ": malformed pax size " + context);
                    pax_size = std::stoull(value);
                } else if (key.rfind("GNU.sparse", 0) == 0) {
                    fail(Errc::format, what_ + ": sparse entries are not allowed " + context);
                }  // times, owners, xattrs: irrelevant, nothing is extracted
                pos += len;
            }
            continue;
        }
        if (type == 'L') {
            std::string name = read_text_member(size, "GNU long name");
            long_path = name.substr(0, strnlen(name.data(), name.size()));
            continue;
        }
        if (type == 'g') fail(Errc::format, what_ + ": global pax headers are not allowed " + context);

        TarEntry e;
        e.typeflag = type;
        std::string name = field(h, 100);
        std::string prefix = posix ? field(h + 345, 155) : std::string();
        e.path = long_path ? *long_path : (prefix.empty() ? name : prefix + "/" + name);
        e.size = pax_size ? *pax_size : size;
        switch (type) {
        case '0': case '\0': case '7': e.type = TarEntry::Type::regular; break;
        case '5': e.type = TarEntry::Type::directory; break;
        case '1': e.type = TarEntry::Type::hardlink; break;
        case '2': e.type = TarEntry::Type::symlink; break;
        case '3': case '4': e.type = TarEntry::Type::device; break;
        case '6': e.type = TarEntry::Type::fifo; break;
        default: e.type = TarEntry::Type::other; break;
        }
        // Only regular files carry data in the stream (GNU sparse 'S' is "other").
        remaining_ = e.type == TarEntry::Type::regular ? e.size : 0;
        padding_ = (kBlock - remaining_ % kBlock) % kBlock;
        current_ = e.path;
        return e;
    }
}

std::size_t TarReader::read(void* buf, std::size_t size) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, remaining_));
    if (want == 0) return 0;
    std::string context = "inside entry '" + current_ + "'";
    std::size_t n = in_.read(buf, want);
    if (n == 0) fail(Errc::format, what_ + ": bundle is truncated (" + context + ")");
    remaining_ -= n;
    return n;
}

void TarReader::expect_end() {
    char buf[16384];
    for (;;) {
        std::size_t n = in_.read(buf, sizeof buf);
        if (n == 0) return;
        if (!std::all_of(buf, buf + n, [](char c) { return c == 0; }))
            fail(Errc::format, what_ + ": data after the end of the tar archive");
    }
}

}  // namespace sealift::verify
