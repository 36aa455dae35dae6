#!/usr/bin/env bash
# Runs a test program in a network namespace of its own with only loopback up: whatever it
# connects to, nothing can leave the machine, even if the code under test has a bug. Tests that
# name non-loopback destinations (the egress guard's refusals of 169.254.169.254, say) run here.
set -euo pipefail
exec unshare --net -- /bin/sh -c 'ip link set lo up && exec "$@"' netns_run "$@"
