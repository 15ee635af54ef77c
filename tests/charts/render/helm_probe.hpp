// Real Helm as the oracle for values and function tests: evaluates template expressions in a
// throwaway chart with `helm template` (offline: its homes in a temp folder, KUBECONFIG=/dev/null)
// and gives what each printed. Tests skip, saying why, when ../shared/tools/helm is absent.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sealift::test {

// The path of the helm binary, or nullopt when it is not there.
std::optional<std::string> helm_binary();

struct HelmResult {
    bool ok = false;
    std::vector<std::string> printed;  // what `{{ print (EXPR) }}` gave, per expression
    std::string error;                 // helm's stderr when it failed
};

// Evaluates each expression (template text inside {{ }}) in a chart whose values.yaml is
// `values_yaml`, with more chart files in `files` (path inside the chart -> text) and `args` after
// `helm template x CHART`.
HelmResult helm_eval(const std::string& values_yaml, const std::vector<std::string>& expressions,
                     const std::vector<std::string>& args = {}, const std::map<std::string, std::string>& files = {});

}  // namespace sealift::test
