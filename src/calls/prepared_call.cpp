#include "calls/prepared_call.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/base64.hpp"
#include "core/percent_encoding.hpp"
#include "integrations/integration_input.hpp"

namespace gc::calls {
namespace {

namespace json = boost::json;
using core::FieldProblem;

constexpr const char* kRedacted = "%5Bredacted%5D";

struct ParamDef {
    std::string name;
    std::string in;
    std::string type;
    bool required = false;
    const json::value* default_value = nullptr;
};

bool TypeMatches(const std::string& type, const json::value& v) {
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_int64() || v.is_uint64();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_bool();
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    return true;
}

// The text form of a scalar for a path, query or header.
std::string ScalarText(const json::value& v) {
    if (v.is_string()) {
        return std::string(v.get_string());
    }
    if (v.is_bool()) {
        return v.get_bool() ? "true" : "false";
    }
    return json::serialize(v);
}

bool HasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

std::string Lower(std::string s) {
    for (auto& c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

json::value ParseOr(const std::string& text, const json::value& fallback) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? fallback : v;
}

// Adds the integration's default headers and its auth; records which query parameter carries
// a key so the stored URL can leave it out.
core::Result<void> ApplyAuth(const store::IntegrationRecord& integration, const AuthMaterial& auth,
                             PreparedCall& call,
                             std::vector<std::pair<std::string, std::string>>& query,
                             std::string& secret_query_name) {
    const json::value headers = ParseOr(integration.headers_json, json::object());
    if (headers.is_object()) {
        for (const auto& [k, v] : headers.get_object()) {
            if (v.is_string()) {
                call.headers.emplace_back(std::string(k), std::string(v.get_string()));
            }
        }
    }
    const std::string& type = integration.auth_type;
    if (type == "none") {
        return {};
    }
    if (auth.type.empty()) {
        return core::Error::Make(core::ErrorCode::kCredentialMissing,
                                 "this integration needs a credential; store one first");
    }
    if (type == "api_key") {
        const json::value cfg = ParseOr(integration.auth_config_json, json::object());
        std::string location = "header";
        std::string name = "X-API-Key";
        if (cfg.is_object()) {
            if (const auto* l = cfg.get_object().if_contains("api_key_location");
                l && l->is_string()) {
                location = std::string(l->get_string());
            }
            if (const auto* n = cfg.get_object().if_contains("api_key_name"); n && n->is_string()) {
                name = std::string(n->get_string());
            }
        }
        if (location == "query") {
            query.emplace_back(name, auth.value.Reveal());
            secret_query_name = name;
        } else {
            call.headers.emplace_back(name, auth.value.Reveal());
            call.credential_headers.push_back(name);
        }
    } else if (type == "bearer" || type == "oauth2") {
        call.headers.emplace_back("Authorization", "Bearer " + auth.value.Reveal());
        call.credential_headers.emplace_back("Authorization");
    } else if (type == "basic") {
        call.headers.emplace_back(
            "Authorization",
            "Basic " + core::Base64Encode(auth.username.Reveal() + ":" + auth.password.Reveal()));
        call.credential_headers.emplace_back("Authorization");
    }
    return {};
}

void BuildUrl(const std::string& base, const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& query,
              const std::string& secret_query_name, PreparedCall& call) {
    call.url = base + path;
    call.redacted_url = call.url;
    char sep = path.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [k, v] : query) {
        const std::string key = core::PercentEncode(k);
        call.url += sep + key + "=" + core::PercentEncode(v);
        call.redacted_url +=
            sep + key + "=" + (k == secret_query_name ? std::string(kRedacted) : core::PercentEncode(v));
        sep = '&';
    }
}

}  // namespace

core::Result<CallDraft> DraftActionCall(const store::IntegrationRecord& integration,
                                        const std::string& action_id,
                                        const json::value& params_value) {
    const store::ActionRecord* action = nullptr;
    for (const auto& a : integration.actions) {
        if (a.action_id == action_id) {
            action = &a;
        }
    }
    if (!action) {
        return core::Error::NotFound("action '" + action_id + "'");
    }
    if (!params_value.is_null() && !params_value.is_object()) {
        return core::Error::Validation({{"params", "must be an object"}});
    }
    static const json::object kEmpty;
    const json::object& params = params_value.is_object() ? params_value.get_object() : kEmpty;

    // The declared parameters, plus undeclared {placeholders} as required string path parameters.
    const json::value defs_json = ParseOr(action->parameters_json, json::array());
    std::vector<ParamDef> defs;
    if (defs_json.is_array()) {
        for (const auto& d : defs_json.get_array()) {
            if (!d.is_object()) {
                continue;
            }
            const auto& o = d.get_object();
            ParamDef def;
            def.name = o.contains("name") && o.at("name").is_string()
                           ? std::string(o.at("name").get_string())
                           : "";
            def.in = o.contains("in") && o.at("in").is_string()
                         ? std::string(o.at("in").get_string())
                         : "query";
            def.type = o.contains("type") && o.at("type").is_string()
                           ? std::string(o.at("type").get_string())
                           : "string";
            def.required =
                o.contains("required") && o.at("required").is_bool() && o.at("required").get_bool();
            def.default_value = o.if_contains("default");
            defs.push_back(std::move(def));
        }
    }
    for (const auto& placeholder : integrations::EndpointPlaceholders(action->endpoint)) {
        bool declared = false;
        for (const auto& d : defs) {
            declared = declared || (d.in == "path" && d.name == placeholder);
        }
        if (!declared) {
            defs.push_back(ParamDef{placeholder, "path", "string", true, nullptr});
        }
    }

    std::vector<FieldProblem> problems;
    std::set<std::string> known;
    for (const auto& d : defs) {
        known.insert(d.name);
    }
    for (const auto& [k, v] : params) {
        if (!known.contains(std::string(k))) {
            problems.push_back({"params." + std::string(k), "is not a parameter of this action"});
        }
    }

    CallDraft call;
    call.method = action->http_method;
    std::string& path = call.path;
    path = action->endpoint;
    std::vector<std::pair<std::string, std::string>>& query = call.query;
    json::object body;
    bool has_body = false;
    for (const auto& d : defs) {
        const std::string field = "params." + d.name;
        const json::value* v = params.if_contains(d.name);
        if (!v || v->is_null()) {
            v = d.default_value;
        }
        if (!v || v->is_null()) {
            if (d.required) {
                problems.push_back({field, "is required"});
            }
            continue;
        }
        if (!TypeMatches(d.type, *v)) {
            problems.push_back({field, "must be of type " + d.type});
            continue;
        }
        if (d.in == "path") {
            if (v->is_object() || v->is_array()) {
                problems.push_back({field, "must be a scalar to go in the path"});
                continue;
            }
            const std::string token = "{" + d.name + "}";
            const std::string encoded = core::PercentEncode(ScalarText(*v));
            for (auto pos = path.find(token); pos != std::string::npos; pos = path.find(token)) {
                path.replace(pos, token.size(), encoded);
            }
        } else if (d.in == "query") {
            if (v->is_array()) {
                for (const auto& item : v->get_array()) {
                    query.emplace_back(d.name, ScalarText(item));
                }
            } else {
                query.emplace_back(d.name, ScalarText(*v));
            }
        } else if (d.in == "header") {
            const std::string text = ScalarText(*v);
            if (HasLineBreak(text)) {
                problems.push_back({field, "must not contain line breaks"});
                continue;
            }
            call.headers.emplace_back(d.name, text);
        } else {
            body[d.name] = *v;
            has_body = true;
        }
    }
    if (!problems.empty()) {
        return core::Error::Validation(std::move(problems));
    }
    if (has_body) {
        call.body = json::serialize(body);
        call.json_content_type_always = true;
    }
    return call;
}

core::Result<CallDraft> DraftTestCall(const json::value& request) {
    if (!request.is_object()) {
        return core::Error::Validation({{"", "the body must be a JSON object"}});
    }
    const auto& o = request.get_object();
    std::vector<FieldProblem> problems;
    std::string endpoint = "/";
    if (const auto* e = o.if_contains("endpoint")) {
        if (!e->is_string() || e->get_string().empty() || e->get_string()[0] != '/' ||
            e->get_string().find_first_of(" #\r\n") != json::string::npos) {
            problems.push_back({"endpoint", "must be a path starting with /"});
        } else {
            endpoint = std::string(e->get_string());
        }
    }
    std::string method = "GET";
    if (const auto* m = o.if_contains("method")) {
        static const std::set<std::string> kMethods = {"GET",   "POST",   "PUT",
                                                       "PATCH", "DELETE", "HEAD"};
        std::string text = m->is_string() ? std::string(m->get_string()) : "";
        for (auto& c : text) {
            c = char(std::toupper(static_cast<unsigned char>(c)));
        }
        if (!kMethods.contains(text)) {
            problems.push_back({"method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD"});
        } else {
            method = text;
        }
    }
    CallDraft call;
    call.method = method;
    call.path = endpoint;
    std::vector<std::pair<std::string, std::string>>& query = call.query;
    if (const auto* q = o.if_contains("query"); q && !q->is_null()) {
        if (!q->is_object()) {
            problems.push_back({"query", "must be an object"});
        } else {
            for (const auto& [k, v] : q->get_object()) {
                query.emplace_back(std::string(k), ScalarText(v));
            }
        }
    }
    std::vector<std::pair<std::string, std::string>>& extra_headers = call.extra_headers;
    if (const auto* h = o.if_contains("headers"); h && !h->is_null()) {
        if (!h->is_object()) {
            problems.push_back({"headers", "must be an object"});
        } else {
            for (const auto& [k, v] : h->get_object()) {
                const std::string text = ScalarText(v);
                if (k.empty() || HasLineBreak(std::string(k)) || HasLineBreak(text)) {
                    problems.push_back(
                        {"headers." + std::string(k), "must not contain line breaks"});
                } else {
                    extra_headers.emplace_back(std::string(k), text);
                }
            }
        }
    }
    if (!problems.empty()) {
        return core::Error::Validation(std::move(problems));
    }
    if (const auto* b = o.if_contains("body"); b && !b->is_null()) {
        call.body = b->is_string() ? std::string(b->get_string()) : json::serialize(*b);
    }
    return call;
}

core::Result<PreparedCall> Authorize(const store::IntegrationRecord& integration, CallDraft draft,
                                     const AuthMaterial& auth) {
    PreparedCall call;
    call.method = std::move(draft.method);
    call.headers = std::move(draft.headers);
    std::string secret_query_name;
    if (auto r = ApplyAuth(integration, auth, call, draft.query, secret_query_name); !r) {
        return r.error();
    }
    for (auto& h : draft.extra_headers) {
        call.headers.push_back(std::move(h));
    }
    if (draft.body) {
        call.body = std::move(*draft.body);
        bool has_type = false;
        for (const auto& [k, v] : call.headers) {
            has_type = has_type || Lower(k) == "content-type";
        }
        if (draft.json_content_type_always || !has_type) {
            call.headers.emplace_back("Content-Type", "application/json");
        }
    }
    BuildUrl(integration.base_url, draft.path, draft.query, secret_query_name, call);
    return call;
}

core::Result<PreparedCall> PrepareActionCall(const store::IntegrationRecord& integration,
                                             const std::string& action_id,
                                             const json::value& params, const AuthMaterial& auth) {
    auto draft = DraftActionCall(integration, action_id, params);
    if (!draft) {
        return draft.error();
    }
    return Authorize(integration, std::move(*draft), auth);
}

core::Result<PreparedCall> PrepareTestCall(const store::IntegrationRecord& integration,
                                           const json::value& request, const AuthMaterial& auth) {
    auto draft = DraftTestCall(request);
    if (!draft) {
        return draft.error();
    }
    return Authorize(integration, std::move(*draft), auth);
}

}  // namespace gc::calls
