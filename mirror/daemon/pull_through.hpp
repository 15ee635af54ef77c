// Pull-through from configured upstreams: the registry routes of the server,
// wrapped. A manifest the store lacks is fetched from the upstream configured
// for its registry host, its digest computed (and compared with the one asked
// for), stored and recorded as cached, then served by the ordinary routes. A
// blob that a cached manifest names is fetched the first time it is asked for.
// Only configured upstreams are ever dialled; one fetch per digest or tag at a
// time. When the upstream is unreachable the client gets the spec's 404.
#pragma once

#include <memory>

#include "mirror/daemon/daemon.hpp"
#include "mirror/daemon/json_log.hpp"
#include "mirror/http/router.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::daemon {

// `corrupt`: as for server::add_registry_routes; a blob flagged corrupt is fetched again.
void add_pull_through_routes(http::Router& router, std::shared_ptr<store::Store> store, const DaemonConfig& config,
                             const JsonLog& log, std::shared_ptr<store::CorruptBlobs> corrupt);

}  // namespace sealift::mirror::daemon
