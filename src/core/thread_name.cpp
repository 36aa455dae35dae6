#include "core/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace gc::core {

void NameThisThread(const char* name) {
    const std::string cut = std::string(name).substr(0, 15);
    pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace gc::core
