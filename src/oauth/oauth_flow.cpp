// OAuth2 pieces without I/O (RFC 6749, RFC 7636): config, PKCE, URLs, form bodies, token answers.
#include "oauth/oauth_flow.hpp"

#include <boost/json/parse.hpp>

#include "core/base64.hpp"
#include "core/hash.hpp"
#include "core/percent_encoding.hpp"

namespace gc::oauth {
namespace {

namespace json = boost::json;
using core::Error;

std::string StringOf(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> SplitSpaces(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ' ') {
            if (!cur.empty()) {
                out.push_back(std::move(cur));
                cur.clear();
            }
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) {
        out.push_back(std::move(cur));
    }
    return out;
}

std::string Lower(std::string s) {
    for (char& c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string FormDecode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
                   HexValue(s[i + 2]) >= 0) {
            out += char(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// A form-encoded answer as a JSON object of strings.
json::object ParseForm(std::string_view body) {
    json::object o;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string_view::npos) {
            end = body.size();
        }
        const std::string_view pair = body.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos) {
            o[FormDecode(pair.substr(0, eq))] = FormDecode(pair.substr(eq + 1));
        }
        start = end + 1;
    }
    return o;
}

bool IsPermanentError(std::string_view code) {
    return code == "invalid_grant" || code == "invalid_client" || code == "unauthorized_client" ||
           code == "unsupported_grant_type" || code == "invalid_scope" || code == "invalid_request";
}

}  // namespace

core::Result<OAuthConfig> ReadOAuthConfig(const store::IntegrationRecord& rec) {
    if (rec.auth_type != "oauth2") {
        return Error::Validation(
            {{"auth_type", "the integration's auth_type is " + rec.auth_type + ", not oauth2"}});
    }
    boost::system::error_code ec;
    const json::value v = json::parse(rec.oauth_config_json, ec);
    const json::object empty;
    const json::object& o = !ec && v.is_object() ? v.get_object() : empty;
    OAuthConfig c;
    c.authorize_url = StringOf(o, "authorize_url");
    c.token_url = StringOf(o, "token_url");
    c.client_id = StringOf(o, "client_id");
    if (const json::value* p = o.if_contains("pkce"); p != nullptr && p->is_bool()) {
        c.pkce = p->get_bool();
    }
    if (const std::string g = StringOf(o, "grant_type"); !g.empty()) {
        c.grant_type = g;
    }
    if (const json::value* s = o.if_contains("scopes"); s != nullptr) {
        if (s->is_string()) {
            c.scopes = SplitSpaces(s->get_string());
        } else if (s->is_array()) {
            for (const json::value& item : s->get_array()) {
                if (item.is_string() && !item.get_string().empty()) {
                    c.scopes.emplace_back(item.get_string());
                }
            }
        }
    }
    std::vector<core::FieldProblem> problems;
    if (c.grant_type == "authorization_code" && c.authorize_url.empty()) {
        problems.push_back({"oauth_config.authorize_url", "is required to connect"});
    }
    if (c.token_url.empty()) {
        problems.push_back({"oauth_config.token_url", "is required to connect"});
    }
    if (c.client_id.empty()) {
        problems.push_back({"oauth_config.client_id", "is required to connect"});
    }
    if (!problems.empty()) {
        return Error::Validation(std::move(problems));
    }
    return c;
}

std::string PkceChallenge(std::string_view verifier) {
    return core::Base64UrlEncodeNoPad(core::Sha256(verifier));
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) {
            out += '&';
        }
        out += core::PercentEncode(k) + "=" + core::PercentEncode(v);
    }
    return out;
}

std::string AuthorizeUrl(const OAuthConfig& config, const std::string& redirect_uri,
                         const std::string& state, const std::string& code_challenge) {
    std::vector<std::pair<std::string, std::string>> q{
        {"response_type", "code"}, {"client_id", config.client_id}, {"redirect_uri", redirect_uri}};
    if (!config.scopes.empty()) {
        std::string joined;
        for (const auto& s : config.scopes) {
            joined += (joined.empty() ? "" : " ") + s;
        }
        q.emplace_back("scope", joined);
    }
    q.emplace_back("state", state);
    if (!code_challenge.empty()) {
        q.emplace_back("code_challenge", code_challenge);
        q.emplace_back("code_challenge_method", "S256");
    }
    std::string url = config.authorize_url;
    const std::size_t hash = url.find('#');
    if (hash != std::string::npos) {
        url.resize(hash);
    }
    char sep = '?';
    if (url.find('?') != std::string::npos) {
        sep = url.back() == '?' || url.back() == '&' ? '\0' : '&';
    }
    if (sep != '\0') {
        url += sep;
    }
    return url + FormEncode(q);
}

core::Result<std::string> CallbackUri(const std::string& public_url, const std::string& host) {
    constexpr std::string_view kPath = "/api/oauth/callback";
    if (!public_url.empty()) {
        std::string base = public_url;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        return base + std::string(kPath);
    }
    bool ok = !host.empty() && host.size() <= 255;
    for (unsigned char c : host) {
        ok = ok && (std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
    }
    if (!ok) {
        return Error::Make(core::ErrorCode::kBadRequest,
                           "the Host header is missing or malformed; set CONNECTOR_PUBLIC_URL");
    }
    return "http://" + host + std::string(kPath);
}

std::string SafeErrorCode(std::string_view code) {
    bool ok = !code.empty() && code.size() <= 64;
    for (unsigned char c : code) {
        ok = ok &&
             ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-');
    }
    return ok ? std::string(code) : std::string("authorization_failed");
}

TokenOutcome ParseTokenResponse(int status, const std::string& body) {
    TokenOutcome out;
    out.failure.status = status;
    out.failure.oauth_error = "token_request_failed";
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    json::object o;
    if (!ec && v.is_object()) {
        o = std::move(v.get_object());
    } else if (body.find('=') != std::string::npos && body.find('{') == std::string::npos) {
        o = ParseForm(body);
    }
    const std::string error = StringOf(o, "error");
    if (status < 200 || status >= 300 || !error.empty()) {
        if (!error.empty()) {
            out.failure.oauth_error = SafeErrorCode(error);
            out.failure.permanent = IsPermanentError(error);
        } else {
            out.failure.permanent = status == 400 || status == 401;
        }
        return out;
    }
    const std::string access = StringOf(o, "access_token");
    const std::string type = Lower(StringOf(o, "token_type"));
    if (access.empty() || (!type.empty() && type != "bearer")) {
        return out;
    }
    out.ok = true;
    out.grant.access_token = core::Secret(access);
    out.grant.refresh_token = core::Secret(StringOf(o, "refresh_token"));
    if (const json::value* e = o.if_contains("expires_in"); e != nullptr) {
        if (e->is_int64() && e->get_int64() > 0) {
            out.grant.expires_in = e->get_int64();
        } else if (e->is_uint64()) {
            out.grant.expires_in = std::int64_t(e->get_uint64());
        } else if (e->is_string()) {
            const std::string text(e->get_string());
            if (!text.empty() && text.size() < 12 &&
                text.find_first_not_of("0123456789") == std::string::npos) {
                out.grant.expires_in = std::stoll(text);
            }
        }
    }
    if (o.contains("scope")) {
        out.grant.scopes = SplitSpaces(StringOf(o, "scope"));
    }
    return out;
}

}  // namespace gc::oauth
