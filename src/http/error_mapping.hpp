// The one table from ErrorCode to HTTP status; the JSON "code" clients see is core::ErrorCodeName.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace gc::http {

struct HttpError {
    int status;
    std::string_view code;
};

HttpError MapError(core::ErrorCode code);

}  // namespace gc::http
