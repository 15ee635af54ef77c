#include "core/text.hpp"

#include <cstring>

#include "core/error.hpp"

namespace sealift {
namespace {

const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string percent_encode(std::string_view text, std::string_view also_keep) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~' ||
                          also_keep.find(static_cast<char>(c)) != std::string_view::npos;
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string ascii_lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += kBase64[(v >> shift) & 63];
    }
    if (std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kBase64[(v >> 18) & 63];
        out += kBase64[(v >> 12) & 63];
        out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(std::string_view text, const std::string& what) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    unsigned v = 0;
    int bits = 0;
    for (char c : text) {
        const char* p = c ? std::strchr(kBase64, c) : nullptr;
        if (!p) fail(Errc::format, what + ": invalid base64");
        v = (v << 6) | static_cast<unsigned>(p - kBase64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((v >> bits) & 0xff);
        }
    }
    if (bits >= 6) fail(Errc::format, what + ": truncated base64");
    return out;
}

namespace {

// The UTF-8 sequence at text[i] (Unicode table 3-7): true if whole and valid; `used`
// is its length, or that of its maximal invalid subpart (at least 1 byte).
bool utf8_sequence_at(std::string_view text, std::size_t i, std::size_t& used) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    used = 1;
    if (lead < 0x80) return true;
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
    else
        return false;
    for (std::size_t k = 1; k < length; ++k, ++used) {
        if (i + k >= text.size()) return false;
        const unsigned char c = byte(i + k);
        if (k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xBF)) return false;
    }
    return true;
}

}  // namespace

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool valid_utf8(std::string_view text) {
    for (std::size_t i = 0, used = 0; i < text.size(); i += used)
        if (!utf8_sequence_at(text, i, used)) return false;
    return true;
}

std::string utf8_with_replacement(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0, used = 0; i < text.size(); i += used) {
        if (utf8_sequence_at(text, i, used))
            out.append(text.substr(i, used));
        else
            out += "\xEF\xBF\xBD";  // U+FFFD
    }
    return out;
}

}  // namespace sealift
