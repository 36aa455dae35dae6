#include "core/error.hpp"

namespace gc::core {

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw ErrorException(e);
}

}  // namespace gc::core
