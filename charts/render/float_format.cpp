// strconv.FormatFloat's layouts, built on std::to_chars, which gives the same digits as Go
// (the shortest that reads back, or the exactly rounded ones for a precision).
#include <charconv>
#include <cmath>
#include <string>

#include "charts/render/format.hpp"

namespace sealift::render {
namespace {

// The decimal digits of |f| without trailing zeros, and the position of the decimal point:
// f = 0.d1d2d3... * 10^point.
struct Digits {
    std::string digits;
    int point = 0;
};

// significant < 0: the shortest digits that read back as f.
Digits decimal_digits(double f, int significant) {
    char buf[64];
    std::to_chars_result r =
        significant < 0
            ? std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific)
            : std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific, significant - 1);
    std::string text(buf, r.ptr);
    auto e = text.find('e');
    Digits d;
    for (size_t i = 0; i < e; ++i)
        if (text[i] != '.') d.digits += text[i];
    int exponent = std::stoi(text.substr(e + 1));
    while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
    if (d.digits == "0") {
        d.point = 0;
        return d;
    }
    d.point = exponent + 1;
    return d;
}

std::string exponent_text(int exp, char e) {
    std::string out(1, e);
    out += exp < 0 ? '-' : '+';
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
}

// %e with `prec` digits after the point, from digits.
std::string layout_e(const Digits& d, int prec, char e) {
    std::string out(1, d.digits.empty() ? '0' : d.digits[0]);
    if (prec > 0) {
        out += '.';
        for (int i = 1; i <= prec; ++i) out += i < static_cast<int>(d.digits.size()) ? d.digits[i] : '0';
    }
    int exp = d.digits == "0" ? 0 : d.point - 1;
    return out + exponent_text(exp, e);
}

// %f with `prec` digits after the point, from digits.
std::string layout_f(const Digits& d, int prec) {
    std::string out;
    auto digit = [&](int i) { return i >= 0 && i < static_cast<int>(d.digits.size()) ? d.digits[i] : '0'; };
    if (d.point > 0) {
        for (int i = 0; i < d.point; ++i) out += digit(i);
    } else {
        out += '0';
    }
    if (prec > 0) {
        out += '.';
        for (int i = 0; i < prec; ++i) out += digit(d.point + i);
    }
    return out;
}

}  // namespace

std::string format_float(double f, char fmt, int prec) {
    if (std::isnan(f)) return "NaN";
    if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
    std::string sign = std::signbit(f) ? "-" : "";
    char lower = static_cast<char>(fmt | 0x20);
    char e = fmt == 'E' || fmt == 'G' ? 'E' : 'e';
    if (lower == 'f') {
        char buf[512];
        auto r = prec < 0 ? std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::fixed)
                          : std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::fixed, prec);
        return sign + std::string(buf, r.ptr);
    }
    if (lower == 'e') {
        if (prec < 0) {
            Digits d = decimal_digits(f, -1);
            return sign + layout_e(d, static_cast<int>(d.digits.size()) - 1, e);
        }
        Digits d = decimal_digits(f, prec + 1);
        return sign + layout_e(d, prec, e);
    }
    // 'g': %e for large and small exponents, %f otherwise, without trailing zeros.
    bool shortest = prec < 0;
    if (prec == 0) prec = 1;
    Digits d = decimal_digits(f, shortest ? -1 : prec);
    int nd = static_cast<int>(d.digits.size());
    if (d.digits == "0") d.point = 1;  // Go's decimal of 0 has its point after the digit
    if (shortest) prec = nd;
    int eprec = prec;
    if (eprec > nd && nd >= d.point) eprec = nd;
    if (shortest) eprec = 6;
    int exp = d.point - 1;
    if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return sign + layout_e(d, prec - 1, e);
    }
    if (prec > d.point) prec = nd;
    return sign + layout_f(d, std::max(prec - d.point, 0));
}

}  // namespace sealift::render
