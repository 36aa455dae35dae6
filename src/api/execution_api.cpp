#include "api/execution_api.hpp"

#include "api/handler_support.hpp"
#include "calllog/execution_log.hpp"

namespace gc::api {

void RegisterExecutionRoutes(http::Router& router, Services& services) {
    auto& log = services.executions;

    router.Add("GET", "/api/executions", [&log](http::Request& req) {
        auto page = log.List(ScopeOf(req), {req.Query("integration_id"), req.Query("status"),
                                            req.Query("cursor"), req.Query("limit")});
        if (!page) {
            return ErrorResponse(page.error());
        }
        boost::json::array items;
        for (const auto& e : page->items) {
            items.push_back(calllog::ExecutionToJson(e));
        }
        boost::json::object out{{"executions", std::move(items)}};
        out["next_cursor"] = page->next_cursor.empty() ? boost::json::value(nullptr)
                                                       : boost::json::value(page->next_cursor);
        return http::Response::Json(200, out);
    });

    router.Add("GET", "/api/executions/{id}", [&log](http::Request& req) {
        auto e = log.Get(ScopeOf(req), req.PathParam("id"));
        if (!e) {
            return ErrorResponse(e.error());
        }
        return http::Response::Json(200, calllog::ExecutionToJson(*e));
    });
}

}  // namespace gc::api
