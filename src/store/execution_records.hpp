// Rows of the call log (executions).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/integration_records.hpp"

namespace gc::store {

struct ExecutionRecord {
    std::string id;
    std::string workspace_id;
    std::string user_id;
    std::string integration_id;
    std::string integration_name;
    std::string action_id;  // empty for a test call
    std::string kind;       // test | execute
    std::string method;
    std::string url;     // redacted
    std::string status;  // success | error
    std::optional<int> status_code;
    int attempts = 0;
    int duration_ms = 0;
    std::string error_code;
    std::string error_message;
    std::string created_at;
};

struct ExecutionFilter {
    std::string integration_id;  // empty: all
    std::string status;          // empty: all
    std::optional<ListPosition> after;
    int limit = 50;
};

}  // namespace gc::store
