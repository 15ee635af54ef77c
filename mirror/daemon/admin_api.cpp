#include "mirror/daemon/admin_api.hpp"

#include <openssl/crypto.h>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::daemon {
namespace {

using http::Request;
using http::Response;

void json_reply(Response& response, int status, const Json& body) {
    response.status = status;
    response.set_body(dump_json_safe(body) + "\n", "application/json");
}

void error_reply(Response& response, int status, const std::string& code, const std::string& message) {
    json_reply(response, status, Json{{"error", {{"code", code}, {"message", message}}}});
}

int status_of(const Error& e) {
    switch (e.code()) {
    case Errc::usage:
    case Errc::format: return 400;
    case Errc::io: return 404;
    case Errc::policy: return 409;
    default: return 422;
    }
}

// Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent.
bool token_matches(std::string_view presented, const std::string& expected) {
    auto a = Sha256::of(presented), b = Sha256::of(expected);
    return CRYPTO_memcmp(a.hex().data(), b.hex().data(), a.hex().size()) == 0;
}

// True when the request may go on; else the response is already filled.
bool authorized(const Request& request, Response& response, const std::string& token) {
    auto header = request.header("authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (!header || header->size() <= scheme.size() || !http::iequals(header->substr(0, scheme.size()), scheme)) {
        response.set_header("WWW-Authenticate", "Bearer realm=\"sealift-admin\"");
        error_reply(response, 401, "UNAUTHORIZED", "the admin API needs 'Authorization: Bearer <token>'");
        return false;
    }
    if (!token_matches(header->substr(scheme.size()), token)) {
        error_reply(response, 403, "DENIED", "wrong admin token");
        return false;
    }
    return true;
}

Json body_of(const Request& request) {
    if (request.body.empty()) fail(Errc::usage, "request body: a JSON object is needed");
    Json body = parse_json_strict(request.body, "request body");
    if (!body.is_object()) fail(Errc::usage, "request body: must be a JSON object");
    return body;
}

Json release_json(const store::ReleaseRecord& r) {
    return {{"name", r.name},
            {"version", r.version},
            {"channel", r.channel},
            {"manifest_digest", r.manifest_digest.str()},
            {"imported_at", r.imported_at},
            {"signer_keyids", r.signer_keyids},
            {"current", r.current}};
}

class AdminApi {
public:
    explicit AdminApi(AdminContext context) : c_(std::move(context)) {}

    void import(const Request& request, Response& response) const {
        Json body = body_of(request);
        std::string path = json_string(body, "path", "request body");
        auto id = c_.imports->submit(path);
        json_reply(response, 202, {{"id", id}, {"path", path}, {"state", "queued"}});
    }

    void status(const Request&, Response& response) const {
        Json out = {{"store", c_.store->root().string()}, {"imports", c_.imports->jobs()}};
        if (auto snapshot = c_.store->refresh()) {
            out["generation"] = snapshot->generation();
            out["repositories"] = snapshot->repositories().size();
            out["releases"] = snapshot->releases().size();
        }
        if (c_.status_extra) out.update(c_.status_extra());
        json_reply(response, 200, out);
    }

    void releases(const Request&, Response& response) const {
        Json list = Json::array();
        if (auto snapshot = c_.store->refresh())
            for (const auto& r : snapshot->releases()) list.push_back(release_json(r));
        json_reply(response, 200, {{"releases", list}});
    }

    void rollback(const Request& request, Response& response) const {
        Json body = body_of(request);
        std::string name = json_string(body, "name", "request body");
        std::string channel = json_string(body, "channel", "request body");
        std::string version = json_string(body, "version", "request body");
        store::rollback(c_.store->root(), name, channel, version);
        json_reply(response, 200, {{"rolled_back", {{"name", name}, {"channel", channel}, {"version", version}}}});
    }

    const std::string& token() const { return c_.token; }

private:
    AdminContext c_;
};

}  // namespace

std::string read_admin_token(const std::filesystem::path& file) {
    std::string text = read_small_file(file, 4096);
    std::string token = text.substr(0, text.find('\n'));
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
    if (token.size() < 16)
        fail(Errc::usage,
             "admin token file " + file.string() + ": the token (first line) must have at least 16 characters");
    return token;
}

std::shared_ptr<http::Router> make_admin_router(AdminContext context) {
    auto api = std::make_shared<const AdminApi>(std::move(context));
    auto guarded = [api](void (AdminApi::*method)(const Request&, Response&) const) {
        return [api, method](const Request& request, Response& response) {
            if (!authorized(request, response, api->token())) return;
            try {
                ((*api).*method)(request, response);
            } catch (const Error& e) {
                error_reply(response, status_of(e), errc_name(e.code()), e.what());
            }
        };
    };
    auto router = std::make_shared<http::Router>();
    router->add("POST", "/admin/import", "admin_import", guarded(&AdminApi::import));
    router->add("GET", "/admin/status", "admin_status", guarded(&AdminApi::status));
    router->add("GET", "/admin/releases", "admin_releases", guarded(&AdminApi::releases));
    router->add("POST", "/admin/rollback", "admin_rollback", guarded(&AdminApi::rollback));
    router->set_not_found([api](const Request& request, Response& response) {
        if (!authorized(request, response, api->token())) return;
        error_reply(response, 404, "NOT_FOUND", "no admin endpoint at " + request.path);
    });
    return router;
}

}  // namespace sealift::mirror::daemon
