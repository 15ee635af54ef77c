// Go's regexp package on RE2 (whose syntax and leftmost-first semantics Go's is), with Go's
// behaviour where RE2's API differs: FindAll's and ReplaceAll's handling of empty matches, Split's
// rules, and the replacement template of ReplaceAllString ($1, ${1}, $name, ${name}, $$; a name
// is the longest run of letters, digits and '_', so "$1x" is the group named "1x").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace sealift::render {

class GoRegexp {
public:
    // regexp.Compile. Throws sealift::Error (Errc::format) with Go's text:
    // "error parsing regexp: missing closing ): `(`".
    explicit GoRegexp(std::string_view pattern);
    ~GoRegexp();
    GoRegexp(GoRegexp&&) noexcept;

    bool match(std::string_view s) const;
    // FindString: the leftmost match, "" when there is none.
    std::string find(std::string_view s) const;
    // FindAllString(s, n): at most n matches (all for n < 0); an empty list for none.
    std::vector<std::string> find_all(std::string_view s, int n) const;
    // ReplaceAllString: `replacement` expanded as Go's Regexp.Expand does.
    std::string replace_all(std::string_view s, std::string_view replacement) const;
    // ReplaceAllLiteralString.
    std::string replace_all_literal(std::string_view s, std::string_view replacement) const;
    // Split(s, n).
    std::vector<std::string> split(std::string_view s, int n) const;

private:
    std::string pattern_;
    std::unique_ptr<re2::RE2> re_;
    std::vector<std::string> group_names_;  // by group number; "" for unnamed

    // Go's allMatches: the submatch offsets of successive matches (pairs of byte offsets, -1 when
    // a group did not take part).
    std::vector<std::vector<long>> all_matches(std::string_view s, int n, int groups) const;
    bool match_at(std::string_view s, size_t pos, int groups, std::vector<long>& offsets) const;
    std::string replace(std::string_view s, std::string_view replacement, bool literal) const;
};

// regexp.QuoteMeta.
std::string go_regexp_quote_meta(std::string_view s);

// Go's panic text of regexp.MustCompile for a bad pattern: "regexp: Compile(`(`): error parsing
// regexp: ...", which Sprig's non-must functions fail with.
std::string go_regexp_must_compile_message(std::string_view pattern, const std::string& compile_error);

}  // namespace sealift::render
