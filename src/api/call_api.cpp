#include "api/call_api.hpp"

#include "api/handler_support.hpp"
#include "calls/call_service.hpp"

namespace gc::api {
namespace {

calls::CallDone Reply(http::Respond respond) {
    return [respond = std::move(respond)](core::Result<calls::CallResult> r) {
        if (!r) {
            respond(ErrorResponse(r.error()));
            return;
        }
        http::Response answer;
        answer.body = calls::CallResultJsonText(*r);
        respond(std::move(answer));
    };
}

}  // namespace

void RegisterCallRoutes(http::Router& router, Services& services) {
    auto& calls = services.calls;

    router.AddAsync("POST", "/api/custom-integrations/{id}/test",
                    [&calls](http::Request& req, http::Respond respond) {
                        auto body = JsonBody(req);
                        if (!body) {
                            respond(ErrorResponse(body.error()));
                            return;
                        }
                        calls.Test(ScopeOf(req), req.PathParam("id"), *body, Reply(respond));
                    });

    router.AddAsync("POST", "/api/execute", [&calls](http::Request& req, http::Respond respond) {
        auto body = JsonBody(req);
        if (!body) {
            respond(ErrorResponse(body.error()));
            return;
        }
        if (!body->is_object()) {
            respond(
                ErrorResponse(core::Error::Validation({{"", "the body must be a JSON object"}})));
            return;
        }
        auto options = calls::ParseStepOptions(*body);
        if (!options) {
            respond(ErrorResponse(options.error()));
            return;
        }
        const boost::json::value* params = body->get_object().if_contains("params");
        calls.ExecuteStep(ScopeOf(req), StringField(*body, "provider"),
                          StringField(*body, "action"),
                          params ? *params : boost::json::value(nullptr), *options, Reply(respond));
    });
}

}  // namespace gc::api
