// Args: reading what was not declared is a bug (a compile error through
// CommandArgs, Errc::internal by name at run time); a wrong option on the
// command line is still the user's usage error; the help is laid out by code.
#include <catch2/catch.hpp>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "support/support.hpp"

using namespace sealift;
using cli::OptionSpec;

namespace {

constexpr cli::CommandSpec kDemo{"demo", "[--out DIR] [--json]",
                                 std::to_array<OptionSpec>({
                                     {"--out", "-o", "DIR", "where it goes"},
                                     {"--json", "", "", "machine-readable"},
                                 })};

// Matches a sealift::Error of `code`.
Catch::Matchers::Generic::PredicateMatcher<Error> has_code(Errc code) {
    return Catch::Matchers::Predicate<Error>([code](const Error& e) { return e.code() == code; },
                                             std::string("code ") + errc_name(code));
}

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE(
    "Args: reading an undeclared option, or one as the wrong kind, is an internal error naming it and the command") {
    cli::Args args(kDemo.declared(), {"--out", "x", "--json"});
    CHECK(args.value("--out") == "x");
    CHECK(args.flag("--json"));
    CHECK_THROWS_MATCHES(args.value("--outt"), Error, has_code(Errc::internal));
    CHECK(test::error_of([&] { args.value("--outt"); }) == "internal: option --outt is not declared by 'sealift demo'");
    CHECK_THROWS_MATCHES(args.flag("--quiet"), Error, has_code(Errc::internal));
    CHECK_THROWS_MATCHES(args.values("--nope"), Error, has_code(Errc::internal));
    CHECK_THROWS_MATCHES(args.required("--nope"), Error, has_code(Errc::internal));
    CHECK_THROWS_MATCHES(args.number("--nope", 1, 2, 1), Error, has_code(Errc::internal));
    CHECK(test::error_of([&] { args.value("--json"); }) ==
          "internal: option --json of 'sealift demo' is read as taking a value but declared as a flag");
    CHECK(test::error_of([&] { args.flag("--out"); }) ==
          "internal: option --out of 'sealift demo' is read as a flag but declared as taking a value");
    // Absent options are checked too: the check is on the name, not on what was given.
    cli::Args empty(kDemo.declared(), {});
    CHECK(!empty.value("--out"));
    CHECK_THROWS_MATCHES(empty.value("--outt"), Error, has_code(Errc::internal));
}

TEST_CASE("Args: a misspelled or misused option on the command line stays a usage error, exit 2") {
    auto parse = [](std::vector<std::string> argv) { cli::Args(kDemo.declared(), argv); };
    CHECK_THROWS_MATCHES(parse({"--outt", "x"}), Error, has_code(Errc::usage));
    CHECK(test::error_of([&] { parse({"--outt", "x"}); }) == "sealift demo: unknown option '--outt' (see --help)");
    CHECK_THROWS_MATCHES(parse({"--json=1"}), Error, has_code(Errc::usage));
    CHECK_THROWS_MATCHES(parse({"--out"}), Error, has_code(Errc::usage));
    cli::Args twice(kDemo.declared(), {"-o", "a", "--out=b"});
    CHECK_THROWS_MATCHES(twice.value("--out"), Error, has_code(Errc::usage));

    auto r = test::run(test::sealift_binary() + " verify x.bundle --trsut trust.json");
    CHECK(r.exit_code == 2);
    CHECK(r.err == "sealift verify: unknown option '--trsut' (see --help)\n");
}

TEST_CASE("CommandArgs: reads by the declared names, of the declared kind") {
    cli::CommandArgs<kDemo> args({"-o", "x"});
    CHECK(args.value("--out") == "x");
    CHECK(args.values("--out") == std::vector<std::string>{"x"});
    CHECK(!args.flag("--json"));
    CHECK(cli::find_option(kDemo.options, "--json") != nullptr);
    CHECK(cli::find_option(kDemo.options, "--nope") == nullptr);
}

// What does not compile cannot be run: each case writes a file reading an option,
// compiles it with the project's compiler, and checks that only the declared
// read of the right kind compiles, the others failing on the named reason. The
// read sits in a branch no test would take, which is the point.
TEST_CASE("CommandArgs: reading an undeclared option, or one as the wrong kind, does not compile") {
    test::TempDir dir;
    auto compile = [&](const std::string& read) {
        test::write_text(
            dir / "read.cpp",
            "#include \"cli/args.hpp\"\n"
            "constexpr sealift::cli::CommandSpec kSpec{\"demo\", \"\", std::to_array<sealift::cli::OptionSpec>({\n"
            "    {\"--out\", \"-o\", \"DIR\", \"where\"}, {\"--json\", \"\", \"\", \"report\"}})};\n"
            "int main(int argc, char**) {\n"
            "    sealift::cli::CommandArgs<kSpec> args({});\n"
            "    if (argc > 99) return " +
                read +
                " ? 1 : 0;\n"
                "    return 0;\n"
                "}\n");
        return test::run(std::string(SEALIFT_CXX) + " -std=c++20 -fsyntax-only -I" + q(test::source_dir()) + " " +
                         q(dir / "read.cpp"));
    };
    auto ok = compile("args.value(\"--out\").has_value() || args.flag(\"--json\")");
    CHECK(ok.exit_code == 0);
    CHECK(ok.err == "");
    auto undeclared = compile("args.value(\"--outt\").has_value()");
    CHECK(undeclared.exit_code != 0);
    CHECK_THAT(undeclared.err,
               Catch::Contains("option_is_not_declared_by_this_command") && Catch::Contains("\"--outt\""));
    auto flag_as_value = compile("args.value(\"--json\").has_value()");
    CHECK(flag_as_value.exit_code != 0);
    CHECK_THAT(flag_as_value.err, Catch::Contains("option_is_a_flag_not_a_value"));
    auto value_as_flag = compile("args.flag(\"--out\")");
    CHECK(value_as_flag.exit_code != 0);
    CHECK_THAT(value_as_flag.err, Catch::Contains("option_takes_a_value_not_a_flag"));
}

TEST_CASE("Args: the help lines options up in two columns, wraps long help under its column, and wraps the notes") {
    // The last word does not fit the help column at all: it stands alone, over the width.
    const std::string long_help(60, 'x'), unbreakable(80, 'y'), two_long_words = long_help + " " + unbreakable;
    const std::string words =
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen";
    const auto options = std::to_array<OptionSpec>({
        {"--out", "-o", "DIR", "where it goes"},
        {"--json", "", "", words},
        {"--default-registry", "", "HOST", two_long_words},
    });
    const std::string notes =
        "Notes are laid out too: " + words + "\n\n  an indented line keeps its indent when it wraps: " + words;
    cli::Args args({"demo", "[options]", options, notes}, {});
    CHECK(args.help_text() ==
          "usage: sealift demo [options]\n"
          "\n"
          "options:\n"
          "  -o, --out DIR                where it goes\n"
          "      --json                   one two three four five six seven eight nine ten eleven twelve\n"
          "                               thirteen fourteen fifteen sixteen\n"
          "      --default-registry HOST  " +
              long_help +
              "\n"
              "                               " +
              unbreakable +
              "\n"
              "\n"
              "Notes are laid out too: one two three four five six seven eight nine ten eleven twelve thirteen\n"
              "fourteen fifteen sixteen\n"
              "\n"
              "  an indented line keeps its indent when it wraps: one two three four five six seven eight nine ten\n"
              "  eleven twelve thirteen fourteen fifteen sixteen\n");
    CHECK(cli::Args({"demo", "x", {}}, {}).help_text() == "usage: sealift demo x\n");
}

TEST_CASE("Args: a usage line longer than the help width continues under its first word") {
    std::string usage;
    for (int i = 0; i < 12; ++i) usage += "--option-" + std::to_string(i) + " X ";
    cli::Args args({"mirror demo", usage, {}}, {});
    auto text = args.help_text();
    CHECK(text ==
          "usage: sealift mirror demo --option-0 X --option-1 X --option-2 X --option-3 X --option-4 X\n"
          "                           --option-5 X --option-6 X --option-7 X --option-8 X --option-9 X\n"
          "                           --option-10 X --option-11 X\n");
}
