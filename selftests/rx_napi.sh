#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAPI per RX queue: a poll never takes more frames than its budget, and a
# flood on one queue does not starve another.
#
#   +----- ns_a -----+                      +------ ns_b ------+
#   |    osim_a      |<==== offloadsim ====>|    osim_b        |
#   | osim_inject    | -- UDP flood ------> | RX queue F       |
#   | (AF_PACKET)    |                      |                  |
#   | ping           | -- ICMP -----------> | RX queue P != F  |
#   +----------------+                      +------------------+
#
# RSS decides the queues: ICMP hashes the address pair, the flood the UDP
# 4-tuple; toeplitz.py picks a source port that lands on the queue ICMP
# does not use, and the test checks the prediction first.

source "$(dirname "$0")/lib.sh"

OSIM_INJECT=$OSIM_TOP/tools/inject/osim_inject
NAPI_BUDGET=64
FLOOD_BATCH=2000
PINGS=40

osim_setup
require_cmd ping python3
[ -x "$OSIM_INJECT" ] || ktap_skip_all "tools not built (make tools)"
ktap_header
ktap_plan 5

# Counters must move only with the test's own traffic: IPv4 only, quiet.
setup_ns ns_a ns_b
osim_ipv4_pair "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
in_ns "$ns_b" ethtool -L osim_b combined 2 || ktap_bail "ethtool -L failed"
mac_b=$(in_ns "$ns_b" cat /sys/class/net/osim_b/address)
tmp=$(mktemp -d /tmp/osim-napi.XXXXXX)
defer rm -rf "$tmp"

rxq()
{
	osim_ethtool_stat "$ns_b" osim_b "rx_queue_$1_$2"
}

# Where RSS puts the pings (ICMP: the address pair) and the first UDP
# source port from 40000 whose 4-tuple lands on another queue: computed
# with selftests/toeplitz.py from the key and table ethtool -x shows.
in_ns "$ns_b" ethtool -x osim_b >"$tmp/x" || ktap_bail "ethtool -x failed"
read -r ping_q flood_q sport < <(python3 -S - "$OSIM_LIB_DIR" "$tmp/x" \
	"$OSIM_IP4_A" "$OSIM_IP4_B" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import toeplitz as t
_, table, key = t.read_x(sys.argv[2])
src, dst = sys.argv[3], sys.argv[4]
ping_q = table[t.rss_hash(key, src, dst) % len(table)]
for port in range(40000, 41000):
    q = table[t.rss_hash(key, src, dst, port, 9) % len(table)]
    if q != ping_q:
        print(ping_q, q, port)
        break
PY
)
echo "# ICMP lands on RX queue $ping_q, UDP from port $sport on $flood_q"

# The prediction holds: 5 pings and 5 datagrams land where computed.
predicted()
{
	local p0 f0

	p0=$(rxq "$ping_q" packets)
	f0=$(rxq "$flood_q" packets)
	in_ns "$ns_a" ping -q -c 5 -i 0.1 "$OSIM_IP4_B" >/dev/null || return 1
	[ $(($(rxq "$ping_q" packets) - p0)) -eq 5 ] &&
		[ "$(rxq "$flood_q" packets)" -eq "$f0" ] || return 1
	in_ns "$ns_a" "$OSIM_INJECT" --dev osim_a --proto udp4 \
		--dst-mac "$mac_b" --sport "$sport" --dport 9 --count 5 >/dev/null
	[ $(($(rxq "$flood_q" packets) - f0)) -eq 5 ]
}
check "RSS puts the flood and the pings on different queues" predicted
[ -n "$flood_q" ] || ktap_bail "no source port found for the other queue"

fp0=$(rxq "$flood_q" packets)
pp0=$(rxq "$ping_q" packets)
# The flood runs until the pings are done.
flooder()
{
	while :; do
		in_ns "$ns_a" "$OSIM_INJECT" --dev osim_a --proto udp4 \
			--dst-mac "$mac_b" --sport "$sport" --dport 9 \
			--payload 1000 --count "$FLOOD_BATCH" >/dev/null || break
	done
}
flooder &
flood=$!
defer kill "$flood" 2>/dev/null
sleep 0.5

pings_answered()
{
	local out

	out=$(in_ns "$ns_a" ping -c "$PINGS" -i 0.05 -W 10 "$OSIM_IP4_B")
	echo "$out" | tail -n 2 | sed 's/^/# /'
	echo "$out" | grep -q " $PINGS received"
}
check "all $PINGS pings answered during the flood" pings_answered
kill "$flood"
wait "$flood" 2>/dev/null

flood_seen()
{
	local got=$(($(rxq "$flood_q" packets) - fp0))

	echo "# flood queue $flood_q took $got frames, missed $(rxq "$flood_q" missed)"
	[ "$got" -ge "$FLOOD_BATCH" ]
}
check "the flood reached its queue while the pings ran" flood_seen

ping_queue_clean()
{
	local got=$(($(rxq "$ping_q" packets) - pp0))

	echo "# ping queue $ping_q took $got frames, missed $(rxq "$ping_q" missed)"
	[ "$got" -ge "$PINGS" ] && [ "$(rxq "$ping_q" missed)" -eq 0 ]
}
check "the ping queue lost nothing" ping_queue_clean

within_budget()
{
	local q packets polls

	for q in 0 1; do
		packets=$(rxq "$q" packets)
		polls=$(rxq "$q" polls)
		echo "# queue $q: $packets frames in $polls polls"
		[ "$packets" -le $((polls * NAPI_BUDGET)) ] || return 1
	done
}
check "no poll took more than its budget of $NAPI_BUDGET frames" within_budget

ktap_finish
