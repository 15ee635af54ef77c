// The case table against the real Helm: every expected output and error message of
// language_cases.hpp is what `helm template` gives for a chart holding the case, so the engine's
// expectations come from Helm itself. Skipped, saying why, where ../shared/tools/helm is absent.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "language_cases.hpp"
#include "support/support.hpp"

using namespace sealift::test;
using namespace sealift::test::render_cases;

namespace {

// ../shared/tools/helm next to the checkout; SEALIFT_HELM names another (a git worktree elsewhere).
std::filesystem::path helm_binary() {
    if (const char* helm = std::getenv("SEALIFT_HELM")) return helm;
    return source_dir() / ".." / "shared" / "tools" / "helm";
}

void write_chart(const TempDir& dir, const std::string& templates_extra_name, const std::string& extra) {
    std::filesystem::create_directories(dir / "chart" / "templates");
    write_text(dir / "chart" / "Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
    write_text(dir / "chart" / "values.yaml", values_json);
    write_text(dir / "chart" / "templates" / "_helpers.tpl", helpers);
    write_text(dir / "chart" / "templates" / templates_extra_name, extra);
}

CommandResult helm_template(const TempDir& dir) {
    std::string home = (dir / "helm-home").string();
    return run("HELM_CACHE_HOME=" + home + "/cache HELM_CONFIG_HOME=" + home + "/config HELM_DATA_HOME=" + home +
               "/data KUBECONFIG=/dev/null " + helm_binary().string() + " template rel " + (dir / "chart").string());
}

}  // namespace

TEST_CASE("the case table's outputs are Helm's", "[render][helm]") {
    if (!std::filesystem::exists(helm_binary())) {
        WARN("skipped: no Helm at " << helm_binary().string() << " to check the case table against");
        return;
    }
    TempDir dir;
    std::string defines, uses;
    const auto& all = cases();
    for (size_t i = 0; i < all.size(); ++i) {
        defines += "{{ define \"case." + std::to_string(i) + "\" }}" + all[i].text + "{{ end }}\n";
        uses += "case" + std::to_string(i) + ": {{ include \"case." + std::to_string(i) + "\" . | toJson }}\n";
    }
    write_chart(dir, "_cases.tpl", defines);
    write_text(dir / "chart" / "templates" / "cases.yaml", uses);
    CommandResult r = helm_template(dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<size_t, std::string> outputs;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("case")) continue;
        size_t colon = line.find(": ");
        outputs[std::stoul(line.substr(4, colon - 4))] =
            nlohmann::json::parse(line.substr(colon + 2)).get<std::string>();
    }
    for (size_t i = 0; i < all.size(); ++i) {
        INFO("case: " << all[i].name << "\ntemplate: " << all[i].text);
        CHECK(outputs[i] == all[i].expected);
    }
}

TEST_CASE("the case table's error messages are Helm's", "[render][helm]") {
    if (!std::filesystem::exists(helm_binary())) {
        WARN("skipped: no Helm at " << helm_binary().string() << " to check the error messages against");
        return;
    }
    for (const auto& c : error_cases()) {
        TempDir dir;
        write_chart(dir, "err.yaml", c.text);
        CommandResult r = helm_template(dir);
        std::string message = r.err.substr(0, r.err.find('\n'));
        if (message.starts_with("Error: ")) message = message.substr(7);
        INFO("case: " << c.name << "\ntemplate: " << c.text);
        CHECK(r.exit_code != 0);
        CHECK(message == c.expected);
    }
}
