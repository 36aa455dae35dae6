#include "core/scope.hpp"

namespace gc::core {

const char* RoleName(Role role) {
    switch (role) {
        case Role::kOwner:
            return "owner";
        case Role::kAdmin:
            return "admin";
        case Role::kEditor:
            return "editor";
        case Role::kViewer:
            return "viewer";
    }
    return "viewer";
}

}  // namespace gc::core
