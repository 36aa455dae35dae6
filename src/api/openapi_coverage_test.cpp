// Keeps docs/openapi.yaml honest: every route api::RegisterAllRoutes registers is documented, every
// documented route is registered, every operation lists its 4xx errors, and every $ref resolves.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "api/routes.hpp"
#include "api/services.hpp"
#include "api/session_authenticator.hpp"
#include "app/embedded_openapi.hpp"
#include "app/service_graph.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "integrations/integration_service.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "vault/fernet.hpp"

namespace gc::api {
namespace {

// One operation of the document: "GET /api/custom-integrations/{id}" with its status keys.
struct DocumentedOperation {
    std::string method;  // upper case, as the router spells it
    std::string path;
    std::vector<std::string> statuses;  // response keys as written, unquoted: "200", "4XX"
    int line = 0;
};

struct DocumentedRef {
    std::string target;  // e.g. "responses/NotFound"
    int line = 0;
};

// What the line reader takes from the document.
struct OpenApiOutline {
    std::string openapi_version;
    std::vector<DocumentedOperation> operations;
    std::set<std::string> components;  // "schemas/Error", "responses/NotFound", ...
    std::vector<DocumentedRef> refs;
};

const std::set<std::string> kMethodKeys = {"get",   "put",  "post",    "delete",
                                           "patch", "head", "options", "trace"};
const std::set<std::string> kPathItemKeys = {"summary", "description", "parameters", "servers"};

core::Error Malformed(int line, const std::string& what) {
    return core::Error::Make(core::ErrorCode::kBadRequest,
                             "openapi.yaml line " + std::to_string(line) + ": " + what);
}

std::string Upper(std::string s) {
    for (auto& c : s) {
        c = char(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

std::string TrimRight(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

// True when the value after "key: " (or "- key: ") opens a block scalar (| or >, with chomping).
bool OpensBlockScalar(const std::string& content) {
    const auto colon = content.find(": ");
    if (colon == std::string::npos) {
        return false;
    }
    const std::string value = content.substr(colon + 2);
    return value == "|" || value == "|-" || value == "|+" || value == ">" || value == ">-" ||
           value == ">+";
}

// A status key written as '404': or "4XX":, or default:. Empty when the key is not one.
std::string StatusKey(const std::string& content) {
    if (content == "default:") {
        return "default";
    }
    if (content.size() != 6 || (content[0] != '\'' && content[0] != '"') ||
        content[4] != content[0] || content[5] != ':') {
        return {};
    }
    const std::string code = content.substr(1, 3);
    const bool ok = code[0] >= '1' && code[0] <= '5' &&
                    ((std::isdigit(static_cast<unsigned char>(code[1])) &&
                      std::isdigit(static_cast<unsigned char>(code[2]))) ||
                     code.substr(1) == "XX");
    return ok ? code : std::string();
}

// Reads the layout docs/openapi.yaml promises in its opening comment: 2-space indentation, no
// tabs, paths at 2 spaces under `paths:`, methods at 4, `responses:` at 6, quoted status keys at
// 8, components at `components: <type>: <name>`, block-style single-quoted $ref values. Block
// scalars (| and >) are skipped whole. Anything else in the paths section at those indents is an
// error naming the line, so a layout the reader cannot follow fails loudly instead of reading
// nothing.
core::Result<OpenApiOutline> ReadOpenApiOutline(std::string_view yaml) {
    OpenApiOutline out;
    std::string section;            // the current top-level key
    std::string component_type;     // under components:
    std::optional<std::size_t> op;  // index into out.operations of the current operation
    std::string path;
    std::set<std::string> paths_seen;
    std::set<std::string> ops_seen;
    bool in_responses = false;
    int block_indent = -1;  // >= 0 while inside a block scalar opened at that indent
    bool saw_paths = false;

    int line_no = 0;
    std::size_t pos = 0;
    while (pos < yaml.size()) {
        const auto nl = yaml.find('\n', pos);
        const std::string raw(
            yaml.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        pos = nl == std::string_view::npos ? yaml.size() : nl + 1;
        ++line_no;
        const std::string line = TrimRight(raw);
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) {
            continue;
        }
        if (line[first] == '\t') {
            return Malformed(line_no, "tab in indentation");
        }
        const int indent = int(first);
        if (block_indent >= 0) {
            if (indent > block_indent) {
                continue;
            }
            block_indent = -1;
        }
        const std::string content = line.substr(first);
        if (content[0] == '#') {
            continue;
        }
        if (OpensBlockScalar(content)) {
            block_indent = indent + (content.starts_with("- ") ? 2 : 0);
        }

        const std::string item = content.starts_with("- ") ? content.substr(2) : content;
        if (item.starts_with("$ref:")) {
            const std::string value = item.substr(5);
            const std::string prefix = " '#/components/";
            if (!value.starts_with(prefix) || value.size() < prefix.size() + 2 ||
                value.back() != '\'') {
                return Malformed(line_no, "$ref must be '#/components/<type>/<name>'");
            }
            out.refs.push_back(
                {value.substr(prefix.size(), value.size() - prefix.size() - 1), line_no});
        }

        if (indent == 0) {
            const auto colon = content.find(':');
            if (colon == std::string::npos) {
                return Malformed(line_no, "expected a top-level key");
            }
            section = content.substr(0, colon);
            op.reset();
            in_responses = false;
            if (section == "openapi") {
                out.openapi_version = content.size() > colon + 2 ? content.substr(colon + 2) : "";
            }
            if (section == "paths") {
                if (saw_paths || content != "paths:") {
                    return Malformed(line_no, "expected one `paths:` with nothing after it");
                }
                saw_paths = true;
            }
            continue;
        }

        if (section == "components") {
            const auto colon = content.find(':');
            if (indent == 2 && colon != std::string::npos) {
                component_type = content.substr(0, colon);
            } else if (indent == 4 && colon != std::string::npos && !content.starts_with("- ")) {
                out.components.insert(component_type + "/" + content.substr(0, colon));
            }
            continue;
        }
        if (section != "paths") {
            continue;
        }

        if (indent % 2 != 0) {
            return Malformed(line_no, "indentation must be a multiple of 2 spaces");
        }
        if (indent == 2) {
            if (content[0] != '/' || content.back() != ':') {
                return Malformed(line_no, "expected a path such as `  /api/x/{id}:` at 2 spaces");
            }
            path = content.substr(0, content.size() - 1);
            if (!paths_seen.insert(path).second) {
                return Malformed(line_no, "path " + path + " appears twice");
            }
            op.reset();
            in_responses = false;
            continue;
        }
        if (indent == 4) {
            const auto colon = content.find(':');
            const std::string key = colon == std::string::npos ? "" : content.substr(0, colon);
            in_responses = false;
            if (kMethodKeys.contains(key)) {
                if (content != key + ":") {
                    return Malformed(line_no, "a method key takes no inline value");
                }
                if (!ops_seen.insert(Upper(key) + " " + path).second) {
                    return Malformed(line_no, key + " appears twice under " + path);
                }
                out.operations.push_back({Upper(key), path, {}, line_no});
                op = out.operations.size() - 1;
                continue;
            }
            if (!kPathItemKeys.contains(key)) {
                return Malformed(line_no,
                                 "expected a lower-case method (or summary, description, "
                                 "parameters, servers) at 4 spaces, got `" +
                                     content + "`");
            }
            op.reset();
            continue;
        }
        if (!op) {
            continue;
        }
        if (indent == 6) {
            in_responses = content == "responses:";
            continue;
        }
        if (indent == 8 && in_responses) {
            const std::string code = StatusKey(content);
            if (code.empty()) {
                return Malformed(line_no, "expected a quoted status such as '404': at 8 spaces");
            }
            out.operations[*op].statuses.push_back(code);
        }
    }
    if (!saw_paths) {
        return Malformed(line_no, "no `paths:` section");
    }
    return out;
}

std::string RouteKey(const std::string& method, const std::string& path) {
    return method + " " + path;
}

// The server's wiring as in app::RunServe, on a migrated temporary SQLite file.
class ApiWiring {
  public:
    explicit ApiWiring(const std::string& sqlite_path) {
        auto db = store::OpenDatabase({.url = "", .sqlite_path = sqlite_path, .pool_size = 2});
        if (!db) {
            throw std::runtime_error("cannot open the test database: " + db.error().message);
        }
        db_ = std::move(*db);
        if (auto migrated = store::Migrate(*db_); !migrated) {
            throw std::runtime_error("cannot migrate the test database: " +
                                     migrated.error().message);
        }
        app::Config config;
        config.encryption_keys = vault::FernetKey::Generate().ToBase64();
        graph_ = std::make_unique<app::ServiceGraph>(*db_, config);
        router_ = std::make_unique<http::Router>(graph_->authenticator());
        RegisterAllRoutes(*router_, graph_->services());
    }

    http::Router& router() { return *router_; }

  private:
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<app::ServiceGraph> graph_;
    std::unique_ptr<http::Router> router_;
};

class OpenApiCoverage : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-openapi-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        wiring_ = std::make_unique<ApiWiring>(dir_ + "/connector.db");
        auto outline = ReadOpenApiOutline(app::kOpenApiYaml);
        ASSERT_TRUE(outline) << outline.error().message;
        outline_ = std::move(*outline);
    }

    void TearDown() override {
        wiring_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::set<std::string> Registered() const {
        std::set<std::string> out;
        for (const auto& r : wiring_->router().Routes()) {
            out.insert(RouteKey(r.method, r.pattern));
        }
        return out;
    }

    std::set<std::string> Documented() const {
        std::set<std::string> out;
        for (const auto& op : outline_.operations) {
            out.insert(RouteKey(op.method, op.path));
        }
        return out;
    }

    std::string dir_;
    std::unique_ptr<ApiWiring> wiring_;
    OpenApiOutline outline_;
};

TEST_F(OpenApiCoverage, DocumentIsOpenApi31) {
    EXPECT_TRUE(outline_.openapi_version.starts_with("3.1.")) << outline_.openapi_version;
}

TEST_F(OpenApiCoverage, EveryRegisteredRouteIsDocumented) {
    const auto documented = Documented();
    const auto registered = Registered();
    ASSERT_FALSE(registered.empty());
    for (const auto& route : registered) {
        EXPECT_TRUE(documented.contains(route))
            << route << " is registered but missing from docs/openapi.yaml";
    }
}

TEST_F(OpenApiCoverage, EveryDocumentedRouteIsRegistered) {
    const auto registered = Registered();
    ASSERT_FALSE(outline_.operations.empty());
    for (const auto& op : outline_.operations) {
        EXPECT_TRUE(registered.contains(RouteKey(op.method, op.path)))
            << "docs/openapi.yaml line " << op.line << " documents " << op.method << " " << op.path
            << ", which api::RegisterAllRoutes does not register";
    }
}

TEST_F(OpenApiCoverage, EveryOperationListsA4xxResponse) {
    ASSERT_FALSE(outline_.operations.empty());
    for (const auto& op : outline_.operations) {
        bool has_4xx = false;
        bool has_2xx = false;
        for (const auto& s : op.statuses) {
            has_4xx = has_4xx || s[0] == '4';
            // A browser navigation (the OAuth2 redirects) succeeds with a 3xx.
            has_2xx = has_2xx || s[0] == '2' || s[0] == '3';
        }
        EXPECT_TRUE(has_4xx) << op.method << " " << op.path << " (line " << op.line
                             << ") lists no 4xx response";
        EXPECT_TRUE(has_2xx) << op.method << " " << op.path << " (line " << op.line
                             << ") lists no 2xx (or 3xx) response";
    }
}

TEST_F(OpenApiCoverage, EveryRefNamesAComponent) {
    ASSERT_FALSE(outline_.refs.empty());
    ASSERT_FALSE(outline_.components.empty());
    for (const auto& ref : outline_.refs) {
        EXPECT_TRUE(outline_.components.contains(ref.target))
            << "line " << ref.line << ": $ref to #/components/" << ref.target
            << ", which is not defined";
    }
}

TEST_F(OpenApiCoverage, ServedAtApiOpenApiYamlWithoutSignIn) {
    http::Request req;
    req.method = "GET";
    req.target = req.path = "/api/openapi.yaml";
    const http::Response resp = wiring_->router().Dispatch(req);
    EXPECT_EQ(resp.status, 200);
    EXPECT_EQ(resp.content_type, "application/yaml");
    EXPECT_EQ(resp.body, app::kOpenApiYaml);
}

// The reader itself: a layout it cannot follow must fail, not read as "no routes".
TEST(OpenApiReader, ReadsOperationsAndSkipsBlockScalars) {
    const std::string yaml =
        "openapi: 3.1.0\n"
        "paths:\n"
        "  /api/a/{id}:\n"
        "    parameters:\n"
        "      - $ref: '#/components/parameters/Id'\n"
        "    get:\n"
        "      description: |\n"
        "        text that looks like a key:\n"
        "        '999':\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "        '404':\n"
        "          $ref: '#/components/responses/NotFound'\n"
        "    delete:\n"
        "      responses:\n"
        "        '4XX':\n"
        "          description: any\n"
        "components:\n"
        "  parameters:\n"
        "    Id:\n"
        "      name: id\n";
    auto outline = ReadOpenApiOutline(yaml);
    ASSERT_TRUE(outline) << outline.error().message;
    ASSERT_EQ(outline->operations.size(), 2u);
    EXPECT_EQ(outline->operations[0].method, "GET");
    EXPECT_EQ(outline->operations[0].path, "/api/a/{id}");
    EXPECT_EQ(outline->operations[0].statuses, (std::vector<std::string>{"200", "404"}));
    EXPECT_EQ(outline->operations[1].method, "DELETE");
    EXPECT_EQ(outline->operations[1].statuses, (std::vector<std::string>{"4XX"}));
    ASSERT_EQ(outline->refs.size(), 2u);
    EXPECT_EQ(outline->refs[0].target, "parameters/Id");
    EXPECT_EQ(outline->refs[1].target, "responses/NotFound");
    EXPECT_TRUE(outline->components.contains("parameters/Id"));
}

TEST(OpenApiReader, RejectsLayoutsItCannotFollow) {
    const std::string head = "openapi: 3.1.0\npaths:\n";
    const std::map<std::string, std::string> bad = {
        {"tab", head + "  /a:\n\tget:\n"},
        {"path at 3 spaces", head + "   /a:\n"},
        {"quoted path", head + "  '/a':\n"},
        {"upper-case method", head + "  /a:\n    GET:\n"},
        {"flow-style operation", head + "  /a:\n    get: {responses: {}}\n"},
        {"unquoted status", head + "  /a:\n    get:\n      responses:\n        404:\n"},
        {"duplicate path", head + "  /a:\n    get:\n  /a:\n"},
        {"duplicate method", head + "  /a:\n    get:\n    get:\n"},
        {"double-quoted $ref", head + "  /a:\n    get:\n      $ref: \"#/components/x/y\"\n"},
        {"no paths", "openapi: 3.1.0\ninfo:\n  title: x\n"},
    };
    for (const auto& [name, yaml] : bad) {
        EXPECT_FALSE(ReadOpenApiOutline(yaml)) << name << " was accepted";
    }
}

}  // namespace
}  // namespace gc::api
