// Sprig's certificate functions (crypto.go): genPrivateKey, genCA, genCAWithKey,
// genSelfSignedCert, genSignedCert. Their output is random in Helm too; these make keys and
// certificates of the same kinds with OpenSSL: RSA 2048 keys for certificates ("RSA PRIVATE KEY"
// PEM), RSA 4096 / ECDSA P-256 / Ed25519 for genPrivateKey, SHA-256 signatures, the CA flag and
// key usages Sprig sets, IP and DNS subject alternative names.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <memory>

#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
    void operator()(X509* c) const { X509_free(c); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;

[[noreturn]] void crypto_fail(const std::string& what) { throw FunctionError("error " + what); }

std::string bio_text(const std::function<int(BIO*)>& write) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio || write(bio) != 1) {
        BIO_free(bio);
        crypto_fail("encoding PEM");
    }
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, size_t(n));
    BIO_free(bio);
    return out;
}

std::string key_pem(EVP_PKEY* key) {
    // Go's x509.MarshalPKCS1PrivateKey / MarshalECPrivateKey: the traditional PEM forms.
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519)
        return bio_text(
            [&](BIO* b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
    return bio_text(
        [&](BIO* b) { return PEM_write_bio_PrivateKey_traditional(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

KeyPtr generate(const std::string& type) {
    EVP_PKEY* key = nullptr;
    if (type == "rsa") key = EVP_RSA_gen(4096);
    if (type == "rsa2048") key = EVP_RSA_gen(2048);
    if (type == "ecdsa") key = EVP_EC_gen("P-256");
    if (type == "ed25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key) crypto_fail("generating " + type + " key");
    return KeyPtr(key);
}

class Certificate : public Object {
public:
    Certificate(std::string cert, std::string key) : cert_(std::move(cert)), key_(std::move(key)) {}
    std::string type_name() const override { return "sprig.certificate"; }
    std::string kind_name() const override { return "struct"; }
    std::optional<Value> field(std::string_view name) const override {
        if (name == "Cert") return Value(cert_);
        if (name == "Key") return Value(key_);
        return std::nullopt;
    }
    std::string format() const override { return "{" + cert_ + " " + key_ + "}"; }
    nlohmann::json to_json() const override { return {{"Cert", cert_}, {"Key", key_}}; }

private:
    std::string cert_, key_;
};

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) crypto_fail("adding certificate extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

struct Issuer {
    X509* cert = nullptr;  // nullptr: self-signed
    EVP_PKEY* key = nullptr;
};

Value make_certificate(const std::string& cn, Args ips, Args dns, std::int64_t days, bool is_ca, EVP_PKEY* key,
                       Issuer issuer) {
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), issuer.cert ? X509_get_subject_name(issuer.cert) : name);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(days) * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509* signer_cert = issuer.cert ? issuer.cert : cert.get();
    if (is_ca) {
        add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
    } else {
        add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    }
    add_extension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
    std::string san;
    for (const Value& ip : ips) san += (san.empty() ? "" : ",") + std::string("IP:") + strval(ip);
    for (const Value& d : dns) san += (san.empty() ? "" : ",") + std::string("DNS:") + strval(d);
    if (!san.empty()) add_extension(cert.get(), signer_cert, NID_subject_alt_name, san);
    if (!X509_sign(cert.get(), issuer.key ? issuer.key : key, EVP_sha256())) crypto_fail("signing certificate");
    std::string cert_pem = bio_text([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
    return Value(std::make_shared<Certificate>(cert_pem, key_pem(key)));
}

Args list_args(const Value& v) {
    const auto* items = list_items(v);
    if (!items) return {};
    return Args(items->data(), items->size());
}

KeyPtr read_key(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key) throw FunctionError("error decoding key: no PEM data found");
    return KeyPtr(key);
}

std::string field_text(const Value& v, const char* name) {
    if (v.is_object())
        if (auto f = v.as_object()->field(name)) return strval(*f);
    if (v.is_map())
        if (const Value* f = v.find(name)) return strval(*f);
    throw FunctionError(std::string("wrong type for value; expected sprig.certificate; got ") + type_name(v));
}

}  // namespace

void add_certificate_functions(FunctionTable& t) {
    add_function(t, "genPrivateKey", {P::string}, [](Args a) {
        const std::string& type = a[0].as_string();
        if (type != "rsa" && type != "ecdsa" && type != "ed25519") return Value("Unknown type " + type);
        return Value(key_pem(generate(type).get()));
    });
    add_function(t, "genCA", {P::string, P::integer}, [](Args a) {
        KeyPtr key = generate("rsa2048");
        return make_certificate(a[0].as_string(), {}, {}, a[1].as_int(), true, key.get(), {});
    });
    add_function(t, "genCAWithKey", {P::string, P::integer, P::string}, [](Args a) {
        KeyPtr key = read_key(a[2].as_string());
        return make_certificate(a[0].as_string(), {}, {}, a[1].as_int(), true, key.get(), {});
    });
    add_function(t, "genSelfSignedCert", {P::string, P::list, P::list, P::integer}, [](Args a) {
        KeyPtr key = generate("rsa2048");
        return make_certificate(a[0].as_string(), list_args(a[1]), list_args(a[2]), a[3].as_int(), false, key.get(),
                                {});
    });
    add_function(t, "genSignedCert", {P::string, P::list, P::list, P::integer, P::any}, [](Args a) {
        std::string ca_cert = field_text(a[4], "Cert");
        KeyPtr ca_key = read_key(field_text(a[4], "Key"));
        BIO* bio = BIO_new_mem_buf(ca_cert.data(), int(ca_cert.size()));
        CertPtr ca(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
        BIO_free(bio);
        if (!ca) throw FunctionError("error parsing CA certificate");
        KeyPtr key = generate("rsa2048");
        return make_certificate(a[0].as_string(), list_args(a[1]), list_args(a[2]), a[3].as_int(), false, key.get(),
                                Issuer{ca.get(), ca_key.get()});
    });
}

}  // namespace sealift::render
