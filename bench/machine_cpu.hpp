// What the whole machine's CPUs did over an interval, from /proc/stat: the benchmark reports it
// beside each run so a reader can tell a slow run from a run that the host's other tenants
// (steal) or other processes slowed down.
#pragma once

namespace gc::bench {

// Cumulative seconds of CPU time, summed over all cores, since boot.
struct MachineCpu {
    double busy = 0;   // user, nice, system, irq, softirq (every process on the machine)
    double idle = 0;   // idle and iowait
    double steal = 0;  // time the hypervisor gave this machine's virtual CPUs to someone else
    double Total() const { return busy + idle + steal; }
};

// The "cpu" line of /proc/stat; all zero when it cannot be read.
MachineCpu ReadMachineCpu();

// b - a, field by field.
MachineCpu operator-(const MachineCpu& b, const MachineCpu& a);

}  // namespace gc::bench
