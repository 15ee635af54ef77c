#include "builder/tar_header.hpp"

#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace sealift::builder {
namespace {

void put_octal(char* field, std::size_t width, std::uint64_t value) {
    // width-1 octal digits and a NUL, as ustar wants.
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

std::string ustar_block(std::string_view name, std::string_view prefix, std::uint64_t size, std::int64_t mtime,
                        char type) {
    std::string block(kTarBlock, '\0');
    char* h = block.data();
    // An empty string_view may hold a null pointer, which memcpy must not get even for 0 bytes.
    name.copy(h, name.size());
    put_octal(h + 100, 8, 0644);
    put_octal(h + 108, 8, 0);
    put_octal(h + 116, 8, 0);
    put_octal(h + 124, 12, size);
    put_octal(h + 136, 12, static_cast<std::uint64_t>(mtime < 0 ? 0 : mtime));
    h[156] = type;
    std::memcpy(h + 257,
                "ustar\0"
                "00",
                8);
    put_octal(h + 329, 8, 0);
    put_octal(h + 337, 8, 0);
    prefix.copy(h + 345, prefix.size());
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : block) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);  // six digits, NUL, then the space already there
    h[155] = ' ';
    return block;
}

std::string pax_record(std::string_view key, std::string_view value) {
    // "<len> key=value\n" where len counts the whole record, itself included.
    std::size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
    std::size_t len = body + 1;
    while (std::to_string(len).size() + body != len) ++len;
    return std::to_string(len) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

constexpr std::uint64_t kMaxUstarSize = 077777777777ull;

}  // namespace

std::string tar_entry_header(std::string_view path, std::uint64_t size, std::int64_t mtime) {
    if (path.empty()) fail(Errc::internal, "tar entry without a path");
    std::string_view name = path, prefix;
    bool fits = path.size() <= 100;
    if (!fits && path.size() <= 256) {
        // ustar splits long paths at a '/' into prefix (<=155) and name (<=100).
        for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
            if (slash <= 155 && path.size() - slash - 1 <= 100 && slash + 1 < path.size()) {
                prefix = path.substr(0, slash);
                name = path.substr(slash + 1);
                fits = true;
                break;
            }
        }
    }
    std::string pax;
    if (!fits) pax += pax_record("path", path);
    if (size > kMaxUstarSize) pax += pax_record("size", std::to_string(size));
    if (pax.empty()) return ustar_block(name, prefix, size, mtime, '0');

    std::string out = ustar_block("././@PaxHeader", "", pax.size(), mtime, 'x');
    out += pax;
    out.append(tar_padding(pax.size()), '\0');
    std::string_view short_name = fits ? name : path.substr(0, 100);
    out += ustar_block(short_name, fits ? prefix : std::string_view(), size > kMaxUstarSize ? 0 : size, mtime, '0');
    return out;
}

}  // namespace sealift::builder
