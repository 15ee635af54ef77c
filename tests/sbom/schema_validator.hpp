// Validates an exported SBOM with tests/node/validate-sbom.mjs: ajv against the
// official CycloneDX 1.5 schema (@cyclonedx/cyclonedx-library), and the SPDX 2.3
// schema of the parts Sealift writes. `make deps` installs the node packages.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support/support.hpp"

namespace sealift::test {

// The validator's findings, one per line; empty when the document is valid.
inline std::string schema_problems(const std::string& format, const std::string& document) {
    std::filesystem::path node = source_dir() / "tests" / "node";
    if (!std::filesystem::exists(node / "node_modules" / "ajv" / "package.json") ||
        !std::filesystem::exists(node / "node_modules" / "@cyclonedx" / "cyclonedx-library" / "package.json"))
        FAIL(
            "tests/node/node_modules is missing ajv or @cyclonedx/cyclonedx-library: run `make deps` (npm ci --prefix "
            "tests/node)");
    TempDir dir;
    write_text(dir / "sbom.json", document);
    CommandResult r = run("node '" + (node / "validate-sbom.mjs").string() + "' " + format + " '" +
                          (dir / "sbom.json").string() + "' 2>&1");
    if (r.exit_code == 0) return "";
    return r.out.empty() ? "validator failed with exit status " + std::to_string(r.exit_code) : r.out;
}

}  // namespace sealift::test
