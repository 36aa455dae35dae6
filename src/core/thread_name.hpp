// Names the calling thread (as top -H, ps -L, perf and gdb show it), so an operator can tell
// the server's I/O thread from its workers, the outbound loop and the log writer.
#pragma once

namespace gc::core {

// name is cut to the kernel's 15 characters.
void NameThisThread(const char* name);

}  // namespace gc::core
