// Sprig's random values (randAlphaNum, randAlpha, randNumeric, randAscii, randInt, uuidv4).
// Helm's output differs on every run with them too; these give values of the same shape from the
// system's random source.
#include <random>

#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

std::mt19937_64& generator() {
    static thread_local std::mt19937_64 g{std::random_device{}()};
    return g;
}

std::string random_from(std::string_view alphabet, std::int64_t count) {
    if (count < 0) throw FunctionError("Requested random string length " + std::to_string(count) + " is less than 0.");
    std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
    std::string out;
    for (std::int64_t i = 0; i < count; ++i) out += alphabet[pick(generator())];
    return out;
}

constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view digits = "0123456789";

}  // namespace

void add_random_functions(FunctionTable& t) {
    add_function(t, "randAlphaNum", {P::integer},
                 [](Args a) { return Value(random_from(std::string(letters) + std::string(digits), a[0].as_int())); });
    add_function(t, "randAlpha", {P::integer}, [](Args a) { return Value(random_from(letters, a[0].as_int())); });
    add_function(t, "randNumeric", {P::integer}, [](Args a) { return Value(random_from(digits, a[0].as_int())); });
    add_function(t, "randAscii", {P::integer}, [](Args a) {
        std::string printable;
        for (char c = 32; c < 127; ++c) printable += c;
        return Value(random_from(printable, a[0].as_int()));
    });
    add_function(t, "randInt", {P::integer, P::integer}, [](Args a) {
        std::int64_t lo = a[0].as_int(), hi = a[1].as_int();
        if (hi <= lo) throw FunctionError("invalid argument to Intn");
        std::uniform_int_distribution<std::int64_t> pick(lo, hi - 1);
        return Value(pick(generator()));
    });
    add_function(t, "uuidv4", {}, [](Args) {
        std::uniform_int_distribution<int> byte(0, 255);
        unsigned char b[16];
        for (auto& x : b) x = static_cast<unsigned char>(byte(generator()));
        b[6] = (b[6] & 0x0F) | 0x40;
        b[8] = (b[8] & 0x3F) | 0x80;
        static const char hex[] = "0123456789abcdef";
        std::string s;
        for (int i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
            s += hex[b[i] >> 4];
            s += hex[b[i] & 0xF];
        }
        return Value(s);
    });
}

}  // namespace sealift::render
