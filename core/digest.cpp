#include "core/digest.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace sealift {

bool Digest::valid(std::string_view text) noexcept {
    if (text.size() != 71 || text.substr(0, 7) != "sha256:") return false;
    for (char c : text.substr(7))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

Digest Digest::parse(std::string_view text) {
    if (!valid(text)) {
        std::string shown(text.substr(0, 80));
        fail(Errc::format, "invalid digest '" + shown + "' (want sha256:<64 lowercase hex>)");
    }
    Digest d;
    d.text_ = std::string(text);
    return d;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    return out;
}

struct Sha256::State {
    EVP_MD_CTX* ctx = nullptr;
    ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
    state_->ctx = EVP_MD_CTX_new();
    if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
        fail(Errc::internal, "OpenSSL could not initialise SHA-256");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    if (size && EVP_DigestUpdate(state_->ctx, data, size) != 1) fail(Errc::internal, "SHA-256 update failed");
}

Digest Sha256::finish() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(state_->ctx, md, &len) != 1 || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
        fail(Errc::internal, "SHA-256 finish failed");
    return Digest::from_hex(to_hex(md, len));
}

Digest Sha256::of(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.finish();
}

}  // namespace sealift
