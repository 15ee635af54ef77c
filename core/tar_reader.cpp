#include "core/tar_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace sealift {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::uint64_t kRecord = 20 * kBlock;      // tar's default record: what it pads an archive to
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

std::string TarReader::header_at() const { return what_ + ": tar header at offset " + std::to_string(header_offset_); }

void TarReader::read_exact(void* buf, std::size_t size, const std::string& context) {
    auto* p = static_cast<char*>(buf);
    while (size > 0) {
        std::size_t n = in_.read(p, size);
        if (n == 0) fail(Errc::format, what_ + ": truncated (" + context + ")");
        p += n;
        size -= n;
        position_ += n;
    }
}

void TarReader::skip(std::uint64_t n, const std::string& context) {
    std::uint64_t done = in_.skip(n);
    position_ += done;
    if (done != n) fail(Errc::format, context);
}

std::string TarReader::read_text_member(std::uint64_t size, const std::string& kind) {
    if (size > kMaxMetaMember)
        fail(Errc::format, what_ + ": " + kind + " of " + std::to_string(size) + " bytes is too large");
    std::string text(size, '\0');
    read_exact(text.data(), size, kind);
    skip((kBlock - size % kBlock) % kBlock, what_ + ": truncated (" + kind + ")");
    return text;
}

std::optional<TarEntry> TarReader::next() {
    std::string context = current_.empty() ? "at the first entry" : "after entry '" + current_ + "'";
    if (remaining_ + padding_ > 0)
        skip(remaining_ + padding_, header_at() + ": entry data runs past the end of the archive (truncated)");
    remaining_ = padding_ = 0;

    std::optional<std::string> long_path, long_link;
    std::optional<std::uint64_t> pax_size;
    for (;;) {
        char h[kBlock];
        header_offset_ = position_;
        read_exact(h, kBlock, "a tar header is cut short");
        if (std::all_of(h, h + kBlock, [](char c) { return c == 0; })) {
            read_exact(h, kBlock, "the end-of-archive marker is cut short");
            if (!std::all_of(h, h + kBlock, [](char c) { return c == 0; }))
                fail(Errc::format, what_ + ": malformed end-of-archive marker " + context);
            if (long_path || pax_size) fail(Errc::format, what_ + ": extended header without an entry at the end");
            return std::nullopt;
        }
        std::uint64_t stored_sum = 0, size = 0;
        unsigned sum = 0;
        for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
        if (!parse_number(h + 148, 8, stored_sum) || sum != stored_sum)
            fail(Errc::format, header_offset_ == 0 ? what_ + ": not a tar archive (bad header checksum)"
                                                   : header_at() + " " + context + " has a bad header checksum");
        bool posix = std::memcmp(h + 257,
                                 "ustar\0"
                                 "00",
                                 8) == 0;
        bool gnu = std::memcmp(h + 257, "ustar  \0", 8) == 0;
        if (!posix && !gnu) fail(Errc::format, header_at() + " " + context + " is not a ustar/pax header");
        if (!parse_number(h + 124, 12, size))
            fail(Errc::format, header_at() + " " + context + " has an invalid size field");
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
                } else if (key == "linkpath") {
                    long_link = value;
                } else if (key == "size") {
                    if (value.empty() || value.size() > 19 ||
                        value.find_first_not_of("0123456789") != std::string::npos)
                        fail(Errc::format, what_ + ": malformed pax size " + context);
                    pax_size = std::stoull(value);
                } else if (key.rfind("GNU.sparse", 0) == 0) {
                    fail(Errc::format, what_ + ": sparse entries are not allowed " + context);
                }  // times, owners, xattrs: irrelevant, nothing is extracted
                pos += len;
            }
            continue;
        }
        if (type == 'L' || type == 'K') {
            std::string name = read_text_member(size, type == 'L' ? "GNU long name" : "GNU long link");
            (type == 'L' ? long_path : long_link) = name.substr(0, strnlen(name.data(), name.size()));
            continue;
        }
        if (type == 'g') {
            if (!options_.allow_global_headers)
                fail(Errc::format, header_at() + ": global pax headers are not allowed " + context);
            read_text_member(size, "pax global header");  // defaults (times, owners): nothing here uses them
            continue;
        }

        TarEntry e;
        e.typeflag = type;
        std::string name = field(h, 100);
        std::string prefix = posix ? field(h + 345, 155) : std::string();
        e.path = long_path ? *long_path : (prefix.empty() ? name : prefix + "/" + name);
        e.link_target = long_link ? *long_link : field(h + 157, 100);
        e.size = pax_size ? *pax_size : size;
        switch (type) {
        case '0':
        case '\0':
        case '7': e.type = TarEntry::Type::regular; break;
        case '5': e.type = TarEntry::Type::directory; break;
        case '1': e.type = TarEntry::Type::hardlink; break;
        case '2': e.type = TarEntry::Type::symlink; break;
        case '3':
        case '4': e.type = TarEntry::Type::device; break;
        case '6': e.type = TarEntry::Type::fifo; break;
        default: e.type = TarEntry::Type::other; break;
        }
        // Links, folders, devices and FIFOs carry no data whatever their size field
        // says; every other type (regular, contiguous, unknown) is followed by `size` bytes.
        if (type >= '1' && type <= '6') e.size = 0;
        remaining_ = e.size;
        padding_ = (kBlock - remaining_ % kBlock) % kBlock;
        e.header_offset = header_offset_;
        e.data_offset = position_;
        current_ = e.path;
        return e;
    }
}

std::size_t TarReader::read(void* buf, std::size_t size) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, remaining_));
    if (want == 0) return 0;
    std::size_t n = in_.read(buf, want);
    if (n == 0) fail(Errc::format, what_ + ": truncated (inside entry '" + current_ + "')");
    remaining_ -= n;
    position_ += n;
    return n;
}

bool TarReader::take_data(const std::function<bool(std::uint64_t size)>& take) {
    if (remaining_ == 0 || !take(remaining_)) return false;
    position_ += remaining_;
    remaining_ = 0;
    return true;
}

void TarReader::expect_end() {
    // tar pads an archive with zeros to a whole record (20 blocks); anything beyond is
    // not tar's, and reading it (a few bytes of zstd can stand for gigabytes of zeros) is refused.
    std::uint64_t allowed = (kRecord - position_ % kRecord) % kRecord;
    char buf[16384];
    for (;;) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, allowed + 1));
        std::size_t n = in_.read(buf, want);
        if (n == 0) return;
        if (!std::all_of(buf, buf + n, [](char c) { return c == 0; }))
            fail(Errc::format, what_ + ": data after the end of the tar archive");
        position_ += n;
        if (n > allowed)
            fail(Errc::format, what_ + ": more data after the end of the tar archive than the zeros that pad it to a " +
                                   std::to_string(kRecord) + "-byte tar record");
        allowed -= n;
    }
}

}  // namespace sealift
