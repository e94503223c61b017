#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, as it runs inside the test VM (scripts/bench.sh boots it;
# the selftest bench_smoke.sh runs it too): iperf3 through an offloadsim
# pair, a veth pair and loopback, side by side in one boot, rows
# interleaved (run 1 of every row, then run 2, ...) so that drift of the
# machine hits every row alike.
#
#   +------- A --------+                       +------- B --------+
#   | osim0 192.0.2.1  |==== offloadsim =====> | osim1 192.0.2.2  |
#   +------------------+                       +------------------+
#   +------- VA -------+                       +------- VB -------+
#   | veth0 198.51.100.1 |====== veth =======> | veth1 198.51.100.2 |
#   +------------------+                       +------------------+
#   +------- L --------+
#   | lo 127.0.0.1: iperf3 -c and -s in one namespace (the ceiling)
#   +------------------+
#
# Every row sets its MTU on both ends, its offloads with ethtool -K on both
# ends (starting from the defaults of a fresh device) and the knobs of osim0
# (lso_mtu, wire_mtu), so rows do not depend on each other's order.
#
# Usage: bench-guest.sh [-k MODULE.ko] [-s SECONDS] [-r RUNS] [-f REGEX]
#                       [-o OUTDIR] [-n NS_A,NS_B] [-l]
#   -k  the module to insmod (verify=0) when offloadsim is not loaded yet;
#       a loaded one is used as it is (default: $OSIM_KO, else
#       kernel/offloadsim.ko)
#   -s  seconds per run (default 5)
#   -r  runs per row (default 3)
#   -f  only the rows whose name matches this extended regex
#   -o  where the results go (default results/bench-<stamp>/): report.md,
#       bench.csv, runs.csv, bench.json, throughput.png, ratios.png, raw/
#   -n  two existing namespaces for the offloadsim pair (default: made here;
#       every namespace made here is removed at exit)
#   -l  list the rows and exit

set -eu
. "$(dirname "$0")/perf-lib.sh"

# name                      device      MTU  streams ethtool -K ...   (lso_mtu wire_mtu after "|")
ROWS="
osim-1500                   offloadsim  1500 1
osim-1500-tso-off           offloadsim  1500 1 tso off
osim-1500-gso-off           offloadsim  1500 1 tso off gso off
osim-1500-gro-off           offloadsim  1500 1 gro off
osim-1500-lro               offloadsim  1500 1 rx-gro-hw off lro on
osim-1500-hw-gro            offloadsim  1500 1 rx-gro-hw on
osim-1500-tx-csum-off       offloadsim  1500 1 tx off
osim-1500-rx-csum-off       offloadsim  1500 1 rx off
osim-1500-lso-bug           offloadsim  1500 1 | 9000 1500
osim-1500-lso-bug-tso-off   offloadsim  1500 1 tso off | 9000 1500
osim-9000                   offloadsim  9000 1
osim-9000-tso-off           offloadsim  9000 1 tso off
osim-9000-lro               offloadsim  9000 1 rx-gro-hw off lro on
osim-1500-x4                offloadsim  1500 4
osim-1500-tso-off-x4        offloadsim  1500 4 tso off
osim-1500-lro-x4            offloadsim  1500 4 rx-gro-hw off lro on
veth-1500                   veth        1500 1
veth-1500-gro               veth        1500 1 gro on
veth-1500-gro-tso-off       veth        1500 1 gro on tso off
veth-9000-gro               veth        9000 1 gro on
veth-1500-gro-x4            veth        1500 4 gro on
lo                          lo          65536 1
lo-x4                       lo          65536 4
"

ko=${OSIM_KO:-$perf_top/kernel/offloadsim.ko}
secs=5
runs=3
filter=
out=$perf_top/results/bench-$(date +%Y%m%d-%H%M%S)
ns_a=osim-bench-$$-a
ns_b=osim-bench-$$-b
ns_va=osim-bench-$$-va
ns_vb=osim-bench-$$-vb
ns_l=osim-bench-$$-lo
list=0
while getopts k:s:r:f:o:n:l opt; do
	case $opt in
	k) ko=$OPTARG ;;
	s) secs=$OPTARG ;;
	r) runs=$OPTARG ;;
	f) filter=$OPTARG ;;
	o) out=$OPTARG ;;
	n) ns_a=${OPTARG%,*}; ns_b=${OPTARG#*,} ;;
	l) list=1 ;;
	*) perf_die "usage: $0 [-k KO] [-s SECONDS] [-r RUNS] [-f REGEX] [-o OUTDIR] [-n NS_A,NS_B] [-l]" ;;
	esac
done

rows=()
while read -r line; do
	[ -n "$line" ] || continue
	name=${line%% *}
	[ -z "$filter" ] || [[ $name =~ $filter ]] || continue
	rows+=("$line")
done <<<"$ROWS"
[ ${#rows[@]} -gt 0 ] || perf_die "no row matches '$filter'"
if [ "$list" = 1 ]; then
	printf '%s\n' "${rows[@]}"
	exit 0
fi

trap perf_cleanup EXIT
mkdir -p "$out/raw"
perf_load "$ko"

# The devices the selected rows need, once for the whole run.
kinds=" $(printf '%s\n' "${rows[@]}" | awk '{ print $2 }' | sort -u | tr '\n' ' ')"
case $kinds in *" offloadsim "*)
	perf_pair offloadsim "$ns_a" osim0 "$PERF_OSIM_A" "$ns_b" osim1 "$PERF_OSIM_B" ;;
esac
case $kinds in *" veth "*)
	perf_pair veth "$ns_va" veth0 "$PERF_VETH_A" "$ns_vb" veth1 "$PERF_VETH_B" ;;
esac
case $kinds in *" lo "*)
	perf_ns "$ns_l" ;;
esac

# What was last applied to each kind of device: a row only changes what
# differs from the row before (every exec costs in the TCG guest).
declare -A last_mtu=() last_feats=()

# bench_row LINE RUN ORDER: configure the row and measure it once.
bench_row()
{
	local name kind mtu streams feats knobs lso=0 wire=0 tx rx addr
	local -a f=()

	read -r name kind mtu streams feats <<<"$1"
	knobs=
	case $feats in *"|"*)
		knobs=${feats#*|}
		feats=${feats%|*}
		read -r lso wire <<<"$knobs"
		knobs="lso_mtu $lso, wire_mtu $wire" ;;
	esac
	feats=${feats% }
	# shellcheck disable=SC2206 # words
	f=($feats)
	case $kind in
	offloadsim)
		tx=$ns_a:osim0 rx=$ns_b:osim1 addr=$PERF_OSIM_B
		perf_knobs "$ns_a" osim0 "$lso" "$wire" ;;
	veth)
		tx=$ns_va:veth0 rx=$ns_vb:veth1 addr=$PERF_VETH_B ;;
	lo)
		tx=$ns_l:lo rx=$ns_l:lo addr=127.0.0.1 ;;
	esac
	if [ "$kind" != lo ] && [ "${last_feats[$kind]-x}" != "$feats" ]; then
		perf_features "$kind" "${tx%:*}" "${tx#*:}" "${f[@]}"
		perf_features "$kind" "${rx%:*}" "${rx#*:}" "${f[@]}"
		last_feats[$kind]=$feats
	fi
	if [ "$kind" != lo ] && [ "${last_mtu[$kind]-1500}" != "$mtu" ]; then
		perf_mtu "$mtu" "${tx%:*}" "${tx#*:}" "${rx%:*}" "${rx#*:}"
		perf_ping "${tx%:*}" "$addr"
		last_mtu[$kind]=$mtu
	fi
	perf_run "$out/raw/$name-$2.json" "$tx" "$rx" "$addr" "$secs" "$streams" \
		--label "$2/$runs $name" --meta row="$name" --meta run="$2" \
		--meta order="$3" --meta device="$kind" --meta mtu="$mtu" \
		--meta offloads="$feats" --meta knobs="$knobs" \
		--meta lso_mtu="$lso" --meta wire_mtu="$wire" \
		--meta filter="$filter"
}

echo "offloadsim bench: ${#rows[@]} rows x $runs runs x $secs s" \
	"(about $(((${#rows[@]} * runs * (secs + 3) + 59) / 60)) min)"
perf_banner
case $kinds in *" offloadsim "*)
	perf_warmup "$ns_a" "$ns_b" "$PERF_OSIM_B" ;;
esac
for run in $(seq 1 "$runs"); do
	i=0
	for line in "${rows[@]}"; do
		i=$((i + 1))
		bench_row "$line" "$run" "$i"
	done
done

python3 "$PERF_PY" bench-report "$out"
