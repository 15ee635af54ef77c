#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <cstring>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "trust/openssl_util.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

struct PrivateKey::Impl {
    PkeyPtr key;
    KeyType type;
};

namespace {

constexpr const char* passphrase_variable = "SEALIFT_KEY_PASSPHRASE";
// PBKDF2-HMAC-SHA256 rounds protecting an encrypted key (OWASP's 2023 advice).
constexpr int pbkdf2_iterations = 600000;

// The passphrase for key files; an empty value counts as unset.
const char* key_passphrase() {
    const char* value = std::getenv(passphrase_variable);
    return value && *value ? value : nullptr;
}

// A string holding key material, wiped when it goes out of scope.
struct SecretText {
    std::string text;
    ~SecretText() { OPENSSL_cleanse(text.data(), text.size()); }
};

struct PassphraseRequest {
    const char* passphrase;
    bool asked = false;
};

// Hands OpenSSL the passphrase; refusing instead of prompting when there is
// none keeps a terminal prompt out of scripted, offline runs.
int provide_passphrase(char* buffer, int size, int, void* user) {
    auto* request = static_cast<PassphraseRequest*>(user);
    request->asked = true;
    if (!request->passphrase) return -1;
    std::size_t length = std::strlen(request->passphrase);
    if (length > static_cast<std::size_t>(size)) return -1;
    std::memcpy(buffer, request->passphrase, length);
    return static_cast<int>(length);
}

std::string private_key_pem(EVP_PKEY* key, const char* passphrase) {
    BioPtr bio = output_bio();
    if (!passphrase) {
        // OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY") for both key types.
        if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
            fail(Errc::internal, "cannot write private key: " + take_openssl_error());
        return bio_contents(bio.get());
    }
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> info(EVP_PKEY2PKCS8(key),
                                                                                   &PKCS8_PRIV_KEY_INFO_free);
    if (!info) fail(Errc::internal, "cannot encode private key: " + take_openssl_error());
    // PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, readable by `openssl pkey`.
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> encrypted(
        PKCS8_encrypt(-1, EVP_aes_256_cbc(), passphrase, static_cast<int>(std::strlen(passphrase)), nullptr, 0,
                      pbkdf2_iterations, info.get()),
        &X509_SIG_free);
    if (!encrypted || PEM_write_bio_PKCS8(bio.get(), encrypted.get()) != 1)
        fail(Errc::internal, "cannot encrypt private key: " + take_openssl_error());
    return bio_contents(bio.get());
}

void refuse_existing(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
        fail(Errc::usage, path.string() + " already exists; refusing to overwrite it");
}

}  // namespace

PrivateKey PrivateKey::load_pem(const std::filesystem::path& path) {
    const std::string what = path.string();
    SecretText pem{read_small_file(path, 64 << 10)};
    PassphraseRequest request{key_passphrase()};
    BioPtr bio = memory_bio(pem.text);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, provide_passphrase, &request));
    if (!key) {
        // OpenSSL's reason ("error:1E08010C:DECODER routines::unsupported") says nothing to the
        // user; what the file holds does.
        ERR_clear_error();
        const bool encrypted = pem.text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos ||
                               pem.text.find("Proc-Type: 4,ENCRYPTED") != std::string::npos;
        if ((request.asked || encrypted) && !request.passphrase)
            fail(Errc::usage, what + ": the private key is encrypted; set " + std::string(passphrase_variable));
        if (request.asked || encrypted)
            fail(Errc::usage,
                 what + ": cannot decrypt the private key (wrong " + std::string(passphrase_variable) + "?)");
        if (pem.text.find("-----BEGIN") == std::string::npos)
            fail(Errc::format, what + ": not a PEM private key (no -----BEGIN line: not PEM text)");
        if (pem.text.find("PRIVATE KEY-----") == std::string::npos)
            fail(Errc::format, what + ": not a PEM private key (it holds another PEM block, e.g. a public key)");
        fail(Errc::format, what + ": not a PEM private key (a PRIVATE KEY block that does not decode)");
    }
    auto impl = std::make_shared<Impl>();
    impl->type = supported_key_type(key.get(), what);
    PublicKey pub = make_public_key(key.get(), what);
    impl->key = std::move(key);
    return PrivateKey(std::move(impl), std::move(pub));
}

Signature PrivateKey::sign(std::string_view message) const {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, signing_digest(impl_->type), nullptr, impl_->key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, data, message.size()) != 1)
        fail(Errc::internal, "cannot start signing: " + take_openssl_error());
    std::string signature(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data, message.size()) != 1)
        fail(Errc::internal, "signing failed: " + take_openssl_error());
    return {public_key_.keyid(), to_hex(reinterpret_cast<const unsigned char*>(signature.data()), size)};
}

PublicKey generate_key(KeyType type, const std::filesystem::path& out_prefix) {
    std::filesystem::path key_path = out_prefix.string() + ".key", pub_path = out_prefix.string() + ".pub";
    refuse_existing(key_path);
    refuse_existing(pub_path);
    PkeyPtr key(type == KeyType::ed25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                         : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        fail(Errc::internal, std::string("cannot generate a ") + key_type_name(type) + " key: " + take_openssl_error());
    PublicKey pub = make_public_key(key.get(), key_path.string());
    SecretText pem{private_key_pem(key.get(), key_passphrase())};
    if (out_prefix.has_parent_path()) std::filesystem::create_directories(out_prefix.parent_path());
    write_file_atomically(key_path, pem.text, 0600);
    write_file_atomically(pub_path, pub.to_pem());
    return pub;
}

}  // namespace sealift::trust
