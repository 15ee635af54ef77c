#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "trust/hex.hpp"
#include "trust/openssl_util.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

struct PublicKey::Impl {
    PkeyPtr key;
    KeyType type;
    std::string public_value;  // TUF keyval.public: raw hex (Ed25519) or SPKI PEM (ECDSA)
    std::string keyid;
    std::string spki_der;
};

const char* key_type_name(KeyType type) { return type == KeyType::ed25519 ? "ed25519" : "ecdsa-p256"; }

KeyType parse_key_type(std::string_view name) {
    if (name == "ed25519") return KeyType::ed25519;
    if (name == "ecdsa-p256") return KeyType::ecdsa_p256;
    fail(Errc::usage, "unknown key type '" + std::string(name) + "' (want ed25519 or ecdsa-p256)");
}

namespace {

std::string spki_der_of(const EVP_PKEY* key) {
    int size = i2d_PUBKEY(key, nullptr);
    if (size <= 0) fail(Errc::internal, "cannot encode public key: " + take_openssl_error());
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_PUBKEY(key, &out) != size) fail(Errc::internal, "cannot encode public key: " + take_openssl_error());
    return der;
}

std::string pem_of(const EVP_PKEY* key) {
    BioPtr bio = output_bio();
    if (PEM_write_bio_PUBKEY(bio.get(), key) != 1)
        fail(Errc::internal, "cannot write public key PEM: " + take_openssl_error());
    return bio_contents(bio.get());
}

std::string raw_ed25519_hex(const EVP_PKEY* key) {
    unsigned char raw[32];
    std::size_t size = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1 || size != sizeof raw)
        fail(Errc::internal, "cannot read raw Ed25519 public key: " + take_openssl_error());
    return to_hex(raw, size);
}

Json tuf_key_json(KeyType type, const std::string& public_value) {
    bool ed = type == KeyType::ed25519;
    return Json{{"keytype", ed ? "ed25519" : "ecdsa"},
                {"scheme", ed ? "ed25519" : "ecdsa-sha2-nistp256"},
                {"keyval", {{"public", public_value}}}};
}

PkeyPtr parse_pem_public_key(std::string_view pem, const std::string& what) {
    BioPtr bio = memory_bio(pem);
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) fail(Errc::format, what + ": not a PEM public key (" + take_openssl_error() + ")");
    return key;
}

}  // namespace

PublicKey make_public_key(const EVP_PKEY* source, const std::string& what) {
    auto impl = std::make_shared<PublicKey::Impl>();
    impl->spki_der = spki_der_of(source);
    // Decoding our own SPKI leaves only the public half, whatever `source` held.
    const auto* der = reinterpret_cast<const unsigned char*>(impl->spki_der.data());
    impl->key.reset(d2i_PUBKEY(nullptr, &der, static_cast<long>(impl->spki_der.size())));
    if (!impl->key) fail(Errc::internal, what + ": cannot decode public key: " + take_openssl_error());
    impl->type = supported_key_type(impl->key.get(), what);
    impl->public_value = impl->type == KeyType::ed25519 ? raw_ed25519_hex(impl->key.get()) : pem_of(impl->key.get());
    impl->keyid = std::string(Sha256::of(canonical_json(tuf_key_json(impl->type, impl->public_value))).hex());
    return PublicKey(std::move(impl));
}

PublicKey PublicKey::load_pem(const std::filesystem::path& path) {
    PkeyPtr key = parse_pem_public_key(read_small_file(path, 64 << 10), path.string());
    return make_public_key(key.get(), path.string());
}

PublicKey PublicKey::from_tuf_json(const Json& json, const std::string& what) {
    std::string keytype = json_string(json, "keytype", what);
    std::string scheme = json_string(json, "scheme", what);
    std::string value = json_string(json_field(json, "keyval", what), "public", what + " keyval");
    PkeyPtr key;
    KeyType expected;
    if (keytype == "ed25519" && scheme == "ed25519") {
        std::string raw = hex_decode(value, what + " keyval.public");
        if (raw.size() != 32)
            fail(Errc::format, what + ": an Ed25519 public key is 32 bytes, not " + std::to_string(raw.size()));
        key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
        if (!key) fail(Errc::format, what + ": invalid Ed25519 public key: " + take_openssl_error());
        expected = KeyType::ed25519;
    } else if (keytype == "ecdsa" && scheme == "ecdsa-sha2-nistp256") {
        key = parse_pem_public_key(value, what + " keyval.public");
        expected = KeyType::ecdsa_p256;
    } else {
        fail(Errc::format, what + ": unsupported keytype '" + keytype + "' with scheme '" + scheme +
                               "' (want ed25519/ed25519 or ecdsa/ecdsa-sha2-nistp256)");
    }
    PublicKey result = make_public_key(key.get(), what);
    if (result.type() != expected)
        fail(Errc::format, what + ": keyval.public holds an " + key_type_name(result.type()) + " key, not " + keytype);
    return result;
}

KeyType PublicKey::type() const { return impl_->type; }
const std::string& PublicKey::keyid() const { return impl_->keyid; }
const std::string& PublicKey::spki_der() const { return impl_->spki_der; }
std::string PublicKey::to_pem() const { return pem_of(impl_->key.get()); }

Json PublicKey::to_tuf_json() const { return tuf_key_json(impl_->type, impl_->public_value); }

bool PublicKey::verify(std::string_view message, std::string_view signature_bytes) const {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, signing_digest(impl_->type), nullptr, impl_->key.get()) != 1)
        fail(Errc::internal, "cannot start signature verification: " + take_openssl_error());
    int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature_bytes.data()),
                              signature_bytes.size(), reinterpret_cast<const unsigned char*>(message.data()),
                              message.size());
    // A bad signature leaves decoding errors queued; they are not ours to report.
    ERR_clear_error();
    return ok == 1;
}

}  // namespace sealift::trust
