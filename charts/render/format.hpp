// Go's fmt as templates use it: `{{ . }}` prints with %v, `print` is fmt.Sprint, `println`
// fmt.Sprintln, `printf` fmt.Sprintf. Go's layouts are kept exactly: float64 in strconv's
// shortest form with an exponent from 1e+21 for %v and from 1e+06... as %g does (1000000 prints
// "1e+06"), maps as "map[a:1 b:2]" in key order, lists as "[a b]", nil as "<nil>", and a verb
// that does not fit its operand as Go's "%!d(string=x)".
#pragma once

#include <string>
#include <string_view>

#include "charts/render/function.hpp"
#include "charts/render/value.hpp"

namespace sealift::render {

// fmt's %v of one value.
std::string format_value(const Value& v);

// fmt.Sprint: operands printed with %v, a space between two operands when neither is a string.
std::string sprint(Args args);

// fmt.Sprintln: operands printed with %v, always a space between them, and a newline.
std::string sprintln(Args args);

// fmt.Sprintf with Go's verbs, flags, widths and precisions (%v %s %d %q %t %f %e %g %x %X %o %b
// %c %U %T %%), and Go's texts for missing or extra operands ("%!d(MISSING)", "%!(EXTRA ...)").
std::string sprintf(std::string_view format, Args args);

// Go's strconv.FormatFloat(f, fmt, prec, 64) for fmt 'e', 'f', 'g' ('E', 'G' too); prec -1 is
// the shortest that reads back as the same float64.
std::string format_float(double f, char fmt, int prec);

// Go's strconv.Quote: a double-quoted Go string literal, with Go's escapes.
std::string quote_string(std::string_view s);

}  // namespace sealift::render
