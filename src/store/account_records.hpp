// Rows of the account tables, as the repositories read and write them.
#pragma once

#include <optional>
#include <string>

namespace gc::store {

struct UserRecord {
    std::string id;
    std::string email;  // lower-cased
    std::string name;
    std::string password_hash;
    std::string created_at;
    std::string updated_at;
};

struct WorkspaceRecord {
    std::string id;
    std::string name;
    bool personal = false;
    std::string created_at;
};

struct MembershipRecord {
    std::string workspace_id;
    std::string workspace_name;
    std::string role;
};

struct SessionRecord {
    std::string id;
    std::string user_id;
    std::string workspace_id;
    std::string token_hash;
    std::string created_at;
    std::string expires_at;
};

struct ApiTokenRecord {
    std::string id;
    std::string user_id;
    std::string workspace_id;
    std::string name;
    std::string token_hash;
    std::string prefix;
    std::string created_at;
    std::optional<std::string> last_used_at;
};

// What authenticating a session or token yields: the user and their membership.
struct PrincipalRecord {
    UserRecord user;
    MembershipRecord membership;
    std::string credential_id;  // the session or token id
    std::string expires_at;     // sessions only
    std::string last_used_at;   // tokens only; "" when never used
};

}  // namespace gc::store
