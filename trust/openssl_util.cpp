#include "trust/openssl_util.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "core/error.hpp"

namespace sealift::trust {

std::string take_openssl_error() {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

BioPtr memory_bio(std::string_view data) {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) fail(Errc::internal, "OpenSSL could not allocate a memory BIO");
    return bio;
}

BioPtr output_bio() {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) fail(Errc::internal, "OpenSSL could not allocate a memory BIO");
    return bio;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, size > 0 ? static_cast<std::size_t>(size) : 0);
}

KeyType supported_key_type(EVP_PKEY* key, const std::string& what) {
    if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::ed25519;
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) == 1 &&
            std::string_view(group, length) == "prime256v1")
            return KeyType::ecdsa_p256;
        ERR_clear_error();
        fail(Errc::format,
             what + ": unsupported elliptic curve '" + std::string(group, length) + "' (want ed25519 or ecdsa-p256)");
    }
    const char* name = EVP_PKEY_get0_type_name(key);
    fail(Errc::format,
         what + ": unsupported key type '" + std::string(name ? name : "?") + "' (want ed25519 or ecdsa-p256)");
}

const EVP_MD* signing_digest(KeyType type) { return type == KeyType::ecdsa_p256 ? EVP_sha256() : nullptr; }

}  // namespace sealift::trust
