# cmake -DBUILD_DIR=<dir> -DTARGET=<target> -DEXPECT=<header> -P expect_compile_failure.cmake
# Passes when building TARGET fails because the compiler cannot find EXPECT, and only then: a
# probe that builds, or fails for another reason, fails the test.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled: a module can include a header it does not link")
endif()
string(FIND "${out}${err}" "${EXPECT}: No such file or directory" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${TARGET} failed for another reason than a missing ${EXPECT}:\n${out}${err}")
endif()
message(STATUS "${TARGET} does not compile: ${EXPECT} is not visible to it")
