#include "core/json.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sealift {

namespace {

// Builds the value as nlohmann's own DOM parser does (a pointer to each open array or object), and
// notes the first key an object already holds: the object's own map is the key set, one lookup per
// key. (nlohmann's callback parser would see the keys too, but rescans the parent container at every
// object's end, which makes parsing quadratic in the number of members.)
class StrictDomBuilder {
public:
    explicit StrictDomBuilder(Json& root) : root_(root) {}

    bool null() { return add(nullptr); }
    bool boolean(bool v) { return add(v); }
    bool number_integer(Json::number_integer_t v) { return add(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return add(v); }
    bool number_float(Json::number_float_t v, const Json::string_t&) { return add(v); }
    bool string(Json::string_t& v) { return add(std::move(v)); }
    bool binary(Json::binary_t& v) { return add(Json::binary(std::move(v))); }
    bool start_object(std::size_t) {
        open_.push_back(&place(Json::object()));
        return true;
    }
    bool key(Json::string_t& k) {
        auto [it, added] = open_.back()->get_ref<Json::object_t&>().emplace(k, nullptr);
        if (!added && duplicate_.empty()) duplicate_ = k;
        member_ = &it->second;  // a duplicate's later value replaces the first: the parse fails anyway
        return true;
    }
    bool end_object() {
        open_.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        open_.push_back(&place(Json::array()));
        return true;
    }
    bool end_array() {
        open_.pop_back();
        return true;
    }
    // The exception nlohmann's parser made, of its own type, as Json::parse throws it.
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& e) {
        throw e;
    }

    const std::string& duplicate() const { return duplicate_; }

private:
    // Where a new value goes: the root, the end of the open array, or the open object's last key.
    // Pointers to open containers stay valid: only the innermost one grows.
    Json& place(Json&& v) {
        if (open_.empty()) return root_ = std::move(v);
        Json& parent = *open_.back();
        if (parent.is_array()) {
            parent.get_ref<Json::array_t&>().push_back(std::move(v));
            return parent.back();
        }
        return *member_ = std::move(v);
    }
    bool add(Json v) {
        place(std::move(v));
        return true;
    }

    Json& root_;
    std::vector<Json*> open_;
    Json* member_ = nullptr;
    std::string duplicate_;
};

}  // namespace

Json parse_json_strict(std::string_view text, const std::string& what) {
    Json value;
    StrictDomBuilder builder(value);
    try {
        Json::sax_parse(text.begin(), text.end(), &builder);
    } catch (const Json::exception& e) {
        // Every nlohmann error, not only parse_error: a number beyond a double (1e999) is
        // out_of_range.406, and must be a refusal naming the entry like any other bad JSON.
        // Without nlohmann's tag ("[json.exception.parse_error.101] "): the reason is for people, not a library id.
        std::string_view reason = e.what();
        if (reason.rfind("[json.exception.", 0) == 0 && reason.find("] ") != std::string_view::npos)
            reason.remove_prefix(reason.find("] ") + 2);
        fail(Errc::format, what + ": invalid JSON: " + std::string(reason));
    }
    const std::string& duplicate = builder.duplicate();
    if (!duplicate.empty()) fail(Errc::format, what + ": duplicate JSON key '" + duplicate + "'");
    return value;
}

namespace {

void encode_string(const std::string& s, std::string& out) {
    // Control characters go out raw, as in securesystemslib and @tufjs/canonical-json:
    // TUF ECDSA keys carry PEM text with newlines, and their key ids and signatures
    // are computed over those raw bytes.
    // Bytes that are not UTF-8 (a hostile entry or file name in a receipt) become U+FFFD:
    // JSON text must be UTF-8, and a receipt no parser can read would be no receipt.
    if (!valid_utf8(s)) return encode_string(utf8_with_replacement(s), out);
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

void encode(const Json& v, std::string& out) {
    switch (v.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); break;
    case Json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); break;
    case Json::value_t::string: encode_string(v.get_ref<const std::string&>(), out); break;
    case Json::value_t::array: {
        out += '[';
        bool first = true;
        for (const auto& e : v) {
            if (!first) out += ',';
            first = false;
            encode(e, out);
        }
        out += ']';
        break;
    }
    case Json::value_t::object: {
        out += '{';
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {  // nlohmann's object map is sorted by key
            if (!first) out += ',';
            first = false;
            encode_string(it.key(), out);
            out += ':';
            encode(it.value(), out);
        }
        out += '}';
        break;
    }
    default: fail(Errc::format, "canonical JSON has no floating-point or binary values");
    }
}

}  // namespace

std::string canonical_json(const Json& value) {
    std::string out;
    encode(value, out);
    return out;
}

const Json& json_field(const Json& object, const char* name, const std::string& what) {
    if (!object.is_object()) fail(Errc::format, what + ": expected a JSON object");
    auto it = object.find(name);
    if (it == object.end()) fail(Errc::format, what + ": missing field '" + name + "'");
    return *it;
}

std::string json_string(const Json& object, const char* name, const std::string& what) {
    const Json& v = json_field(object, name, what);
    if (!v.is_string()) fail(Errc::format, what + ": field '" + name + "' must be a string");
    return v.get<std::string>();
}

std::uint64_t json_uint(const Json& object, const char* name, const std::string& what) {
    const Json& v = json_field(object, name, what);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
        fail(Errc::format, what + ": field '" + name + "' must be a non-negative integer");
    return v.get<std::uint64_t>();
}

void check_only_keys(const Json& object, std::initializer_list<std::string_view> allowed, const std::string& what) {
    if (!object.is_object()) fail(Errc::format, what + ": expected a JSON object");
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
            fail(Errc::format, what + ": unknown field '" + it.key() + "'");
    }
}

}  // namespace sealift
