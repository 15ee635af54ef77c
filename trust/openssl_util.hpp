// OpenSSL plumbing shared by the key and signature code: owning pointers, the
// error queue as text, and the key types Sealift accepts.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "trust/trust.hpp"

namespace sealift::trust {

struct OpensslFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslFree>;
using BioPtr = std::unique_ptr<BIO, OpensslFree>;

// The oldest queued OpenSSL error as text (or "unknown OpenSSL error"); empties the queue.
std::string take_openssl_error();

// A read-only memory BIO over `data`.
BioPtr memory_bio(std::string_view data);
// A growable memory BIO, and what was written to it.
BioPtr output_bio();
std::string bio_contents(BIO* bio);

// Ed25519 or ECDSA on P-256; anything else fails with Errc::format naming `what`.
KeyType supported_key_type(EVP_PKEY* key, const std::string& what);

// The digest a key type signs with: none for Ed25519 (it hashes internally), SHA-256 for ECDSA.
const EVP_MD* signing_digest(KeyType type);

// The public half of `key` as a PublicKey (which owns its own copy).
PublicKey make_public_key(const EVP_PKEY* key, const std::string& what);

}  // namespace sealift::trust
