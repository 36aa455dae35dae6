#include "integrations/integration_input.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <set>

#include "core/http_token.hpp"

namespace gc::integrations {
namespace {

namespace json = boost::json;
using core::FieldProblem;

const std::set<std::string> kAuthTypes = {"none", "api_key", "bearer", "basic", "oauth2"};
const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
const std::set<std::string> kParamLocations = {"path", "query", "header", "body"};
const std::set<std::string> kParamTypes = {"string",  "integer", "number",
                                           "boolean", "object",  "array"};
// Headers that carry secrets: they belong in a credential, not in the integration definition.
const std::set<std::string> kSecretHeaders = {"authorization", "proxy-authorization", "cookie"};
const std::set<std::string> kOauthSecretKeys = {"client_secret", "access_token", "refresh_token",
                                                "password"};

bool IsIdentifier(const std::string& s, std::size_t max) {
    if (s.empty() || s.size() > max) {
        return false;
    }
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

bool IsHeaderName(const std::string& s) { return s.size() <= 100 && core::IsHttpToken(s); }

bool HasControlChars(const std::string& s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
    }
    return false;
}

std::string Lower(std::string s) {
    for (auto& c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

// Reads fields off one JSON object, collecting problems under a field prefix.
class Fields {
  public:
    Fields(const json::object& obj, std::string prefix, std::vector<FieldProblem>& problems)
        : obj_(obj), prefix_(std::move(prefix)), problems_(problems) {}

    std::string Path(std::string_view key) const { return prefix_ + std::string(key); }
    void Problem(std::string_view key, std::string problem) {
        problems_.push_back({Path(key), std::move(problem)});
    }
    const json::value* Find(std::string_view key) const {
        auto it = obj_.find(key);
        return it == obj_.end() || it->value().is_null() ? nullptr : &it->value();
    }

    // A string field; `required` reports absence. Returns "" when absent or wrong.
    std::string String(std::string_view key, bool required, std::size_t max) {
        const json::value* v = Find(key);
        if (!v) {
            if (required) {
                Problem(key, "is required");
            }
            return {};
        }
        if (!v->is_string()) {
            Problem(key, "must be a string");
            return {};
        }
        std::string s(v->get_string());
        if (s.size() > max) {
            Problem(key, "must be at most " + std::to_string(max) + " characters");
            return {};
        }
        return s;
    }

  private:
    const json::object& obj_;
    std::string prefix_;
    std::vector<FieldProblem>& problems_;
};

bool CheckHttpUrl(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) {
        return false;
    }
    const auto scheme = Lower(std::string(u->scheme()));
    return (scheme == "http" || scheme == "https") && !u->encoded_host().empty() &&
           !u->has_userinfo() && !u->has_fragment();
}

bool TypeMatches(const std::string& type, const json::value& v) {
    if (type == "string") {
        return v.is_string();
    }
    if (type == "integer") {
        return v.is_int64() || v.is_uint64();
    }
    if (type == "number") {
        return v.is_number();
    }
    if (type == "boolean") {
        return v.is_bool();
    }
    if (type == "object") {
        return v.is_object();
    }
    return v.is_array();
}

json::array ParseParameters(const json::value* params_value, const std::string& prefix,
                            const std::vector<std::string>& placeholders,
                            std::vector<FieldProblem>& problems) {
    json::array out;
    if (!params_value) {
        return out;
    }
    if (!params_value->is_array()) {
        problems.push_back({prefix, "must be an array"});
        return out;
    }
    const auto& arr = params_value->get_array();
    if (arr.size() > kMaxParameters) {
        problems.push_back({prefix, "must have at most 100 parameters"});
        return out;
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = prefix + "[" + std::to_string(i) + "]";
        if (!arr[i].is_object()) {
            problems.push_back({at, "must be an object"});
            continue;
        }
        Fields f(arr[i].get_object(), at + ".", problems);
        const std::string name = f.String("name", true, 100);
        if (!name.empty() && HasControlChars(name)) {
            f.Problem("name", "must not contain control characters");
        }
        std::string in = f.String("in", true, 10);
        if (!in.empty() && !kParamLocations.contains(in)) {
            f.Problem("in", "must be one of path, query, header, body");
            in.clear();
        }
        std::string type = f.String("type", false, 10);
        if (type.empty()) {
            type = "string";
        } else if (!kParamTypes.contains(type)) {
            f.Problem("type", "must be one of string, integer, number, boolean, object, array");
            type = "string";
        }
        bool required = false;
        if (const json::value* r = f.Find("required")) {
            if (!r->is_bool()) {
                f.Problem("required", "must be true or false");
            } else {
                required = r->get_bool();
            }
        }
        if (in == "path") {
            required = true;
            if (!name.empty() &&
                std::find(placeholders.begin(), placeholders.end(), name) == placeholders.end()) {
                f.Problem("name", "path parameter '" + name + "' does not appear in the endpoint");
            }
        }
        if (in == "header" && !name.empty() && !IsHeaderName(name)) {
            f.Problem("name", "must be a valid header name");
        }
        const std::string description = f.String("description", false, 2000);
        json::object p{{"name", name},
                       {"in", in},
                       {"type", type},
                       {"required", required},
                       {"description", description}};
        if (const json::value* d = f.Find("default")) {
            if (!TypeMatches(type, *d)) {
                f.Problem("default", "must be of type " + type);
            }
            p["default"] = *d;
        }
        if (!name.empty() && !in.empty() && !seen.insert({name, in}).second) {
            f.Problem("name", "is already used by another " + in + " parameter");
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<store::ActionRecord> ParseActions(const json::value* actions_value,
                                              std::vector<FieldProblem>& problems) {
    std::vector<store::ActionRecord> out;
    if (!actions_value) {
        return out;
    }
    if (!actions_value->is_array()) {
        problems.push_back({"actions", "must be an array"});
        return out;
    }
    const auto& arr = actions_value->get_array();
    if (arr.size() > kMaxActions) {
        problems.push_back({"actions", "must have at most 200 actions"});
        return out;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = "actions[" + std::to_string(i) + "]";
        if (!arr[i].is_object()) {
            problems.push_back({at, "must be an object"});
            continue;
        }
        Fields f(arr[i].get_object(), at + ".", problems);
        store::ActionRecord a;
        a.action_id = f.String("action_id", true, 64);
        if (!a.action_id.empty() && !IsIdentifier(a.action_id, 64)) {
            f.Problem("action_id", "must be 1 to 64 of a-z, 0-9 and _");
        } else if (!a.action_id.empty() && !ids.insert(a.action_id).second) {
            f.Problem("action_id", "is already used by another action");
        }
        a.action_name = f.String("action_name", false, 200);
        if (a.action_name.empty()) {
            a.action_name = a.action_id;
        }
        a.description = f.String("description", false, 2000);
        std::string method = f.String("http_method", true, 10);
        for (auto& c : method) {
            c = char(std::toupper(static_cast<unsigned char>(c)));
        }
        if (!method.empty() && !kMethods.contains(method)) {
            f.Problem("http_method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
        }
        a.http_method = method;
        a.endpoint = f.String("endpoint", true, 2048);
        std::vector<std::string> placeholders;
        if (!a.endpoint.empty()) {
            if (a.endpoint[0] != '/') {
                f.Problem("endpoint", "must start with /");
            } else if (HasControlChars(a.endpoint) ||
                       a.endpoint.find_first_of(" #") != std::string::npos) {
                f.Problem("endpoint", "must not contain spaces, # or control characters");
            } else {
                placeholders = EndpointPlaceholders(a.endpoint);
                for (const auto& p : placeholders) {
                    if (!IsIdentifier(p, 100)) {
                        f.Problem("endpoint",
                                  "placeholder {" + p + "} must be 1 to 100 of a-z, 0-9 and _");
                    }
                }
            }
        }
        a.parameters_json = json::serialize(
            ParseParameters(f.Find("parameters"), at + ".parameters", placeholders, problems));
        out.push_back(std::move(a));
    }
    return out;
}

json::object ParseOauthConfig(const json::value* v, std::string& base_url_inside,
                              std::vector<FieldProblem>& problems) {
    json::object out;
    if (!v) {
        return out;
    }
    if (!v->is_object()) {
        problems.push_back({"oauth_config", "must be an object"});
        return out;
    }
    for (const auto& [key, value] : v->get_object()) {
        const std::string k(key);
        const std::string field = "oauth_config." + k;
        if (kOauthSecretKeys.contains(k)) {
            problems.push_back({field,
                                "secrets are not stored in the integration; save it with "
                                "POST /api/custom-integrations/{id}/credentials"});
            continue;
        }
        if (k == "base_url") {
            if (value.is_string()) {
                base_url_inside = std::string(value.get_string());
            } else {
                problems.push_back({field, "must be a string"});
            }
            continue;
        }
        if ((k == "authorize_url" || k == "token_url") && !value.is_null()) {
            if (!value.is_string() || !CheckHttpUrl(std::string(value.get_string()))) {
                problems.push_back({field, "must be an http or https URL"});
                continue;
            }
        }
        if (k == "scopes" && !value.is_null()) {
            bool ok = value.is_array();
            if (ok) {
                for (const auto& s : value.get_array()) {
                    ok = ok && s.is_string();
                }
            }
            if (!ok && !value.is_string()) {
                problems.push_back({field, "must be an array of strings"});
                continue;
            }
        }
        if (k == "pkce" && !value.is_bool()) {
            problems.push_back({field, "must be true or false"});
            continue;
        }
        if (k == "grant_type" &&
            (!value.is_string() || (value.get_string() != "authorization_code" &&
                                    value.get_string() != "client_credentials"))) {
            problems.push_back({field, "must be authorization_code or client_credentials"});
            continue;
        }
        out[key] = value;
    }
    return out;
}

// An integer field within [min, max], copied to out; a problem otherwise.
void IntegerSetting(const json::object& in, std::string_view key, std::int64_t min,
                    std::int64_t max, const std::string& prefix, json::object& out,
                    std::vector<FieldProblem>& problems) {
    const json::value* v = in.if_contains(key);
    if (!v || v->is_null()) {
        return;
    }
    if (!v->is_int64() || v->get_int64() < min || v->get_int64() > max) {
        problems.push_back(
            {prefix + std::string(key),
             "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
        return;
    }
    out[key] = *v;
}

// How calls through the integration behave: timeouts, retries, rate limit.
json::object ParseCallSettings(const json::object& body, std::vector<FieldProblem>& problems) {
    json::object settings;
    IntegerSetting(body, "timeout_ms", 100, 300000, "", settings, problems);
    IntegerSetting(body, "connect_timeout_ms", 100, 60000, "", settings, problems);
    if (const json::value* r = body.if_contains("retry"); r && !r->is_null()) {
        if (!r->is_object()) {
            problems.push_back({"retry", "must be an object"});
        } else {
            json::object retry;
            IntegerSetting(r->get_object(), "max_attempts", 1, 10, "retry.", retry, problems);
            IntegerSetting(r->get_object(), "base_delay_ms", 1, 60000, "retry.", retry, problems);
            IntegerSetting(r->get_object(), "max_delay_ms", 1, 300000, "retry.", retry, problems);
            IntegerSetting(r->get_object(), "max_total_ms", 100, 600000, "retry.", retry, problems);
            settings["retry"] = std::move(retry);
        }
    }
    if (const json::value* l = body.if_contains("rate_limit"); l && !l->is_null()) {
        if (!l->is_object()) {
            problems.push_back({"rate_limit", "must be an object"});
        } else {
            json::object limit;
            const json::value* rps = l->get_object().if_contains("requests_per_second");
            if (rps && !rps->is_null()) {
                if (!rps->is_number() || rps->to_number<double>() <= 0 ||
                    rps->to_number<double>() > 100000) {
                    problems.push_back({"rate_limit.requests_per_second",
                                        "must be a number above 0 and at most 100000"});
                } else {
                    limit["requests_per_second"] = rps->to_number<double>();
                }
            }
            IntegerSetting(l->get_object(), "burst", 1, 100000, "rate_limit.", limit, problems);
            settings["rate_limit"] = std::move(limit);
        }
    }
    return settings;
}

}  // namespace

std::vector<std::string> EndpointPlaceholders(const std::string& endpoint) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = endpoint.find('{', pos)) != std::string::npos) {
        const auto end = endpoint.find('}', pos);
        if (end == std::string::npos) {
            out.push_back(endpoint.substr(pos + 1));
            break;
        }
        out.push_back(endpoint.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return out;
}

core::Result<store::IntegrationRecord> ParseIntegrationInput(const json::value& body) {
    std::vector<FieldProblem> problems;
    if (!body.is_object()) {
        return core::Error::Validation({{"", "the body must be a JSON object"}});
    }
    Fields f(body.get_object(), "", problems);
    store::IntegrationRecord rec;

    rec.name = f.String("name", true, 64);
    if (!rec.name.empty() && !IsIdentifier(rec.name, 64)) {
        f.Problem("name", "must be 1 to 64 of a-z, 0-9 and _");
    }
    rec.display_name = f.String("display_name", false, 200);
    if (rec.display_name.empty()) {
        rec.display_name = rec.name;
    }
    rec.description = f.String("description", false, 2000);
    rec.auth_type = f.String("auth_type", true, 20);
    if (!rec.auth_type.empty() && !kAuthTypes.contains(rec.auth_type)) {
        f.Problem("auth_type", "must be one of none, api_key, bearer, basic, oauth2");
    }

    std::string base_url_inside;
    json::object oauth = ParseOauthConfig(f.Find("oauth_config"), base_url_inside, problems);
    rec.base_url = f.String("base_url", false, 2048);
    if (rec.base_url.empty()) {
        rec.base_url = base_url_inside;
    }
    if (rec.base_url.empty()) {
        f.Problem("base_url", "is required (at the top level or in oauth_config.base_url)");
    } else if (!CheckHttpUrl(rec.base_url)) {
        f.Problem("base_url", "must be an http or https URL without credentials or fragment");
    }
    while (rec.base_url.size() > 1 && rec.base_url.back() == '/') {
        rec.base_url.pop_back();
    }
    if (rec.auth_type == "oauth2" && oauth.contains("grant_type") == false) {
        oauth["grant_type"] = "authorization_code";
    }
    if (rec.auth_type == "oauth2" && !oauth.contains("pkce")) {
        oauth["pkce"] = true;
    }
    rec.oauth_config_json = json::serialize(oauth);

    json::object auth_config;
    if (const json::value* ac = f.Find("auth_config")) {
        if (!ac->is_object()) {
            f.Problem("auth_config", "must be an object");
        } else {
            Fields af(ac->get_object(), "auth_config.", problems);
            std::string location = af.String("api_key_location", false, 10);
            if (!location.empty() && location != "header" && location != "query") {
                af.Problem("api_key_location", "must be header or query");
            }
            std::string key_name = af.String("api_key_name", false, 100);
            if (!key_name.empty() && location != "query" && !IsHeaderName(key_name)) {
                af.Problem("api_key_name", "must be a valid header name");
            }
            if (!location.empty()) {
                auth_config["api_key_location"] = location;
            }
            if (!key_name.empty()) {
                auth_config["api_key_name"] = key_name;
            }
        }
    }
    if (rec.auth_type == "api_key") {
        if (!auth_config.contains("api_key_location")) {
            auth_config["api_key_location"] = "header";
        }
        if (!auth_config.contains("api_key_name")) {
            auth_config["api_key_name"] =
                auth_config["api_key_location"] == "query" ? "api_key" : "X-API-Key";
        }
    }
    rec.auth_config_json = json::serialize(auth_config);

    json::object headers;
    if (const json::value* h = f.Find("headers")) {
        if (!h->is_object()) {
            f.Problem("headers", "must be an object of header names to values");
        } else {
            for (const auto& [key, value] : h->get_object()) {
                const std::string name(key);
                const std::string field = "headers." + name;
                if (!IsHeaderName(name)) {
                    problems.push_back({field, "is not a valid header name"});
                } else if (kSecretHeaders.contains(Lower(name))) {
                    problems.push_back({field, "carries a secret; store it as a credential"});
                } else if (!value.is_string() || HasControlChars(std::string(value.get_string())) ||
                           value.get_string().size() > 4096) {
                    problems.push_back({field, "must be a string without control characters"});
                } else {
                    headers[key] = value;
                }
            }
        }
    }
    rec.headers_json = json::serialize(headers);

    rec.settings_json = json::serialize(ParseCallSettings(body.get_object(), problems));

    rec.actions = ParseActions(f.Find("actions"), problems);

    if (!problems.empty()) {
        return core::Error::Validation(std::move(problems));
    }
    return rec;
}

json::object IntegrationToJson(const store::IntegrationRecord& rec, const json::value& credential) {
    auto parse_or = [](const std::string& text, json::value fallback) {
        boost::system::error_code ec;
        json::value v = json::parse(text, ec);
        return ec ? fallback : v;
    };
    json::array actions;
    for (const auto& a : rec.actions) {
        actions.push_back(json::object{{"action_id", a.action_id},
                                       {"action_name", a.action_name},
                                       {"description", a.description},
                                       {"http_method", a.http_method},
                                       {"endpoint", a.endpoint},
                                       {"parameters", parse_or(a.parameters_json, json::array())}});
    }
    json::object settings = parse_or(rec.settings_json, json::object()).as_object();
    // The seed's client reads base_url from oauth_config, so it is mirrored there.
    json::object oauth = parse_or(rec.oauth_config_json, json::object()).as_object();
    oauth["base_url"] = rec.base_url;
    json::object out{{"id", rec.id},
                     {"name", rec.name},
                     {"display_name", rec.display_name},
                     {"description", rec.description},
                     {"auth_type", rec.auth_type},
                     {"base_url", rec.base_url},
                     {"auth_config", parse_or(rec.auth_config_json, json::object())},
                     {"oauth_config", std::move(oauth)},
                     {"headers", parse_or(rec.headers_json, json::object())},
                     {"actions", std::move(actions)},
                     {"credential", credential},
                     {"created_at", rec.created_at},
                     {"updated_at", rec.updated_at}};
    for (const char* key : {"timeout_ms", "connect_timeout_ms", "retry", "rate_limit"}) {
        if (auto it = settings.find(key); it != settings.end()) {
            out[key] = it->value();
        }
    }
    return out;
}

}  // namespace gc::integrations
