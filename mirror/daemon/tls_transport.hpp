// TLS for the daemon's listeners through the server's TransportFactory seam
// (OpenSSL, TLS 1.2 and 1.3). File bodies are read in 16 KiB records and
// encrypted: without kTLS the kernel cannot sendfile through TLS.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "mirror/http/transport.hpp"

namespace sealift::mirror::daemon {

// Loads the PEM certificate chain and its key now (Errc::usage naming the file
// and OpenSSL's reason when they cannot be used or do not match). A client
// speaking plain HTTP to the port gets nginx's plain 400 ("The plain HTTP
// request was sent to HTTPS port") instead of a reset, and `on_plain_http` a
// line naming it, at most once per 10 s.
http::TransportFactory make_tls_transport_factory(const std::filesystem::path& cert_chain,
                                                  const std::filesystem::path& key,
                                                  std::function<void(const std::string&)> on_plain_http = {});

}  // namespace sealift::mirror::daemon
