#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: offloadsim next to veth and loopback, measured in the same VM
# boot with iperf3, rows interleaved. Boots $KERNEL in a throw-away QEMU VM
# and runs scripts/bench-guest.sh there (its header lists the rows and
# the devices).
#
# Usage: scripts/bench.sh
# Environment:
#   KERNEL=6.12       kernel series or full release to boot
#   BENCH_SECONDS=5   seconds per iperf3 run
#   BENCH_RUNS=3      runs per row (the report gives median and min-max)
#   BENCH_ROWS=REGEX  only the rows whose name matches (bench-guest.sh -l
#                     lists them), e.g. BENCH_ROWS='^osim-1500'
#
# Results in results/bench-<stamp>/: report.md (the ratios with their goals
# and PASS/MISS first, then every row), bench.csv (one line per row),
# runs.csv (one line per run), bench.json (everything), throughput.png and
# ratios.png, raw/ (one JSON per run: iperf3's output and the counters).
# A missed goal is reported, not an error: the exit status is 0 whenever
# the benchmark ran.

set -eu
. "$(dirname "$0")/perf-lib.sh"

secs=${BENCH_SECONDS:-5}
runs=${BENCH_RUNS:-3}
nrows=$(scripts/bench-guest.sh -l -f "${BENCH_ROWS:-}" | wc -l)
[ "$nrows" -gt 0 ] || exit 2

perf_vm bench $((nrows * runs * (secs + 20) + 300)) scripts/bench-guest.sh \
	-s "$secs" -r "$runs" -f "${BENCH_ROWS:-}"
