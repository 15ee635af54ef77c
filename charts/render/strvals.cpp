#include "charts/render/strvals.hpp"

#include <optional>

#include "charts/render/go_json.hpp"
#include "charts/render/utf8.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

constexpr int max_index = 65536;
constexpr int max_nested_name_level = 30;

struct Eof {};  // io.EOF

// A Go panic inside strvals' key(), recovered there as "unable to parse key: ...".
struct Panic {
    std::string message;
};

[[noreturn]] void error(const std::string& message) { fail(Errc::usage, message); }

std::string go_type_name(const Json& v) {
    switch (v.type()) {
    case Json::value_t::null: return "nil";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "int64";
    case Json::value_t::number_float: return "float64";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "[]interface {}";
    case Json::value_t::object: return "map[string]interface {}";
    default: return "nil";
    }
}

// Go's v.([]any) / v.(map[string]any) on a value of another type.
void assert_type(const Json& v, bool want_list) {
    if (want_list ? v.is_array() : v.is_object()) return;
    throw Panic{"interface conversion: interface {} is " + go_type_name(v) + ", not " +
                (want_list ? "[]interface {}" : "map[string]interface {}")};
}

// Go's %q of a string.
std::string go_quoted(const std::u32string& runes) {
    std::string s;
    for (char32_t r : runes) append_utf8(s, r);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string text_of(const std::u32string& runes) {
    std::string s;
    for (char32_t r : runes) append_utf8(s, r);
    return s;
}

bool is_space(char32_t r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r == 0x85 || r == 0xA0 ||
           r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F ||
           r == 0x3000;
}

class Parser {
public:
    Parser(std::string_view text, SetKind kind) : kind_(kind) {
        for (size_t i = 0; i < text.size();) {
            char32_t r = 0;
            i += utf8_decode(text, i, r);
            runes_.push_back(r);
        }
    }

    void parse(Json& data) {
        while (true) {
            try {
                key(data, 0);
            } catch (const Eof&) {
                return;
            }
        }
    }

private:
    std::u32string runes_;
    size_t pos_ = 0;
    SetKind kind_;

    std::optional<char32_t> read() {
        if (pos_ >= runes_.size()) return std::nullopt;
        return runes_[pos_++];
    }
    void unread() { --pos_; }

    // runesUntil: the runes before a stop rune (backslash escapes the next rune); nullopt stop at
    // the end of the input.
    std::u32string until(std::u32string_view stop, std::optional<char32_t>& last) {
        std::u32string v;
        while (true) {
            auto r = read();
            if (!r) {
                last.reset();
                return v;
            }
            if (stop.find(*r) != std::u32string_view::npos) {
                last = r;
                return v;
            }
            if (*r == '\\' && kind_ != SetKind::literal) {
                auto next = read();
                if (!next) {
                    last.reset();
                    return v;
                }
                v += *next;
                continue;
            }
            v += *r;
        }
    }

    static void set(Json& data, const std::u32string& key, Json value) {
        if (key.empty()) return;
        data[text_of(key)] = std::move(value);
    }

    Json typed(const std::u32string& runes) const {
        std::string val = text_of(runes);
        if (kind_ == SetKind::string || kind_ == SetKind::literal) return Json(val);
        std::string lower;
        for (char c : val) lower += char(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "true") return Json(true);
        if (lower == "false") return Json(false);
        if (lower == "null") return Json(nullptr);
        if (val == "0") return Json(std::int64_t{0});
        if (!val.empty() && val[0] != '0') {
            size_t i = val[0] == '+' || val[0] == '-' ? 1 : 0;
            bool digits = i < val.size();
            for (size_t k = i; k < val.size(); ++k)
                if (val[k] < '0' || val[k] > '9') digits = false;
            if (digits) {
                errno = 0;
                char* end = nullptr;
                long long n = std::strtoll(val.c_str(), &end, 10);
                if (errno == 0) return Json(std::int64_t(n));
            }
        }
        return Json(val);
    }

    int key_index() {
        std::optional<char32_t> last;
        std::u32string v = until(U"]", last);
        if (!last) throw Eof{};
        std::string text = text_of(v);
        size_t i = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
        bool ok = i < text.size() && text.size() - i <= 18;
        for (size_t k = i; k < text.size(); ++k)
            if (text[k] < '0' || text[k] > '9') ok = false;
        if (!ok) error("error parsing index: strconv.Atoi: parsing " + go_quoted(v) + ": invalid syntax");
        return int(std::stoll(text));
    }

    Json set_index(Json list, int index, Json value) {
        if (index < 0) error("negative " + std::to_string(index) + " index not allowed");
        if (index > max_index)
            error("index of " + std::to_string(index) + " is greater than maximum supported index of " +
                  std::to_string(max_index));
        while (int(list.size()) <= index) list.push_back(nullptr);
        list[size_t(index)] = std::move(value);
        return list;
    }

    bool empty_value() {
        while (true) {
            auto r = read();
            if (!r || *r == ',') return true;
            if (!is_space(*r)) {
                unread();
                return false;
            }
        }
    }

    // A JSON value from the rest of the input (json.Decoder.Decode), consuming what it read.
    Json json_value() {
        std::string rest;
        for (size_t k = pos_; k < runes_.size(); ++k) append_utf8(rest, runes_[k]);
        size_t consumed = 0;
        Json v = go_json_unmarshal_prefix(rest, consumed);
        std::string_view taken(rest.data(), consumed);
        size_t count = 0;
        for (size_t i = 0; i < taken.size();) {
            char32_t r = 0;
            i += utf8_decode(taken, i, r);
            ++count;
        }
        pos_ += count;
        return v;
    }

    std::u32string value_runes() {
        std::optional<char32_t> last;
        return until(kind_ == SetKind::literal ? U"" : U",", last);
    }

    // valList: a {a,b} list, or nullopt when the value is not one.
    std::optional<Json> value_list() {
        auto r = read();
        if (!r) throw Eof{};
        if (*r != '{') {
            unread();
            return std::nullopt;
        }
        Json list = Json::array();
        while (true) {
            std::optional<char32_t> last;
            std::u32string rs = until(U",}", last);
            if (!last) error("list must terminate with '}'");
            if (*last == '}') {
                auto next = read();
                if (next && *next != ',') unread();
                list.push_back(typed(rs));
                return list;
            }
            list.push_back(typed(rs));
        }
    }

    void key(Json& data, int level) {
        try {
            key_body(data, level);
        } catch (const Panic& p) {
            error("unable to parse key: " + p.message);
        }
    }

    void key_body(Json& data, int level) {
        std::u32string stop = kind_ == SetKind::literal ? U"=[." : U"=[,.";
        std::optional<char32_t> last;
        std::u32string k = until(stop, last);
        if (!last) {
            if (k.empty()) throw Eof{};
            error("key " + go_quoted(k) + " has no value");
        }
        std::string name = text_of(k);
        if (*last == '[') {
            int i = key_index();
            Json list = Json::array();
            if (data.contains(name)) {
                assert_type(data[name], true);
                list = data[name];
            }
            Json before = list;
            try {
                list = list_item(std::move(list), i, level);
            } catch (...) {
                set(data, k, std::move(before));
                throw;
            }
            set(data, k, std::move(list));
            return;
        }
        if (*last == '=') {
            if (kind_ == SetKind::literal) {
                set(data, k, Json(text_of(value_runes())));
                return;
            }
            if (kind_ == SetKind::json) {
                if (empty_value()) {
                    set(data, k, nullptr);
                    return;
                }
                set(data, k, json_value());
                empty_value();
                return;
            }
            std::optional<Json> list;
            try {
                list = value_list();
            } catch (const Eof&) {
                set(data, k, Json(""));
                throw;
            }
            if (list) {
                set(data, k, *list);
                return;
            }
            set(data, k, typed(value_runes()));
            return;
        }
        if (*last == ',') {
            set(data, k, Json(""));
            error("key " + go_quoted(k) + " has no value (cannot end with ,)");
        }
        // '.'
        if (++level > max_nested_name_level)
            error("value name nested level is greater than maximum supported nested level of " +
                  std::to_string(max_nested_name_level));
        Json inner = Json::object();
        if (data.contains(name)) {
            assert_type(data[name], false);
            inner = data[name];
        }
        std::optional<Error> failure;
        bool eof = false;
        try {
            key(inner, level);
        } catch (const Error& e) {
            failure = e;
        } catch (const Eof&) {
            eof = true;
        }
        if (!failure && !eof && inner.empty()) error("key map " + go_quoted(k) + " has no value");
        if (!inner.empty()) set(data, k, inner);
        if (failure) throw *failure;
        if (eof) throw Eof{};
    }

    Json list_item(Json list, int i, int level) {
        if (i < 0) error("negative " + std::to_string(i) + " index not allowed");
        std::optional<char32_t> last;
        std::u32string k = until(U"[.=", last);
        if (!k.empty()) error("unexpected data at end of array index: " + go_quoted(k));
        if (!last) throw Eof{};
        if (*last == '=') {
            if (kind_ == SetKind::literal) return set_index(std::move(list), i, Json(text_of(value_runes())));
            if (kind_ == SetKind::json) {
                if (empty_value()) return set_index(std::move(list), i, nullptr);
                list = set_index(std::move(list), i, json_value());
                empty_value();
                return list;
            }
            std::optional<Json> values;
            try {
                values = value_list();
            } catch (const Eof&) {
                return set_index(std::move(list), i, Json(""));
            }
            if (values) return set_index(std::move(list), i, *values);
            return set_index(std::move(list), i, typed(value_runes()));
        }
        if (*last == '[') {
            int next = key_index();
            Json current = Json::array();
            if (int(list.size()) > i && !list[size_t(i)].is_null()) {
                assert_type(list[size_t(i)], true);
                current = list[size_t(i)];
            }
            Json inner_list = list_item(std::move(current), next, level);
            return set_index(std::move(list), i, std::move(inner_list));
        }
        // '.'
        Json inner = Json::object();
        if (int(list.size()) > i && list[size_t(i)].is_object()) inner = list[size_t(i)];
        key(inner, level);
        return set_index(std::move(list), i, std::move(inner));
    }
};

}  // namespace

void parse_set_into(std::string_view text, nlohmann::json& values, SetKind kind) {
    if (!values.is_object()) values = Json::object();
    Parser(text, kind).parse(values);
}

}  // namespace sealift::render
