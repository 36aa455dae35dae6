// docs/openapi.yaml, compiled into the binary so /api/openapi.yaml needs no file at run time.
#pragma once

#include <string_view>

namespace gc::app {

extern const std::string_view kOpenApiYaml;

}  // namespace gc::app
