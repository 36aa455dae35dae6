// Rows of the custom-integration tables. JSON columns travel as serialized text.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct ActionRecord {
    std::string id;
    std::string action_id;
    std::string action_name;
    std::string description;
    std::string http_method;
    std::string endpoint;
    std::string parameters_json = "[]";
};

struct IntegrationRecord {
    std::string id;
    std::string workspace_id;
    std::string created_by;
    std::string name;
    std::string display_name;
    std::string description;
    std::string auth_type;
    std::string base_url;
    std::string auth_config_json = "{}";
    std::string oauth_config_json = "{}";
    std::string headers_json = "{}";
    std::string settings_json = "{}";
    std::string created_at;
    std::string updated_at;
    std::vector<ActionRecord> actions;
};

// A page of a list: `next_cursor` is empty when there is no next page.
struct IntegrationPage {
    std::vector<IntegrationRecord> items;
    std::string next_cursor;
};

// Where a page starts: after the row with this (created_at, id), newest first.
struct ListPosition {
    std::string created_at;
    std::string id;
};

struct IntegrationFilter {
    std::string name_contains;  // matched against name and display_name, case-insensitive
    std::optional<ListPosition> after;
    int limit = 50;
};

}  // namespace gc::store
