// Every case of the table through the engine: Go's text/template language as Helm runs it.
#include <catch2/catch.hpp>

#include "language_cases.hpp"
#include "render_harness.hpp"

using namespace sealift::test::render_cases;

TEST_CASE("template language cases render as Helm renders them", "[render][language]") {
    for (const auto& c : cases()) {
        INFO("case: " << c.name << "\ntemplate: " << c.text);
        std::string out;
        try {
            out = render_case(c.text);
        } catch (const std::exception& e) {
            out = std::string("ERROR: ") + e.what();
        }
        CHECK(out == c.expected);
    }
}

TEST_CASE("template errors read as Helm's", "[render][errors]") {
    for (const auto& c : error_cases()) {
        INFO("case: " << c.name << "\ntemplate: " << c.text);
        CHECK(render_error(c.text) == c.expected);
    }
}
