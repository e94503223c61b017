#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo in small: scripts/demo-guest.sh with 2-second phases (healthy,
# the LSO-MTU bug, the tso-off workaround) into a temporary directory. Its
# files must be there and well formed, and the bug phase must count wire
# drops. No throughput is asserted: the VM is as fast as it is.
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
ktap_plan 7

setup_ns ns_a ns_b
res=$(mktemp -d /tmp/osim-demo.XXXXXX)
defer rm -rf "$res"

check "demo-guest.sh runs three 2-second phases" \
	"$OSIM_TOP/scripts/demo-guest.sh" -s 2 -o "$res" -n "$ns_a,$ns_b"
check "raw/: one JSON per phase" \
	test "$(ls "$res"/raw/*.json 2>/dev/null | wc -l)" = 3
check "demo.json parses: three phases, each with a summary, a series and a diagnosis" \
	osim_json_check "$res/demo.json" \
	'[p["meta"]["phase"] for p in d["phases"]] == ["healthy", "bug", "workaround"] and all(p["summary"]["series"] and p["diagnosis"] and p["after"]["sender"] for p in d["phases"])'
check "throughput.png is a PNG" osim_is_png "$res/throughput.png"
check "the bug phase counts wire drops" \
	osim_json_check "$res/demo.json" 'd["phases"][1]["summary"]["wire_drops"] > 0'
check "healthy and workaround phases: no wire drops" \
	osim_json_check "$res/demo.json" \
	'[d["phases"][i]["summary"]["wire_drops"] for i in (0, 2)] == [0, 0]'
pair_gone()
{
	! link_exists "$ns_a" osim0 && osim_module_loaded
}
check "the pair is gone, the module still loaded" pair_gone

ktap_finish
