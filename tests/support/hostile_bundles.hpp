// Bundles that once crashed, hung or escaped as "internal error": each is a
// good bundle with one hostile part, re-signed where the part is signed for, so
// the verifier and the store import must refuse exactly that part, naming it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sealift::test {

struct HostileBundle {
    std::string what;   // for INFO()
    std::string names;  // what the refusal must contain: the entry and the reason
    std::filesystem::path bundle;
};

// A packaged chart cut short inside its gzip stream (libarchive then sets no error text).
std::string truncated_chart();

// From a good bundle signed with `key`, in `dir`: a truncated-gzip chart; a number beyond a
// double (1e999) in the manifest, signatures.json, an OCI manifest, an SBOM and a carried trust
// root; an entry name that is not UTF-8; a folder entry with an empty name.
std::vector<HostileBundle> hostile_bundles(const std::filesystem::path& good, const std::filesystem::path& key,
                                           const std::filesystem::path& dir);

}  // namespace sealift::test
