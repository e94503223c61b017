#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench in small: scripts/bench-guest.sh with one offloadsim row and
# the LSO mismatch row, one 2-second run each, into a temporary directory.
# Its files must be there and well formed, and the mismatch row must count
# wire drops. No throughput or ratio is asserted.
#
#   +-------- ns_a --------+    switch     +-------- ns_b --------+
#   | osim0  192.0.2.1/24  |== wire_mtu ==>| osim1  192.0.2.2/24  |
#   | lso_mtu 0 or 9000    |  0 or 1500    |                      |
#   | iperf3 -c            | ---- TCP ---> | iperf3 -s            |
#   +----------------------+               +----------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd iperf3 gnuplot
ktap_header
ktap_plan 8

setup_ns ns_a ns_b
res=$(mktemp -d /tmp/osim-bench.XXXXXX)
defer rm -rf "$res"

check "bench-guest.sh runs osim-1500 and osim-1500-lso-bug once" \
	"$OSIM_TOP/scripts/bench-guest.sh" -s 2 -r 1 -f '^osim-1500(-lso-bug)?$' \
	-o "$res" -n "$ns_a,$ns_b"
check "bench.json parses: two rows, the LSO mismatch ratio measured" \
	osim_json_check "$res/bench.json" \
	'[r["row"] for r in d["rows"]] == ["osim-1500", "osim-1500-lso-bug"] and [r["verdict"] for r in d["ratios"] if r["denominator"] == "osim-1500" and r["numerator"] == "osim-1500-lso-bug"][0] in ("PASS", "MISS")'
check "bench.csv parses: one line per row" osim_csv_rows "$res/bench.csv" 2
check "runs.csv parses: one line per run" osim_csv_rows "$res/runs.csv" 2
ratios_first()
{
	grep -m1 '^## ' "$res/report.md" | grep -q Ratios &&
		grep -Eq '\*\*(PASS|MISS)\*\*' "$res/report.md"
}
check "report.md leads with the ratios and their verdicts" ratios_first
check "throughput.png is a PNG" osim_is_png "$res/throughput.png"
check "ratios.png is a PNG" osim_is_png "$res/ratios.png"
check "the LSO mismatch row counts wire drops" \
	osim_json_check "$res/bench.json" \
	'd["rows"][1]["wire_drops_median"] > 0 and d["rows"][0]["wire_drops_median"] == 0'

ktap_finish
