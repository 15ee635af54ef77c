// The folder a build writes its bundle into. One build of a bundle name at a time
// (a lock file beside it), so what an interrupted build of that name left behind
// can be removed safely; and an existing bundle of that name is replaced only by
// the same bytes, unless the caller forces it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/file.hpp"

namespace sealift::builder {

class OutputFolder {
public:
    // Creates `dir`, takes the lock of `bundle_name` (refusing while another build
    // holds it) and removes `bundle_name`'s temporary files of earlier builds.
    OutputFolder(const std::filesystem::path& dir, const std::string& bundle_name);
    ~OutputFolder();  // removes the lock file: nothing but bundles stays in the folder
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    const std::vector<std::filesystem::path>& removed_stale() const { return removed_; }

    enum class Existing { none, identical, different };
    // Compares what a build wrote (`built`, the whole bundle) with the bundle already
    // there (`existing`: the bundle, or its parts in order; none when empty), streaming both.
    static Existing compare(const File& built, const std::vector<std::filesystem::path>& existing);
    // The files of `bundle` already there: itself, or with `split` its parts .001, .002, ...
    static std::vector<std::filesystem::path> existing_files(const std::filesystem::path& bundle, bool split);

private:
    std::filesystem::path lock_path_;
    File lock_;
    std::vector<std::filesystem::path> removed_;
};

}  // namespace sealift::builder
