// Keys, roots and signed documents made on the fly for the trust tests.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"

#include "support/support.hpp"
#include "trust/trust.hpp"

namespace sealift::test {

// Sets (or, with nullptr, unsets) an environment variable for the life of the object.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    std::string old_value_;
    bool had_value_;
};

// Generates DIR/NAME.key and DIR/NAME.pub (unencrypted) and loads the private key.
trust::PrivateKey new_key(const TempDir& dir, const std::string& name, trust::KeyType type = trust::KeyType::ed25519);

// One year from now.
TimePoint next_year();

// A root with the given keys, signed by every root key.
std::string root_text(const std::vector<trust::PrivateKey>& root_keys, unsigned root_threshold,
                      const std::vector<trust::PublicKey>& release_keys, unsigned release_threshold,
                      unsigned version = 1);

// Re-signs an edited root: replaces its signatures with those of `signers` over canonical_json(signed).
std::string resign(const Json& envelope, const std::vector<trust::PrivateKey>& signers);

// The code of the sealift::Error that `action` throws (a test failure when it throws none).
Errc error_code(const std::function<void()>& action);

// The byte string `hex` spells, for writing signature files.
std::string bytes_of_hex(const std::string& hex);

}  // namespace sealift::test
