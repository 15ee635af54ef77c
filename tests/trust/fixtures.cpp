#include "fixtures.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "trust/hex.hpp"

namespace sealift::test {

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_value_ = old != nullptr;
    if (old) old_value_ = old;
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
    if (had_value_)
        setenv(name_.c_str(), old_value_.c_str(), 1);
    else
        unsetenv(name_.c_str());
}

trust::PrivateKey new_key(const TempDir& dir, const std::string& name, trust::KeyType type) {
    ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    trust::generate_key(type, dir / name);
    return trust::PrivateKey::load_pem(dir / (name + ".key"));
}

TimePoint next_year() { return now_seconds() + std::chrono::days(365); }

std::string root_text(const std::vector<trust::PrivateKey>& root_keys, unsigned root_threshold,
                      const std::vector<trust::PublicKey>& release_keys, unsigned release_threshold, unsigned version) {
    trust::RootSpec spec;
    for (const auto& key : root_keys) spec.root_keys.push_back(key.public_key());
    spec.root_threshold = root_threshold;
    spec.release_keys = release_keys;
    spec.release_threshold = release_threshold;
    spec.version = version;
    spec.expires = next_year();
    return trust::make_root(spec, root_keys);
}

std::string resign(const Json& envelope, const std::vector<trust::PrivateKey>& signers) {
    Json out = envelope;
    std::string bytes = canonical_json(out["signed"]);
    std::vector<trust::Signature> signatures;
    for (const auto& signer : signers) signatures.push_back(signer.sign(bytes));
    out["signatures"] = trust::signatures_to_json(signatures);
    return out.dump(2);
}

Errc error_code(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.code();
    }
    FAIL("no sealift::Error was thrown");
    return Errc::internal;
}

std::string bytes_of_hex(const std::string& hex) { return trust::hex_decode(hex, "test"); }

}  // namespace sealift::test
