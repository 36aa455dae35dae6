# Generates embedded_openapi.cpp from docs/openapi.yaml: cmake -DSRC=<yaml> -DOUT=<cpp> -P this.
file(READ ${SRC} content)
file(WRITE ${OUT}.tmp "// Generated from docs/openapi.yaml. Do not edit.\n#include \"app/embedded_openapi.hpp\"\n\nnamespace gc::app {\nconst std::string_view kOpenApiYaml = R\"gcdoc(${content})gcdoc\";\n}  // namespace gc::app\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
