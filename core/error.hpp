// The one error type of Sealift: a code for callers that branch on the kind of
// failure (exit status, HTTP status, verdict), and a message that already names
// the file, entry, digest or peer it is about.
#pragma once

#include <stdexcept>
#include <string>

namespace sealift {

enum class Errc {
    usage,      // bad command line or option value
    io,         // a file or folder could not be opened, read or written
    format,     // input does not parse or breaks the format's rules
    integrity,  // a size or digest does not match what was declared
    signature,  // missing, unknown or bad signature; threshold not met
    policy,     // channel, version, expiry or trust policy refused it
    network,    // transport failure talking to a peer
    registry,   // a registry answered with an error
    internal,   // a bug: an invariant did not hold
};

const char* errc_name(Errc code);

class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
    Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

[[noreturn]] inline void fail(Errc code, const std::string& message) { throw Error(code, message); }

// Prefixes the message of an Error with context ("bundle.tar: ") and rethrows it.
[[noreturn]] void rethrow_with_context(const Error& e, const std::string& context);

}  // namespace sealift
