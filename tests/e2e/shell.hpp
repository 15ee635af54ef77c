// What the end-to-end tests share: a scratch folder to run commands in as a
// user would, and the corpus generator (the project's own scripts/make-corpus.py).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/support.hpp"

namespace sealift::e2e {

inline std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline std::filesystem::path corpus_script() {
    if (const char* env = std::getenv("SEALIFT_CORPUS_SCRIPT")) return env;
    return test::source_dir() / "scripts" / "make-corpus.py";
}

struct Shell {
    test::TempDir dir;
    std::string sealift = test::sealift_binary();

    // Runs `cmd` through /bin/sh in `dir`.
    test::CommandResult sh(const std::string& cmd) const { return test::run("cd " + q(dir.path()) + " && " + cmd); }
    // The same, required to succeed; returns its standard output.
    std::string must(const std::string& cmd) const {
        auto r = sh(cmd);
        INFO(cmd << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return r.out;
    }
};

}  // namespace sealift::e2e
