#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A pair across two namespaces: moving ends, carrier, ping, counters.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   | 192.0.2.1/24 |                      | 192.0.2.2/24 |
#   | 2001:db8::1  |                      | 2001:db8::2  |
#   +--------------+                      +--------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd ping
ktap_header
ktap_plan 13

setup_ns ns_a ns_b

# --- move both ends after creation, and back
move_ends()
{
	ip link add osimM0 type offloadsim peer name osimM1 || return 1
	ip link set osimM0 netns "$ns_a" && ip link set osimM1 netns "$ns_b" &&
		link_exists "$ns_a" osimM0 && link_exists "$ns_b" osimM1 &&
		! link_exists osimM0 && ! link_exists osimM1 || return 1
	# Back to the initial namespace, then delete from there.
	ip -n "$ns_a" link set osimM0 netns 1 &&
		ip -n "$ns_b" link set osimM1 netns 1 &&
		link_exists osimM0 && link_exists osimM1 &&
		ip link del osimM1 && ! link_exists osimM0
}
check "move both ends to other namespaces and back" move_ends

# Deleting a namespace deletes the pair, even with the peer elsewhere.
ns_delete()
{
	local ns_tmp

	ns_tmp=$(mktemp -u osimtmp-XXXXXX)
	ip netns add "$ns_tmp" || return 1
	ip link add osimD0 netns "$ns_tmp" type offloadsim peer name osimD1 ||
		return 1
	link_exists osimD1 || return 1
	ip netns del "$ns_tmp"
	wait_for 5 osim_not link_exists osimD1
}
check "deleting a namespace deletes both ends" ns_delete

check "pair created with ends in two namespaces" osim_pair_ns "$ns_a" "$ns_b"

# --- ping, and the counters it moves
rx0=$(osim_link_stat "$ns_b" osim_b rx_packets)
tx0=$(osim_link_stat "$ns_a" osim_a tx_packets)
check "ping IPv4" in_ns "$ns_a" ping -c 5 -i 0.2 -W 2 "$OSIM_IP4_B"
check "ping IPv6" in_ns "$ns_a" ping -6 -c 5 -i 0.2 -W 2 "$OSIM_IP6_B"
check "ping IPv4 with 1472-byte payload" \
	in_ns "$ns_a" ping -c 3 -i 0.2 -W 2 -M do -s 1472 "$OSIM_IP4_B"

counters()
{
	local rx tx rxb txb

	rx=$(($(osim_link_stat "$ns_b" osim_b rx_packets) - rx0))
	tx=$(($(osim_link_stat "$ns_a" osim_a tx_packets) - tx0))
	echo "osim_a tx +$tx, osim_b rx +$rx"
	# 13 echo requests at least; ARP/ND and replies add a few.
	[ "$tx" -ge 13 ] && [ "$rx" -ge 13 ]
}
check "ip -s link counts the pings on both ends" counters

check "a's tx packets/bytes equal b's rx packets/bytes" \
	osim_counters_agree "$ns_a" osim_a "$ns_b" osim_b

ethtool_counters()
{
	local p r1 r2

	# Neighbour and MLD traffic may arrive between the reads.
	r1=$(osim_link_stat "$ns_b" osim_b rx_packets)
	p=$(osim_ethtool_stat "$ns_b" osim_b rx_queue_0_packets)
	r2=$(osim_link_stat "$ns_b" osim_b rx_packets)
	echo "rx_packets $r1, rx_queue_0_packets $p, rx_packets $r2"
	[ "$r1" -le "$p" ] && [ "$p" -le "$r2" ]
}
check "ethtool -S per-queue counters agree with ip -s link" ethtool_counters

check "no drops" \
	osim_no_drops "$ns_a" osim_a "$ns_b" osim_b

# --- carrier follows the peer's admin state
carrier()
{
	ip -n "$ns_b" link set osim_b down
	wait_for 5 osim_not osim_has_carrier "$ns_a" osim_a || return 1
	echo "a: $(ip -n "$ns_a" -br link show osim_a)"
	ip -n "$ns_b" link set osim_b up
	wait_for 5 osim_has_carrier "$ns_a" osim_a &&
		wait_for 5 osim_has_carrier "$ns_b" osim_b
}
check "carrier follows the peer's admin state" carrier

carrier_self()
{
	ip -n "$ns_a" link set osim_a down
	wait_for 5 osim_not osim_has_carrier "$ns_b" osim_b || return 1
	ip -n "$ns_a" link set osim_a up
	wait_for 5 osim_has_carrier "$ns_b" osim_b
}
check "peer loses carrier when this end goes down" carrier_self

ping_down()
{
	ip -n "$ns_b" link set osim_b down
	if in_ns "$ns_a" ping -c 1 -W 1 "$OSIM_IP4_B"; then
		echo "ping passed with the peer down"
		return 1
	fi
	ip -n "$ns_b" link set osim_b up
	wait_for 5 osim_has_carrier "$ns_a" osim_a &&
		in_ns "$ns_a" ping -c 1 -W 2 "$OSIM_IP4_B"
}
check "no traffic while the peer is down, traffic after it is up" ping_down

ktap_finish
