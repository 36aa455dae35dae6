#include "machine_cpu.hpp"

#include <unistd.h>

#include <fstream>
#include <string>

namespace gc::bench {

MachineCpu ReadMachineCpu() {
    std::ifstream in("/proc/stat");
    std::string label;
    // cpu  user nice system idle iowait irq softirq steal (guest and guest_nice are already
    // counted in user and nice)
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (!(in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) ||
        label != "cpu") {
        return {};
    }
    const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    return {.busy = (user + nice + system + irq + softirq) * tick,
            .idle = (idle + iowait) * tick,
            .steal = steal * tick};
}

MachineCpu operator-(const MachineCpu& b, const MachineCpu& a) {
    return {.busy = b.busy - a.busy, .idle = b.idle - a.idle, .steal = b.steal - a.steal};
}

}  // namespace gc::bench
