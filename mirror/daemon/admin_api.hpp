// The admin HTTP API, on its own listener only: every request needs
// `Authorization: Bearer <token>` (compared in constant time). JSON in and out.
//   POST /admin/import    {"path": NAME-OR-PATH}  -> 202 {"id", "path", "state": "queued"}
//   GET  /admin/status                             -> store, drop folder, imports (queued, running, recent)
//   GET  /admin/releases                           -> {"releases": [...]} per name and channel
//   POST /admin/rollback  {"name", "channel", "version"} -> 200 {"rolled_back": {...}}
// Errors: {"error": {"code", "message"}} with 400, 401 (no token), 403 (wrong token), 404, 409.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "mirror/daemon/import_service.hpp"
#include "mirror/http/router.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::daemon {

struct AdminContext {
    std::string token;                    // the bearer token, from the token file
    std::shared_ptr<store::Store> store;  // read with refresh(): an admin sees its own rollback at once
    ImportService* imports = nullptr;
    std::function<Json()> status_extra;  // listener addresses, upstreams
};

// The token file's first line; Errc::usage naming the file when it is shorter than 16 characters.
std::string read_admin_token(const std::filesystem::path& file);

std::shared_ptr<http::Router> make_admin_router(AdminContext context);

}  // namespace sealift::mirror::daemon
