// Keys, signatures and the trust root, in TUF's formats so that stock TUF
// clients (python-tuf, go-tuf, @tufjs/models) read what Sealift writes.
//
// The trust root is TUF root metadata: a versioned, expiring envelope
// {"signed":{...},"signatures":[...]} whose roles name the keys allowed to sign.
// Sealift's "release" role is TUF's "targets" role (snapshot and timestamp get
// the same keys and threshold, since the bundle manifest plays targets and
// snapshot at once). Thresholds count distinct public keys, never key ids or
// signature entries. All cryptography goes through OpenSSL 3.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"

namespace sealift::trust {

enum class KeyType { ed25519, ecdsa_p256 };

// "ed25519" or "ecdsa-p256", as the CLI spells them.
const char* key_type_name(KeyType type);
KeyType parse_key_type(std::string_view name);

struct Signature {
    std::string keyid;
    std::string sig_hex;
};

// A TUF public key:
//   ed25519 {"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"<64 hex raw key>"}}
//   ecdsa   {"keytype":"ecdsa","scheme":"ecdsa-sha2-nistp256","keyval":{"public":"<SPKI PEM>"}}
class PublicKey {
public:
    static PublicKey load_pem(const std::filesystem::path& path);  // NAME.pub (SPKI PEM)
    static PublicKey from_tuf_json(const Json& key, const std::string& what);

    KeyType type() const;
    Json to_tuf_json() const;
    // Hex SHA-256 of the canonical JSON of to_tuf_json(): the TUF key id.
    const std::string& keyid() const;
    // DER SubjectPublicKeyInfo: the identity used to count distinct keys.
    const std::string& spki_der() const;
    std::string to_pem() const;
    // Ed25519 over the message; ECDSA P-256 (DER signature) over its SHA-256.
    bool verify(std::string_view message, std::string_view signature_bytes) const;

    struct Impl;  // OpenSSL state, private to the trust library
    explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

private:
    std::shared_ptr<const Impl> impl_;
};

class PrivateKey {
public:
    // PEM PKCS#8, encrypted or not. The passphrase comes from SEALIFT_KEY_PASSPHRASE;
    // an encrypted key without it, or with a wrong one, fails naming the file.
    static PrivateKey load_pem(const std::filesystem::path& path);

    const PublicKey& public_key() const { return public_key_; }
    // Ed25519: the raw 64-byte signature; ECDSA: DER over SHA-256. Hex-encoded.
    Signature sign(std::string_view message) const;

    struct Impl;  // OpenSSL state, private to the trust library
    PrivateKey(std::shared_ptr<const Impl> impl, PublicKey pub) : impl_(std::move(impl)), public_key_(std::move(pub)) {}

private:
    std::shared_ptr<const Impl> impl_;
    PublicKey public_key_;
};

// Writes out_prefix.key (mode 0600, PEM PKCS#8, AES-256 encrypted when
// SEALIFT_KEY_PASSPHRASE is set) and out_prefix.pub; refuses to overwrite either.
// Returns the public key.
PublicKey generate_key(KeyType type, const std::filesystem::path& out_prefix);

// [{"keyid":"...","sig":"..."}]
Json signatures_to_json(const std::vector<Signature>& signatures);
std::vector<Signature> signatures_from_json(const Json& signatures, const std::string& what);
// True when one of `signatures` carries `key`'s key id and verifies over `signed_bytes`
// (a document signed by one known key, such as a site inventory).
bool signed_by(const PublicKey& key, std::string_view signed_bytes, const std::vector<Signature>& signatures);

// A signed document as TUF writes it: {"signatures":[{"keyid","sig"}...],"signed":{...}}, the
// signatures made over canonical_json(signed). Trust roots, bundle metadata envelopes, import
// receipts and site inventories all travel in one.
struct Envelope {
    Json signed_part = Json::object();
    std::vector<Signature> signatures;

    // Errc::format naming `what` unless `document` is an object with exactly "signed" (an
    // object) and "signatures" (TUF signature objects).
    static Envelope from_json(Json document, const std::string& what);
    static Envelope parse(std::string_view text, const std::string& what);
    // `signed_part` signed by `key`.
    static Envelope sign(Json signed_part, const PrivateKey& key);

    // canonical_json(signed_part): the bytes the signatures cover.
    std::string signed_bytes() const;
    Json to_json() const;
};

// A document signed by one known key, that names its signer in signed.<holder>.keyid (a site's
// receipts and inventories: holder "site"): its signed part, once that key id is `key`'s and a
// signature by `key` verifies. Errc::format for a malformed document, Errc::signature for another
// key or a bad signature; messages name `what`.
Json open_signed_by(std::string_view text, const PublicKey& key, const std::string& holder, const std::string& what);

struct RoleKeys {
    std::vector<std::string> keyids;
    unsigned threshold = 1;
};

// TUF root metadata, parsed and checked for structure; signatures are checked
// only by verify_self, verify_successor and verify_role.
class TrustRoot {
public:
    static TrustRoot parse(std::string_view text, const std::string& what);
    static TrustRoot load(const std::filesystem::path& path);

    unsigned version() const { return version_; }
    TimePoint expires() const { return expires_; }
    // "root", "targets" (= Sealift's release role), "snapshot" or "timestamp".
    const RoleKeys& role(std::string_view name) const;
    // The key listed under `keyid` in this root.
    const PublicKey& key(const std::string& keyid) const;
    const std::map<std::string, PublicKey>& keys() const { return keys_; }

    // Checks `signatures` over `signed_bytes` against `role`. Returns the key ids
    // (one per distinct public key) whose signature verified, or throws
    // Errc::signature "<what>: N of M required signatures ..." below threshold.
    // Signatures by keys outside the role do not count; duplicated signatures,
    // and one key listed under several key ids, count once.
    std::vector<std::string> verify_role(std::string_view role, std::string_view signed_bytes,
                                         const std::vector<Signature>& signatures, const std::string& what) const;
    // The root is signed by a threshold of its own root role.
    void verify_self() const;
    // TUF 5.3.4: the next root is version()+1 and signed by a threshold of this
    // root's root keys and of its own. Expiry is the caller's check.
    TrustRoot verify_successor(std::string_view next_text, const std::string& what) const;
    // Errc::policy when `now` is at or past the expiry.
    void check_not_expired(TimePoint now, const std::string& what) const;

    // The envelope exactly as parsed.
    const std::string& text() const { return text_; }
    // canonical_json of "signed": the bytes the signatures cover.
    const std::string& signed_bytes() const { return signed_bytes_; }
    const std::vector<Signature>& signatures() const { return signatures_; }

private:
    std::string text_, what_, signed_bytes_;
    unsigned version_ = 0;
    TimePoint expires_{};
    std::map<std::string, PublicKey> keys_;
    std::map<std::string, RoleKeys, std::less<>> roles_;
    std::vector<Signature> signatures_;
};

struct RootSpec {
    std::vector<PublicKey> root_keys;
    unsigned root_threshold = 1;
    std::vector<PublicKey> release_keys;
    unsigned release_threshold = 1;
    unsigned version = 1;
    TimePoint expires{};
};

// Builds root metadata and signs canonical_json(signed) with every signer.
// The result must verify against its own root role (so `signers` holds a
// threshold of spec.root_keys); a rotation adds the previous root's keys, and
// the caller checks it with TrustRoot::verify_successor. Returns the envelope
// as indented JSON text.
std::string make_root(const RootSpec& spec, const std::vector<PrivateKey>& signers);

}  // namespace sealift::trust
