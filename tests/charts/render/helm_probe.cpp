#include "helm_probe.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/text.hpp"
#include "support/support.hpp"

namespace sealift::test {

std::optional<std::string> helm_binary() {
    // ../shared next to the project; SEALIFT_SHARED_DIR names it instead (a worktree has none).
    const char* shared = std::getenv("SEALIFT_SHARED_DIR");
    std::filesystem::path helm = shared && *shared
                                     ? std::filesystem::path(shared) / "tools" / "helm"
                                     : std::filesystem::path(SEALIFT_SOURCE_DIR) / ".." / "shared" / "tools" / "helm";
    if (!std::filesystem::exists(helm)) return std::nullopt;
    return helm.string();
}

namespace {
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}
}  // namespace

HelmResult helm_eval(const std::string& values_yaml, const std::vector<std::string>& expressions,
                     const std::vector<std::string>& args, const std::map<std::string, std::string>& files) {
    TempDir dir;
    std::filesystem::path root = dir / "probe";
    std::filesystem::create_directories(root / "templates");
    write_text(root / "Chart.yaml", "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
    write_text(root / "values.yaml", values_yaml);
    // Each result base64-encoded on its own line, so any text (even text that is not YAML)
    // passes Helm's check of the rendered output.
    std::string text;
    for (size_t i = 0; i < expressions.size(); ++i)
        text += "r" + std::to_string(i) + ": {{ print (" + expressions[i] + ") | b64enc | quote }}\n";
    write_text(root / "templates" / "out.yaml", text);
    for (const auto& [path, content] : files) {
        std::filesystem::create_directories((root / path).parent_path());
        write_text(root / path, content);
    }
    std::string home = (dir / "home").string();
    std::string command = "HELM_CACHE_HOME=" + home + " HELM_CONFIG_HOME=" + home + " HELM_DATA_HOME=" + home +
                          " KUBECONFIG=/dev/null " + shell_quote(*helm_binary()) + " template x " +
                          shell_quote(root.string());
    for (const auto& a : args) command += " " + shell_quote(a);
    CommandResult r = run(command);
    HelmResult result;
    if (r.exit_code != 0) {
        result.error = r.err;
        return result;
    }
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() < 2 || line[0] != 'r') continue;
        size_t colon = line.find(": \"");
        if (colon == std::string::npos) continue;
        std::string encoded = line.substr(colon + 3, line.size() - colon - 4);
        result.printed.push_back(base64_decode(encoded, "helm output"));
    }
    result.ok = result.printed.size() == expressions.size();
    if (!result.ok) result.error = "unexpected helm output: " + r.out;
    return result;
}

}  // namespace sealift::test
