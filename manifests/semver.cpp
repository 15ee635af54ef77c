#include "manifests/semver.hpp"

#include "core/error.hpp"

namespace sealift::manifests {
namespace {

bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_ident_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) return out;
        start = pos + 1;
    }
}

// Returns an empty string when valid, else the reason.
std::string check_identifiers(std::string_view part, bool numeric_no_leading_zero, const char* what) {
    for (auto id : split(part, '.')) {
        if (id.empty()) return std::string("empty ") + what + " identifier";
        for (char c : id)
            if (!is_ident_char(c)) return std::string("invalid character '") + c + "' in " + what;
        if (numeric_no_leading_zero && is_digits(id) && id.size() > 1 && id[0] == '0')
            return std::string("numeric ") + what + " identifier '" + std::string(id) + "' has a leading zero";
    }
    return {};
}

}  // namespace

SemVer SemVer::parse(std::string_view text) {
    auto bad = [&](const std::string& why) -> SemVer {
        fail(Errc::format, "invalid version '" + std::string(text) + "': " + why + " (want SemVer 2.0 like 1.2.3)");
    };
    SemVer v;
    v.text_ = std::string(text);
    std::string_view rest = text;
    if (auto plus = rest.find('+'); plus != std::string_view::npos) {
        if (auto why = check_identifiers(rest.substr(plus + 1), false, "build metadata"); !why.empty()) return bad(why);
        rest = rest.substr(0, plus);
    }
    if (auto dash = rest.find('-'); dash != std::string_view::npos) {
        auto pre = rest.substr(dash + 1);
        if (auto why = check_identifiers(pre, true, "pre-release"); !why.empty()) return bad(why);
        for (auto id : split(pre, '.')) v.pre_.emplace_back(id);
        rest = rest.substr(0, dash);
    }
    auto core = split(rest, '.');
    if (core.size() != 3) return bad("need MAJOR.MINOR.PATCH");
    std::uint64_t* fields[] = {&v.major_, &v.minor_, &v.patch_};
    for (int i = 0; i < 3; ++i) {
        if (!is_digits(core[i])) return bad("MAJOR, MINOR and PATCH must be numbers");
        if (core[i].size() > 1 && core[i][0] == '0') return bad("'" + std::string(core[i]) + "' has a leading zero");
        if (core[i].size() > 18) return bad("number too large");
        *fields[i] = std::stoull(std::string(core[i]));
    }
    return v;
}

bool SemVer::valid(std::string_view text) noexcept {
    try {
        parse(text);
        return true;
    } catch (const Error&) {
        return false;
    }
}

int SemVer::compare(const SemVer& o) const {
    auto cmp = [](std::uint64_t a, std::uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); };
    if (int c = cmp(major_, o.major_)) return c;
    if (int c = cmp(minor_, o.minor_)) return c;
    if (int c = cmp(patch_, o.patch_)) return c;
    if (pre_.empty() || o.pre_.empty()) return pre_.empty() == o.pre_.empty() ? 0 : (pre_.empty() ? 1 : -1);
    for (std::size_t i = 0; i < pre_.size() && i < o.pre_.size(); ++i) {
        const auto &a = pre_[i], &b = o.pre_[i];
        bool an = is_digits(a), bn = is_digits(b);
        if (an && bn) {
            if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
            if (a != b) return a < b ? -1 : 1;
        } else if (an != bn) {
            return an ? -1 : 1;
        } else if (a != b) {
            return a < b ? -1 : 1;
        }
    }
    return cmp(pre_.size(), o.pre_.size());
}

}  // namespace sealift::manifests
