#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of scripts/bench-lso.sh.
#
#   +---- bench_a ----+     wire_mtu      +---- bench_b ----+
#   |  osim0  (MTU 1500, lso_mtu N) ====> osim1 (MTU 1500)  |
#   |  iperf3 -c      | ------ TCP -----> |   iperf3 -s     |
#   +-----------------+                   +-----------------+
#
# Usage: bench-lso-guest.sh MODULE.ko SECONDS OUTDIR

set -eu
ko=$1
secs=$2
out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
export IP_LIB_DIR=$top/tools/iproute2

cleanup()
{
	ip netns del bench_a 2>/dev/null || true
	ip netns del bench_b 2>/dev/null || true
	rmmod offloadsim 2>/dev/null || true
}
trap cleanup EXIT

insmod "$ko"
ip netns add bench_a
ip netns add bench_b
ip link add osim0 netns bench_a type offloadsim peer name osim1 netns bench_b
ip -n bench_a addr add 192.0.2.1/24 dev osim0
ip -n bench_b addr add 192.0.2.2/24 dev osim1
for ns in bench_a bench_b; do
	ip -n $ns link set lo up
done
ip -n bench_a link set osim0 up
ip -n bench_b link set osim1 up
sleep 1
ip netns exec bench_a ping -c 1 -W 5 192.0.2.2 >/dev/null

knob()
{
	ip netns exec bench_a sh -c "echo $2 > /sys/class/net/osim0/offloadsim/$1"
}

txstat()
{
	ip netns exec bench_a ethtool -S osim0 |
		awk -v n="_$1:" 'index($1, "tx_queue_") == 1 &&
			substr($1, length($1) - length(n) + 1) == n { s += $2 }
			END { print s + 0 }'
}

printf '%-11s %10s %8s %10s %10s %10s %8s\n' phase Mbit/s retrans wire_drops \
	tso_pkts tso_frames frm/pkt
for phase in healthy bug workaround; do
	case $phase in
	healthy) knob lso_mtu 0; knob wire_mtu 0 ;;
	bug) knob lso_mtu 9000; knob wire_mtu 1500 ;;
	workaround) ip netns exec bench_a ethtool -K osim0 tso off ;;
	esac
	d0=$(txstat wire_mtu_drops)
	p0=$(txstat tso_packets)
	f0=$(txstat tso_frames)
	ip netns exec bench_b iperf3 -s -1 -D -B 192.0.2.2 >/dev/null
	sleep 0.5
	ip netns exec bench_a iperf3 -c 192.0.2.2 -t "$secs" -J >"$out/$phase.json" || true
	d=$(($(txstat wire_mtu_drops) - d0))
	p=$(($(txstat tso_packets) - p0))
	f=$(($(txstat tso_frames) - f0))
	python3 - "$out/$phase.json" "$phase" "$d" "$p" "$f" <<'PY'
import json, sys
path, phase, d, p, f = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
try:
    e = json.load(open(path))["end"]["sum_sent"]
    mbit, rtx = e["bits_per_second"] / 1e6, e.get("retransmits", 0)
except Exception:
    mbit, rtx = 0.0, -1
print("%-11s %10.1f %8d %10d %10d %10d %8.1f" %
      (phase, mbit, rtx, d, p, f, f / p if p else 0))
PY
done
echo "raw iperf3 JSON: $out/"
