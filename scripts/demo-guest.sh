#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, as it runs inside the test VM (scripts/demo.sh boots it; the
# selftest demo_smoke.sh runs it too): the LSO-MTU story in three phases of
# iperf3 through one offloadsim pair, with a live progress line, a closing
# table with a diagnosis per phase, a plot and one JSON file with it all.
#
#   +---------- A ----------+     switch     +---------- B ----------+
#   | osim0  192.0.2.1/24   |=== wire_mtu ==>| osim1  192.0.2.2/24   |
#   | MTU 1500, lso_mtu N   |   (on osim0)   | MTU 1500              |
#   | iperf3 -c             | ----- TCP ---> | iperf3 -s             |
#   +-----------------------+                +-----------------------+
#
#   healthy     lso_mtu 0, wire_mtu 0: the engine honours the MSS
#   the bug     lso_mtu 9000, wire_mtu 1500: the engine cuts 9000-byte
#               frames, the switch drops them silently
#   workaround  the bug, with ethtool -K osim0 tso off
#
# Usage: demo-guest.sh [-k MODULE.ko] [-s SECONDS] [-o OUTDIR] [-n NS_A,NS_B]
#   -k  the module to insmod (verify=0) when offloadsim is not loaded yet;
#       a loaded one is used as it is (default: $OSIM_KO, else
#       kernel/offloadsim.ko)
#   -s  seconds per phase (default 10)
#   -o  where the results go (default results/demo-<stamp>/): raw/ (one
#       JSON per phase), demo.json (everything), throughput.png and .gp
#   -n  two existing namespaces to use (default: made here, removed at exit)

set -eu
. "$(dirname "$0")/perf-lib.sh"

ko=${OSIM_KO:-$perf_top/kernel/offloadsim.ko}
secs=10
out=$perf_top/results/demo-$(date +%Y%m%d-%H%M%S)
ns_a=osim-demo-$$-a
ns_b=osim-demo-$$-b
while getopts k:s:o:n: opt; do
	case $opt in
	k) ko=$OPTARG ;;
	s) secs=$OPTARG ;;
	o) out=$OPTARG ;;
	n) ns_a=${OPTARG%,*}; ns_b=${OPTARG#*,} ;;
	*) perf_die "usage: $0 [-k KO] [-s SECONDS] [-o OUTDIR] [-n NS_A,NS_B]" ;;
	esac
done

trap perf_cleanup EXIT
mkdir -p "$out/raw"
perf_load "$ko"
perf_pair offloadsim "$ns_a" osim0 "$PERF_OSIM_A" "$ns_b" osim1 "$PERF_OSIM_B"

echo "offloadsim demo: the LSO engine MTU bug, measured with iperf3"
perf_banner
echo "Two namespaces joined by an offloadsim pair (osim0 -> osim1), MTU 1500;"
echo "three phases of $secs s:"
echo "  healthy      lso_mtu 0, wire_mtu 0: the engine cuts TSO packets at the MSS"
echo "  the bug      lso_mtu 9000, wire_mtu 1500: the engine cuts 9000-byte frames,"
echo "               a 1500-byte switch drops them silently"
echo "  workaround   the same bug, with ethtool -K osim0 tso off"
echo
perf_warmup "$ns_a" "$ns_b" "$PERF_OSIM_B"

n=0
for phase in healthy bug workaround; do
	n=$((n + 1))
	case $phase in
	healthy)
		title=healthy lso=0 wire=0
		perf_features offloadsim "$ns_a" osim0 ;;
	bug)
		title="the bug" lso=9000 wire=1500 ;;
	workaround)
		title="workaround (tso off)"
		perf_features offloadsim "$ns_a" osim0 tso off ;;
	esac
	perf_knobs "$ns_a" osim0 "$lso" "$wire"
	perf_run "$out/raw/$n-$phase.json" "$ns_a:osim0" "$ns_b:osim1" \
		"$PERF_OSIM_B" "$secs" 1 --live --label "$title" \
		--meta phase="$phase" --meta title="$title" \
		--meta lso_mtu="$lso" --meta wire_mtu="$wire"
done

python3 "$PERF_PY" demo-report "$out"
