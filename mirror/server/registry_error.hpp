// A distribution-spec error answer: HTTP status, code, message, detail. Thrown
// by the registry handlers and turned into the spec's JSON body in one place.
#pragma once

#include <string>

#include "core/json.hpp"
#include "mirror/http/http_message.hpp"

namespace sealift::mirror::server {

struct RegistryError {
    int status;
    std::string code;     // "NAME_UNKNOWN", "MANIFEST_UNKNOWN", ...
    std::string message;  // names the repository, tag or digest and the reason
    Json detail = Json::object();
};

// {"errors":[{"code":...,"message":...,"detail":...}]}
void write_registry_error(http::Response& response, const RegistryError& error);

}  // namespace sealift::mirror::server
