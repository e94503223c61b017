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
# 4-tuple; the test probes which source port lands on the queue ICMP does
# not use.

source "$(dirname "$0")/lib.sh"

OSIM_INJECT=$OSIM_TOP/tools/inject/osim_inject
NAPI_BUDGET=64
FLOOD_BATCH=2000
PINGS=40

osim_setup
require_cmd ping
[ -x "$OSIM_INJECT" ] || ktap_skip_all "tools not built (make tools)"
ktap_header
ktap_plan 5

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
in_ns "$ns_b" ethtool -L osim_b combined 2 || ktap_bail "ethtool -L failed"
mac_b=$(in_ns "$ns_b" cat /sys/class/net/osim_b/address)

rxq()
{
	osim_ethtool_stat "$ns_b" osim_b "rx_queue_$1_$2"
}

# The queue whose packet counter moved by at least $3 since "$1 $2".
moved_queue()
{
	local b0=$1 b1=$2 min=$3

	if [ $(($(rxq 0 packets) - b0)) -ge "$min" ]; then
		echo 0
	elif [ $(($(rxq 1 packets) - b1)) -ge "$min" ]; then
		echo 1
	fi
}

b0=$(rxq 0 packets)
b1=$(rxq 1 packets)
in_ns "$ns_a" ping -q -c 3 -i 0.2 "$OSIM_IP4_B" >/dev/null
ping_q=$(moved_queue "$b0" "$b1" 3)
flood_q=
sport=
for port in $(seq 40000 40040); do
	b0=$(rxq 0 packets)
	b1=$(rxq 1 packets)
	in_ns "$ns_a" "$OSIM_INJECT" --dev osim_a --proto udp4 \
		--dst-mac "$mac_b" --sport "$port" --dport 9 --count 4 >/dev/null
	q=$(moved_queue "$b0" "$b1" 4)
	if [ -n "$q" ] && [ "$q" != "$ping_q" ]; then
		flood_q=$q
		sport=$port
		break
	fi
done
echo "# ICMP lands on RX queue $ping_q, UDP from port $sport on $flood_q"
check "RSS puts the flood and the pings on different queues" \
	test -n "$ping_q" -a -n "$flood_q"
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
