#include "core/error.hpp"
#include "core/hex.hpp"
#include "trust/hex.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

std::string hex_decode(std::string_view hex, const std::string& what) {
    if (hex.size() % 2 != 0) fail(Errc::format, what + ": hex text of odd length " + std::to_string(hex.size()));
    std::string bytes(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        int high = hex_digit_value(hex[2 * i]), low = hex_digit_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) fail(Errc::format, what + ": not hex at offset " + std::to_string(2 * i));
        bytes[i] = static_cast<char>(high * 16 + low);
    }
    return bytes;
}

Json signatures_to_json(const std::vector<Signature>& signatures) {
    Json out = Json::array();
    for (const auto& s : signatures) out.push_back({{"keyid", s.keyid}, {"sig", s.sig_hex}});
    return out;
}

std::vector<Signature> signatures_from_json(const Json& json, const std::string& what) {
    if (!json.is_array()) fail(Errc::format, what + ": 'signatures' must be an array");
    std::vector<Signature> out;
    for (std::size_t i = 0; i < json.size(); ++i) {
        std::string entry = what + " signature " + std::to_string(i);
        Signature s{json_string(json[i], "keyid", entry), json_string(json[i], "sig", entry)};
        hex_decode(s.sig_hex, entry + " sig");  // malformed hex is a format error, not a bad signature
        out.push_back(std::move(s));
    }
    return out;
}

bool signed_by(const PublicKey& key, std::string_view signed_bytes, const std::vector<Signature>& signatures) {
    for (const auto& s : signatures)
        if (s.keyid == key.keyid() && key.verify(signed_bytes, hex_decode(s.sig_hex, "signature by " + s.keyid)))
            return true;
    return false;
}

}  // namespace sealift::trust
