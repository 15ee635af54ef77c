// Content digests ("sha256:<64 lowercase hex>") and the streaming hasher that
// produces them. Digests are validated on parse, before they are ever used to
// build a path or a URL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace sealift {

class Digest {
public:
    Digest() = default;
    // Accepts only "sha256:" followed by exactly 64 lowercase hex digits.
    static Digest parse(std::string_view text);
    static bool valid(std::string_view text) noexcept;
    static Digest from_hex(std::string_view hex) { return parse("sha256:" + std::string(hex)); }

    const std::string& str() const { return text_; }
    std::string_view hex() const { return std::string_view(text_).substr(7); }
    bool empty() const { return text_.empty(); }

    auto operator<=>(const Digest&) const = default;

private:
    std::string text_;
};

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(const void* data, std::size_t size);
    void update(std::span<const std::byte> data) { update(data.data(), data.size()); }
    void update(std::string_view data) { update(data.data(), data.size()); }
    Digest finish();  // resets the hasher for reuse

    static Digest of(std::string_view data);

private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string to_hex(const unsigned char* data, std::size_t size);

}  // namespace sealift

template <>
struct std::hash<sealift::Digest> {
    std::size_t operator()(const sealift::Digest& d) const noexcept { return std::hash<std::string>{}(d.str()); }
};
