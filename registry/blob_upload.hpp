// Pushing one blob: one PUT for small blobs, chunked PATCHes that resume from
// the registry's Range for large ones. Private to registry/.
#pragma once

#include <cstdint>
#include <string>

#include "core/digest.hpp"
#include "core/stream.hpp"
#include "registry/registry_session.hpp"

namespace sealift::registry {

// Reads `size` bytes once from `source`, hashing them on the way out unless
// `check` leaves that to the source; refuses (Errc::integrity, upload session
// cancelled, nothing committed) bytes that do not match `digest` and `size`.
void push_blob(RegistrySession& session, const std::string& repo, const Digest& digest, std::uint64_t size,
               ByteSource& source, BlobCheck check);

// The digest a 201 names in Docker-Content-Digest must be the one pushed.
void check_created_digest(const RegistrySession& session, const Call& call, const HttpResponse& response,
                          const Digest& digest);

}  // namespace sealift::registry
