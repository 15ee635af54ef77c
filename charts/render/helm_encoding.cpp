// Encodings and digests (Sprig's crypto.go and strings.go base64/base32) and Helm's own YAML and
// JSON functions (pkg/engine/funcs.go), which replace Sprig's toJson/fromJson: toYaml and toJson
// give "" when Go's marshal fails, the must forms fail instead; fromYaml and fromJson put the
// error text under "Error" of the map they give; fromYamlArray and fromJsonArray give it as the
// list's one element.
#include <openssl/evp.h>

#include "charts/render/go_json.hpp"
#include "charts/render/go_yaml_emit.hpp"
#include "charts/render/go_yaml_read.hpp"
#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace sealift::render {
namespace {

using P = ParamType;
using Json = nlohmann::json;

std::string hex_digest(const EVP_MD* md, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), out, &n, md, nullptr);
    static const char hex[] = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < n; ++i) {
        s += hex[out[i] >> 4];
        s += hex[out[i] & 0xF];
    }
    return s;
}

std::uint32_t adler32(const std::string& data) {
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : data) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

// Go's base64.StdEncoding.DecodeString and its CorruptInputError text.
std::string base64_decode_go(const std::string& s) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string clean;
    std::vector<size_t> positions;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' || s[i] == '\n') continue;
        clean += s[i];
        positions.push_back(i);
    }
    auto corrupt = [&](size_t k) {
        return std::string("illegal base64 data at input byte ") +
               std::to_string(k < positions.size() ? positions[k] : s.size());
    };
    if (clean.size() % 4 != 0) {
        for (size_t k = 0; k < clean.size(); ++k)
            if (value(clean[k]) < 0 && clean[k] != '=') throw FunctionError(corrupt(k));
        throw FunctionError(corrupt(clean.size() - clean.size() % 4));
    }
    std::string out;
    for (size_t k = 0; k < clean.size(); k += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; ++j) {
            char c = clean[k + j];
            if (c == '=' && k + 4 == clean.size() && j >= 2) {
                v[j] = 0;
                ++pad;
                continue;
            }
            if (pad || (v[j] = value(c)) < 0) throw FunctionError(corrupt(k + j));
        }
        unsigned n = unsigned(v[0]) << 18 | unsigned(v[1]) << 12 | unsigned(v[2]) << 6 | unsigned(v[3]);
        out += char(n >> 16);
        if (pad < 2) out += char((n >> 8) & 0xFF);
        if (pad < 1) out += char(n & 0xFF);
    }
    return out;
}

std::string base32_encode(const std::string& data) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    for (size_t i = 0; i < data.size(); i += 5) {
        std::uint64_t chunk = 0;
        size_t n = std::min<size_t>(5, data.size() - i);
        for (size_t j = 0; j < 5; ++j) chunk = chunk << 8 | (j < n ? static_cast<unsigned char>(data[i + j]) : 0);
        static const size_t chars_for[] = {0, 2, 4, 5, 7, 8};
        for (size_t j = 0; j < 8; ++j) out += j < chars_for[n] ? alphabet[(chunk >> (35 - 5 * j)) & 31] : '=';
    }
    return out;
}

Json json_of(const Value& v) { return to_json(v); }

Value json_field_error(const std::string& message) {
    MapRef m = make_map();
    m->entries["Error"] = Value(message);
    return Value(m);
}

}  // namespace

void add_encoding_functions(FunctionTable& t) {
    add_function(t, "b64enc", {P::string}, [](Args a) { return Value(base64_encode(a[0].as_string())); });
    add_function(t, "b64dec", {P::string}, [](Args a) {
        try {
            return Value(base64_decode_go(a[0].as_string()));
        } catch (const FunctionError& e) {
            return Value(std::string(e.what()));
        }
    });
    add_function(t, "b32enc", {P::string}, [](Args a) { return Value(base32_encode(a[0].as_string())); });
    add_function(t, "sha1sum", {P::string}, [](Args a) { return Value(hex_digest(EVP_sha1(), a[0].as_string())); });
    add_function(t, "sha256sum", {P::string}, [](Args a) { return Value(hex_digest(EVP_sha256(), a[0].as_string())); });
    add_function(t, "sha512sum", {P::string}, [](Args a) { return Value(hex_digest(EVP_sha512(), a[0].as_string())); });
    add_function(t, "adler32sum", {P::string}, [](Args a) { return Value(std::to_string(adler32(a[0].as_string()))); });

    for (bool must : {false, true}) {
        add_function(t, must ? "mustToYaml" : "toYaml", {P::any}, [must](Args a) {
            try {
                std::string s = go_yaml_marshal(json_of(a[0]));
                if (!s.empty() && s.back() == '\n') s.pop_back();
                return Value(s);
            } catch (const Error& e) {
                if (must) throw FunctionError(e.what());
                return Value("");
            }
        });
        add_function(t, must ? "mustToJson" : "toJson", {P::any}, [must](Args a) {
            try {
                return Value(go_json_marshal(json_of(a[0])));
            } catch (const Error& e) {
                if (must) throw FunctionError(e.what());
                return Value("");
            }
        });
        add_function(t, must ? "mustToPrettyJson" : "toPrettyJson", {P::any}, [must](Args a) {
            try {
                return Value(go_json_marshal(json_of(a[0]), GoJsonStyle{true, "  "}));
            } catch (const Error& e) {
                if (must) throw FunctionError(e.what());
                return Value("");
            }
        });
        // Sprig's toRawJson panics on a marshal error, which the template reports like the must form.
        add_function(t, must ? "mustToRawJson" : "toRawJson", {P::any}, [](Args a) {
            try {
                return Value(go_json_marshal(json_of(a[0]), GoJsonStyle{false, ""}));
            } catch (const Error& e) {
                throw FunctionError(e.what());
            }
        });
    }
    add_function(t, "fromYaml", {P::string}, [](Args a) {
        try {
            return from_json(go_yaml_unmarshal_map(a[0].as_string()));
        } catch (const Error& e) {
            return json_field_error(e.what());
        }
    });
    add_function(t, "fromYamlArray", {P::string}, [](Args a) {
        try {
            return from_json(go_yaml_unmarshal_list(a[0].as_string()));
        } catch (const Error& e) {
            return list_value({Value(std::string(e.what()))});
        }
    });
    add_function(t, "fromJson", {P::string}, [](Args a) {
        try {
            Json v = go_json_unmarshal(a[0].as_string());
            if (v.is_null()) return Value(make_map());
            if (!v.is_object())
                return json_field_error("json: cannot unmarshal " +
                                        std::string(v.is_array()     ? "array"
                                                    : v.is_string()  ? "string"
                                                    : v.is_boolean() ? "bool"
                                                                     : "number") +
                                        " into Go value of type map[string]interface {}");
            return from_json(v);
        } catch (const Error& e) {
            return json_field_error(e.what());
        }
    });
    add_function(t, "fromJsonArray", {P::string}, [](Args a) {
        try {
            Json v = go_json_unmarshal(a[0].as_string());
            if (v.is_null()) return list_value({});
            if (!v.is_array())
                return list_value({Value("json: cannot unmarshal " +
                                         std::string(v.is_object()    ? "object"
                                                     : v.is_string()  ? "string"
                                                     : v.is_boolean() ? "bool"
                                                                      : "number") +
                                         " into Go value of type []interface {}")});
            return from_json(v);
        } catch (const Error& e) {
            return list_value({Value(std::string(e.what()))});
        }
    });
    // `helm template` has no cluster: lookup finds nothing, an empty map.
    add_function(t, "lookup", {P::string, P::string, P::string, P::string}, [](Args) { return Value(make_map()); });
}

}  // namespace sealift::render
