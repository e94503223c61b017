#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every combination of the receiver's generic-receive-offload,
# large-receive-offload, rx-gro-hw and rx-checksumming (16). The kernel
# coerces some (LRO and rx-gro-hw need rx-checksumming, rx-gro-hw wins
# over LRO; rx-gro-hw does not need GRO: its aggregates then go to
# netif_receive_skb()): ethtool -k must show exactly the
# contract's result. Each combination carries a 4 MB TCP transfer, IPv4
# and IPv6 alternating, byte-exact, and the receiver's counters agree with
# what is on: lro_* move if and only if LRO is on, hw_gro_* if and only if
# rx-gro-hw is on, csum_none with rx-checksumming off, nothing dropped.
#
#   +---- ns_a ----+                      +------- ns_b -------+
#   |   osim_a     |<==== offloadsim ====>|    osim_b          |
#   | socat client | ---- 4 MB TCP -----> | socat server       |
#   |              |                      | ethtool -K: 16 ways |
#   +--------------+                      +--------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum
ktap_header
ktap_plan 17

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

data=$(osim_random_file 4)
want=$(sha256sum <"$data" | cut -d' ' -f1)

feat()
{
	osim_feature "$ns_b" osim_b "$1"
}

# expect GRO LRO GROHW RX: "gro lro grohw rx" as the contract has them.
expect()
{
	local gro=$1 lro=$2 grohw=$3 rx=$4

	[ "$rx" = on ] || grohw=off
	[ "$rx" = on ] && [ "$grohw" = off ] || lro=off
	echo "$gro $lro $grohw $rx"
}

# combo GRO LRO GROHW RX FAM
combo()
{
	local gro=$1 lro=$2 grohw=$3 rx=$4 fam=$5 want_f got_f c0 c1 got addr rc=0
	local lp hp cn

	in_ns "$ns_b" ethtool -K osim_b gro "$gro" lro "$lro" rx-gro-hw "$grohw" \
		rx "$rx" >/dev/null 2>&1
	got_f="$(feat generic-receive-offload) $(feat large-receive-offload)"
	got_f="$got_f $(feat rx-gro-hw) $(feat rx-checksumming)"
	want_f=$(expect "$@")
	echo "requested gro $gro lro $lro rx-gro-hw $grohw rx $rx;" \
		"ethtool -k: $got_f (contract: $want_f)"
	[ "$got_f" = "$want_f" ] || rc=1
	# shellcheck disable=SC2086 # four words
	set -- $got_f

	addr=$OSIM_IP4_B
	[ "$fam" = 6 ] && addr=$OSIM_IP6_B
	c0=$(osim_rxq_snap "$ns_b" osim_b)
	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$addr" "$data")
	c1=$(osim_rxq_snap "$ns_b" osim_b)
	lp=$(osim_snap_delta "$c0" "$c1" lro_packets)
	hp=$(osim_snap_delta "$c0" "$c1" hw_gro_packets)
	cn=$(osim_snap_delta "$c0" "$c1" csum_none)
	echo "IPv$fam sha256 ${got:-none}; moved: $(osim_snap_delta "$c0" "$c1" | tr '\n' ' ')"
	[ "$got" = "$want" ] || { echo "transfer not byte-exact"; rc=1; }
	if [ "$2" = on ]; then
		[ "$lp" -gt 0 ] || { echo "LRO on, lro_packets did not move"; rc=1; }
	else
		[ "$lp" = 0 ] || { echo "LRO off, lro_packets moved"; rc=1; }
	fi
	if [ "$3" = on ]; then
		[ "$hp" -gt 0 ] || { echo "rx-gro-hw on, hw_gro_packets did not move"; rc=1; }
	else
		[ "$hp" = 0 ] || { echo "rx-gro-hw off, hw_gro_packets moved"; rc=1; }
	fi
	# (with rx-checksumming on, ARP and neighbour discovery count
	# csum_none too)
	if [ "$4" = off ]; then
		[ "$cn" -gt 0 ] || { echo "rx-checksumming off, csum_none did not move"; rc=1; }
	fi
	[ "$(osim_snap_delta "$c0" "$c1" csum_bad)" = 0 ] || { echo "csum_bad moved"; rc=1; }
	[ "$(osim_snap_delta "$c0" "$c1" missed)" = 0 ] || { echo "frames missed"; rc=1; }
	return "$rc"
}

n=0
for gro in on off; do
	for lro in on off; do
		for grohw in on off; do
			for rx in on off; do
				fam=$((n % 2 ? 6 : 4))
				n=$((n + 1))
				check "gro $gro lro $lro rx-gro-hw $grohw rx $rx, IPv$fam" \
					combo $gro $lro $grohw $rx $fam
			done
		done
	done
done

check "nothing dropped or missed" osim_no_drops "$ns_a" osim_a "$ns_b" osim_b

ktap_finish
