// Who is calling: the identity every service takes as its first argument.
#pragma once

#include <string>

namespace gc::core {

enum class Role { kOwner, kAdmin, kEditor, kViewer };
enum class AuthKind { kSession, kToken };

// Built only by the authentication middleware from a session cookie or an API token; never from
// anything the client names. workspace_id is the tenant every query is scoped to.
struct Scope {
    std::string user_id;
    std::string workspace_id;
    Role role = Role::kViewer;
    AuthKind auth = AuthKind::kSession;
    std::string session_id;  // set when auth == kSession

    bool CanWrite() const { return role != Role::kViewer; }
};

const char* RoleName(Role role);

}  // namespace gc::core
