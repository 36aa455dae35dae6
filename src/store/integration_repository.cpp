#include "store/integration_repository.hpp"

#include <map>

#include "core/random.hpp"

namespace gc::store {
namespace {

constexpr std::string_view kInsertIntegration =
    "INSERT INTO custom_integrations (id, workspace_id, created_by, name, display_name,"
    " description, auth_type, base_url, auth_config, oauth_config, headers, settings, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kUpdateIntegration =
    "UPDATE custom_integrations SET name = $3, display_name = $4, description = $5,"
    " auth_type = $6, base_url = $7, auth_config = $8, oauth_config = $9, headers = $10,"
    " settings = $11, updated_at = $12 WHERE workspace_id = $1 AND id = $2";
constexpr std::string_view kDeleteIntegration =
    "DELETE FROM custom_integrations WHERE workspace_id = $1 AND id = $2";
constexpr std::string_view kSelectColumns =
    "SELECT id, workspace_id, created_by, name, display_name, description, auth_type, base_url,"
    " auth_config, oauth_config, headers, settings, created_at, updated_at"
    " FROM custom_integrations";
constexpr std::string_view kNameTaken =
    "SELECT 1 FROM custom_integrations WHERE workspace_id = $1 AND name = $2 AND id <> $3";
constexpr std::string_view kInsertAction =
    "INSERT INTO custom_integration_actions (id, workspace_id, integration_id, position,"
    " action_id, action_name, description, http_method, endpoint, parameters, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
constexpr std::string_view kDeleteActions =
    "DELETE FROM custom_integration_actions WHERE workspace_id = $1 AND integration_id = $2";
constexpr std::string_view kSelectActions =
    "SELECT id, action_id, action_name, description, http_method, endpoint, parameters"
    " FROM custom_integration_actions WHERE workspace_id = $1 AND integration_id = $2"
    " ORDER BY position";

IntegrationRecord FromRow(const Row& r) {
    IntegrationRecord rec;
    rec.id = r.Text(0);
    rec.workspace_id = r.Text(1);
    rec.created_by = r.Text(2);
    rec.name = r.Text(3);
    rec.display_name = r.Text(4);
    rec.description = r.Text(5);
    rec.auth_type = r.Text(6);
    rec.base_url = r.Text(7);
    rec.auth_config_json = r.Text(8);
    rec.oauth_config_json = r.Text(9);
    rec.headers_json = r.Text(10);
    rec.settings_json = r.Text(11);
    rec.created_at = r.Time(12);
    rec.updated_at = r.Time(13);
    return rec;
}

void InsertActions(Tx& tx, const IntegrationRecord& rec) {
    std::int64_t position = 0;
    for (const auto& a : rec.actions) {
        tx.Exec(kInsertAction, {a.id.empty() ? core::NewUuid() : a.id, rec.workspace_id, rec.id,
                                position++, a.action_id, a.action_name, a.description,
                                a.http_method, a.endpoint, a.parameters_json, rec.updated_at});
    }
}

void LoadActions(Tx& tx, IntegrationRecord& rec) {
    rec.actions.clear();
    for (const Row& r : tx.Query(kSelectActions, {rec.workspace_id, rec.id})) {
        rec.actions.push_back(ActionRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                                           r.Text(5), r.Text(6)});
    }
}

// The same LIKE pattern on both backends: lower() on both sides, with % and _ escaped.
std::string ContainsPattern(const std::string& text) {
    std::string p = "%";
    for (char c : text) {
        const char lower = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (lower == '%' || lower == '_' || lower == '\\') {
            p += '\\';
        }
        p += lower;
    }
    return p + "%";
}

}  // namespace

void InsertIntegration(Tx& tx, const IntegrationRecord& rec) {
    tx.Exec(
        kInsertIntegration,
        {rec.id, rec.workspace_id, rec.created_by.empty() ? Param(nullptr) : Param(rec.created_by),
         rec.name, rec.display_name, rec.description, rec.auth_type, rec.base_url,
         rec.auth_config_json, rec.oauth_config_json, rec.headers_json, rec.settings_json,
         rec.created_at, rec.updated_at});
    InsertActions(tx, rec);
}

bool UpdateIntegration(Tx& tx, const IntegrationRecord& rec) {
    const auto changed =
        tx.Exec(kUpdateIntegration,
                {rec.workspace_id, rec.id, rec.name, rec.display_name, rec.description,
                 rec.auth_type, rec.base_url, rec.auth_config_json, rec.oauth_config_json,
                 rec.headers_json, rec.settings_json, rec.updated_at});
    if (changed == 0) {
        return false;
    }
    tx.Exec(kDeleteActions, {rec.workspace_id, rec.id});
    InsertActions(tx, rec);
    return true;
}

bool DeleteIntegration(Tx& tx, const std::string& workspace_id, const std::string& id) {
    return tx.Exec(kDeleteIntegration, {workspace_id, id}) > 0;
}

std::optional<IntegrationRecord> FindIntegration(Tx& tx, const std::string& workspace_id,
                                                 const std::string& id) {
    auto rows = tx.Query(std::string(kSelectColumns) + " WHERE workspace_id = $1 AND id = $2",
                         {workspace_id, id});
    if (rows.empty()) {
        return std::nullopt;
    }
    IntegrationRecord rec = FromRow(rows[0]);
    LoadActions(tx, rec);
    return rec;
}

bool IntegrationNameTaken(Tx& tx, const std::string& workspace_id, const std::string& name,
                          const std::string& except_id) {
    // A fresh uuid never matches, and keeps the parameter a valid uuid on PostgreSQL.
    const std::string except = except_id.empty() ? core::NewUuid() : except_id;
    return !tx.Query(kNameTaken, {workspace_id, name, except}).empty();
}

std::vector<IntegrationRecord> ListIntegrations(Tx& tx, const std::string& workspace_id,
                                                const IntegrationFilter& filter, bool& has_more) {
    std::string sql = std::string(kSelectColumns) + " WHERE workspace_id = $1";
    std::vector<Param> params{workspace_id};
    // Parameters are numbered as they are added: PostgreSQL refuses unused ones.
    auto next = [&params](Param p) {
        params.push_back(std::move(p));
        return "$" + std::to_string(params.size());
    };
    if (!filter.name_contains.empty()) {
        const std::string like = next(ContainsPattern(filter.name_contains));
        sql += " AND (lower(name) LIKE " + like + " ESCAPE '\\' OR lower(display_name) LIKE " +
               like + " ESCAPE '\\')";
    }
    if (filter.after) {
        const std::string at = next(filter.after->created_at);
        const std::string id = next(filter.after->id);
        sql += " AND (created_at < " + at + " OR (created_at = " + at + " AND id < " + id + "))";
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(filter.limit + 1);
    std::vector<IntegrationRecord> out;
    for (const Row& r : tx.Query(sql, params)) {
        out.push_back(FromRow(r));
    }
    has_more = int(out.size()) > filter.limit;
    if (has_more) {
        out.pop_back();
    }
    for (auto& rec : out) {
        LoadActions(tx, rec);
    }
    return out;
}

}  // namespace gc::store
