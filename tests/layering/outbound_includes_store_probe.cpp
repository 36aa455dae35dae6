// Compiled only by the layering_wrong_include_fails test, which expects it NOT to compile: outbound
// links core alone, so the store's header must not be visible to it.
#include "outbound/egress_guard.hpp"
#include "store/database.hpp"
