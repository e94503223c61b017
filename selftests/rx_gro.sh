#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rx-gro-hw is software GRO done by the device: for crafted TCP trains, one
# per flush rule of tcp_gro_receive() / inet_gro_receive(), IPv4 and IPv6,
# what a packet tap on the receiver sees with rx-gro-hw on equals what it
# sees with software GRO alone, and both equal this test's model of
# software GRO (osim_train.py model --model gro). With rx-gro-hw on, the
# engine counts the aggregates (hw_gro_packets/segments) and the flush
# rule that cut them (agg_flush_*); with it off, none of them moves.
# Each train lands in one NAPI poll: rx-usecs 100000, rx-frames = its
# length.
#
#   +---- ns_a ----+                      +------- ns_b -------+
#   | osim_train   |                      | osim_train capture |
#   |   osim_a     |<==== offloadsim ====>|    osim_b          |
#   | (no IPv6,    | ---- TCP train ----> | GRO on, LRO off,   |
#   |  quiet)      |                      | rx-gro-hw off / on |
#   +--------------+                      +--------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
[ -n "$OSIM_PY" ] || ktap_skip_all "python3 not installed"

# NAME|FAMILIES|COUNTER|TRAIN: COUNTER is the agg_flush_* counter the rule
# moves with rx-gro-hw ("a+b": either; "-": none asserted). A segment
# after one that passed through breaks both the sequence and the IPv4 ID
# rule: either counter may be the one.
CASES="
one aggregate|4 6|poll|8x1000
PSH merged, then flush|4 6|flags|3x1000 1000/psh 4x1000
FIN merged, then flush|4|flags|3x1000 1000/fin 4x1000
URG not merged|4|flags|3x1000 1000/urg 4x1000
RST not merged|4|flags|3x1000 1000/rst 4x1000
SYN not merged|4|flags|3x1000 1000/syn 4x1000
CWR starts a new aggregate|4 6|flags|3x1000 1000/cwr 4x1000
ECE differs|4|flags|3x1000 1000/ece 4x1000
ack change|4 6|ack|3x1000 1000/ack 4x1000
window change|4 6|flags+ack|3x1000 1000/win 4x1000
timestamp change|4 6|options|3x1000 1000/ts 4x1000
other option bytes|4|options|3x1000 1000/opt 4x1000
TTL / hop limit change|4 6|ip|3x1000 1000/ttl 4x1000
TOS / traffic class change|4 6|ip|3x1000 1000/tos 4x1000
IPv4 ID jump|4|ip|3x1000 1000/idjump 4x1000
IPv4 DF cleared|4|ip|3x1000 1000/nodf 4x1000
IPv4 options pass through, the flow stays held|4|order|3x1000 1000/ipopt 4x1000
sequence gap|4 6|order|3x1000 1000/gap 4x1000
shorter segment ends the aggregate|4 6|mss|3x1000 500 4x1000
longer segment is not merged|4|mss|3x1000 1400 4x1000
no payload: not merged|4|-|3x1000 0 4x1000
bad TCP checksum passes through|4 6|order+ip|3x1000 1000/badcsum 4x1000
bad IPv4 header checksum passes through|4|order+ip|3x1000 1000/badipcsum 4x1000
64 KB limit|4|size|50x1448
64 KB limit|6|size|50x1428
"

ncases=$(osim_case_expand "$CASES" | wc -l)

ktap_header
ktap_plan $((ncases + 3))

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
osim_quiet_pair "$ns_a" "$ns_b" || ktap_bail "quiet pair setup failed"

tmp=$(mktemp -d /tmp/osim-rxgro.XXXXXX)
defer rm -rf "$tmp"
defer ip netns exec "$ns_b" ethtool -C osim_b rx-usecs 0 rx-frames 0

# features GRO_HW: set and verify the receiver's offloads.
features()
{
	in_ns "$ns_b" ethtool -K osim_b gro on lro off rx on rx-gro-hw "$1" \
		>/dev/null 2>&1
	[ "$(osim_feature "$ns_b" osim_b rx-gro-hw)" = "$1" ] &&
		[ "$(osim_feature "$ns_b" osim_b large-receive-offload)" = off ] &&
		[ "$(osim_feature "$ns_b" osim_b generic-receive-offload)" = on ]
}

delta()
{
	osim_case_delta "$tmp/$1" "$2"
}

# agg_moved TAG: the sum of every agg_flush_*, hw_gro_* and lro_* delta.
agg_moved()
{
	awk '$1 ~ /^(agg_flush_|hw_gro_|lro_)/ { s += $2 } END { print s + 0 }' \
		"$tmp/$1.delta"
}

# The cases, numbered: "N|FAM|TRAIN".
osim_case_expand "$CASES" | cut -d'|' -f1,2,5 >"$tmp/cases"
mkdir "$tmp/sw" "$tmp/hw"

# Pass 1: software GRO only. Pass 2: rx-gro-hw.
check "rx-gro-hw off, LRO off, GRO on" features off
osim_train_batch "$ns_b" osim_b "$ns_a" osim_a "$tmp/sw" gro "$tmp/cases" ||
	ktap_msg "pass 1 (software GRO) failed"
check "rx-gro-hw on" features on
osim_train_batch "$ns_b" osim_b "$ns_a" osim_a "$tmp/hw" gro "$tmp/cases" ||
	ktap_msg "pass 2 (rx-gro-hw) failed"

# verify I COUNTER: the checks of case I.
verify()
{
	local i=$1 counter=$2 aggs segs c n rc=0

	osim_case_ok "$tmp/sw/$i" && osim_case_ok "$tmp/hw/$i" || return 1
	aggs=$(osim_case_model "$tmp/hw/$i" aggs)
	segs=$(osim_case_model "$tmp/hw/$i" aggsegs)
	echo "software GRO: moved: $(tr '\n' ' ' <"$tmp/sw/$i.delta")"
	echo "rx-gro-hw: moved: $(tr '\n' ' ' <"$tmp/hw/$i.delta")"
	echo "model: $aggs aggregates of $segs segments"
	if [ "$(delta "sw/$i" polls)" != 1 ] || [ "$(delta "hw/$i" polls)" != 1 ]; then
		echo "the train did not land in one NAPI poll"
		rc=1
	fi
	if ! diff -u "$tmp/sw/$i.cap" "$tmp/hw/$i.cap" >"$tmp/d"; then
		echo "software GRO (-) vs rx-gro-hw (+):"
		head -14 "$tmp/d"
		rc=1
	fi
	# both passes have the same model: compare it with pass 1
	osim_case_match "$tmp/sw/$i" || rc=1
	if [ "$(agg_moved "sw/$i")" != 0 ]; then
		echo "software GRO run moved engine counters"
		rc=1
	fi
	if [ "$(delta "hw/$i" hw_gro_packets)" != "$aggs" ] ||
		[ "$(delta "hw/$i" hw_gro_segments)" != "$segs" ]; then
		echo "hw_gro_packets/segments differ from the model"
		rc=1
	fi
	if [ "$(($(delta "hw/$i" lro_packets) + $(delta "hw/$i" lro_segments)))" != 0 ]; then
		echo "lro counters moved"
		rc=1
	fi
	case $counter in
	-) ;;
	*)
		c=0
		for n in ${counter//+/ }; do
			c=$((c + $(delta "hw/$i" "agg_flush_$n")))
		done
		[ "$c" -gt 0 ] || { echo "agg_flush_{$counter} did not move"; rc=1; }
		;;
	esac
	return "$rc"
}

while IFS='|' read -r i fam name counter train; do
	check "IPv$fam $name: $train" verify $i "$counter"
done < <(osim_case_expand "$CASES")

no_drops()
{
	osim_no_drops "$ns_b" osim_b &&
		[ "$(osim_rxq_stat "$ns_b" osim_b length_errors)" = 0 ]
}
check "nothing dropped or missed" no_drops

ktap_finish
