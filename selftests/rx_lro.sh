#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large receive offload, with GRO off on the receiver so that what a tap
# sees is what the device built: a bulk TCP transfer stays byte-exact in
# far fewer, larger skbs; crafted trains, one per flush rule, come out in
# the shape of the loose LRO rules (ack and window changes, IP ID jumps
# and unequal sizes merge; osim_train.py model --model lro) and move the
# rule's counter; LRO needs rx-checksumming and yields to rx-gro-hw; and
# the kernel turns it off when the device forwards (ip_forward,
# conf.all.forwarding, IPv6 forwarding) or joins a bridge.
#
#   +---- ns_a ----+                      +---- ns_b (router) ---+            +--- ns_c ---+
#   | osim_train   |                      |  osim_b  LRO, GRO off |            |            |
#   |   osim_a     |<==== offloadsim ====>|        (forwarding,   |<== veth ==>|   veth_c   |
#   | 192.0.2.1    |                      |  veth_r  then bridge) |            |            |
#   +--------------+                      +-----------------------+            +------------+
#    ns_a -> ns_b: bulk TCP and crafted trains; ns_a -> ns_c: routed, then
#    bridged TCP

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum sysctl
[ -n "$OSIM_PY" ] || ktap_skip_all "python3 not installed"

# NAME|FAMILIES|COUNTERS|TRAIN. COUNTERS: +NAME agg_flush_NAME moves,
# -NAME it does not.
CASES="
one aggregate|4 6|+poll|8x1000
PSH merged, then flush|4 6|+flags|3x1000 1000/psh 4x1000
FIN merged, then flush|4|+flags|3x1000 1000/fin 4x1000
URG not merged|4|+flags|3x1000 1000/urg 4x1000
RST not merged|4|+flags|3x1000 1000/rst 4x1000
SYN not merged|4|+flags|3x1000 1000/syn 4x1000
CWR starts a new aggregate|4|+flags|3x1000 1000/cwr 4x1000
ECE differs|4|+flags|3x1000 1000/ece 4x1000
ack change merged|4 6|-ack -flags|3x1000 1000/ack 4x1000
window change merged|4 6|-ack -flags|3x1000 1000/win 4x1000
timestamp change|4 6|+options|3x1000 1000/ts 4x1000
other option bytes|4|+options|3x1000 1000/opt 4x1000
TTL / hop limit change|4 6|+ip|3x1000 1000/ttl 4x1000
TOS / traffic class change|4|+ip|3x1000 1000/tos 4x1000
IPv4 DF cleared|4|+ip|3x1000 1000/nodf 4x1000
IPv4 ID jump merged|4|-ip|3x1000 1000/idjump 4x1000
unequal sizes merged|4 6|-mss|3x1000 500 1400 3x1000
sequence gap|4 6|+order|3x1000 1000/gap 4x1000
IPv4 options pass through|4|+ip|3x1000 1000/ipopt 4x1000
bad TCP checksum passes through|4|+order|3x1000 1000/badcsum 4x1000
64 KB limit|4|+size|50x1448
64 KB limit|6|+size|50x1428
"

ncases=$(osim_case_expand "$CASES" | wc -l)

ktap_header
ktap_plan $((ncases + 12))

setup_ns ns_a ns_b ns_c
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
osim_quiet_pair "$ns_a" "$ns_b" || ktap_bail "quiet pair setup failed"

tmp=$(mktemp -d /tmp/osim-rxlro.XXXXXX)
defer rm -rf "$tmp"

feat()
{
	osim_feature "$ns_b" osim_b "$1"
}

# Receiver: LRO on, GRO off (the result is the device's), rx-gro-hw off.
lro_on()
{
	in_ns "$ns_b" ethtool -K osim_b rx on gro off rx-gro-hw off lro on \
		>/dev/null 2>&1
	echo "lro $(feat large-receive-offload), gro $(feat generic-receive-offload)," \
		"rx-gro-hw $(feat rx-gro-hw)"
	[ "$(feat large-receive-offload)" = on ] &&
		[ "$(feat generic-receive-offload)" = off ] &&
		[ "$(feat rx-gro-hw)" = off ]
}
check "LRO on, GRO off on the receiver" lro_on

data=$(osim_random_file 20)
want=$(sha256sum <"$data" | cut -d' ' -f1)
c0=$(osim_rxq_snap "$ns_b" osim_b)

bulk()
{
	local got

	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$data")
	echo "sha256 $got"
	[ "$got" = "$want" ]
}
check "20 MB TCP byte-exact through LRO" bulk

# Frames that arrived vs skbs handed to the stack: aggregates replace
# their segments. Average aggregate well above one segment, and at least
# half of all frames aggregated.
bulk_counters()
{
	local c1 frames lp ls skbs

	c1=$(osim_rxq_snap "$ns_b" osim_b)
	frames=$(osim_snap_delta "$c0" "$c1" packets)
	lp=$(osim_snap_delta "$c0" "$c1" lro_packets)
	ls=$(osim_snap_delta "$c0" "$c1" lro_segments)
	skbs=$((frames - ls + lp))
	echo "frames $frames, lro_packets $lp, lro_segments $ls, skbs $skbs," \
		"hw_gro_packets $(osim_snap_delta "$c0" "$c1" hw_gro_packets)"
	[ "$lp" -gt 0 ] && [ "$ls" -ge $((4 * lp)) ] &&
		[ $((2 * ls)) -ge "$frames" ] &&
		[ "$(osim_snap_delta "$c0" "$c1" hw_gro_packets)" = 0 ]
}
check "far fewer, larger skbs: lro_segments / lro_packets >= 4" bulk_counters

# Crafted trains, one NAPI poll each.
defer ip netns exec "$ns_b" ethtool -C osim_b rx-usecs 0 rx-frames 0

verify()
{
	local out=$1 counters=$2 aggs segs c rc=0

	osim_case_ok "$out" || return 1
	aggs=$(osim_case_model "$out" aggs)
	segs=$(osim_case_model "$out" aggsegs)
	echo "moved: $(tr '\n' ' ' <"$out.delta")"
	echo "model: $aggs aggregates of $segs segments"
	if [ "$(osim_case_delta "$out" polls)" != 1 ]; then
		echo "the train did not land in one NAPI poll"
		rc=1
	fi
	osim_case_match "$out" || rc=1
	if [ "$(osim_case_delta "$out" lro_packets)" != "$aggs" ] ||
		[ "$(osim_case_delta "$out" lro_segments)" != "$segs" ]; then
		echo "lro_packets/segments differ from the model"
		rc=1
	fi
	if [ "$(osim_case_delta "$out" hw_gro_packets)" != 0 ]; then
		echo "hw_gro_packets moved"
		rc=1
	fi
	for c in $counters; do
		case $c in
		+*) [ "$(osim_case_delta "$out" "agg_flush_${c#+}")" -gt 0 ] ||
			{ echo "agg_flush_${c#+} did not move"; rc=1; } ;;
		-*) [ "$(osim_case_delta "$out" "agg_flush_${c#-}")" = 0 ] ||
			{ echo "agg_flush_${c#-} moved"; rc=1; } ;;
		esac
	done
	return "$rc"
}

# The cases, numbered: "N|FAM|TRAIN".
osim_case_expand "$CASES" | cut -d'|' -f1,2,5 >"$tmp/cases"
mkdir "$tmp/lro"
osim_train_batch "$ns_b" osim_b "$ns_a" osim_a "$tmp/lro" lro "$tmp/cases" ||
	ktap_msg "crafted trains: osim_train.py failed"

while IFS='|' read -r i fam name counters train; do
	check "IPv$fam $name: $train" verify "$tmp/lro/$i" "$counters"
done < <(osim_case_expand "$CASES")
in_ns "$ns_b" ethtool -C osim_b rx-usecs 0 rx-frames 0

# LRO needs rx-checksumming.
rx_off()
{
	in_ns "$ns_b" ethtool -K osim_b rx off >/dev/null 2>&1
	in_ns "$ns_b" ethtool -K osim_b lro on >/dev/null 2>&1
	echo "rx-checksumming $(feat rx-checksumming), lro $(feat large-receive-offload)"
	[ "$(feat rx-checksumming)" = off ] &&
		[ "$(feat large-receive-offload)" = off ]
}
check "rx-checksumming off: LRO off, and cannot be turned on" rx_off
in_ns "$ns_b" ethtool -K osim_b rx on >/dev/null 2>&1
ktap_msg "rx-checksumming back on: lro $(feat large-receive-offload)"

# LRO and rx-gro-hw: the core keeps rx-gro-hw.
both()
{
	in_ns "$ns_b" ethtool -K osim_b gro on lro on rx-gro-hw on >/dev/null 2>&1
	echo "lro $(feat large-receive-offload), rx-gro-hw $(feat rx-gro-hw)"
	[ "$(feat large-receive-offload)" = off ] && [ "$(feat rx-gro-hw)" = on ]
}
check "LRO and rx-gro-hw requested together: only rx-gro-hw" both

then_grohw()
{
	in_ns "$ns_b" ethtool -K osim_b rx-gro-hw off >/dev/null 2>&1
	in_ns "$ns_b" ethtool -K osim_b lro on >/dev/null 2>&1
	[ "$(feat large-receive-offload)" = on ] || { echo "lro did not come on"; return 1; }
	in_ns "$ns_b" ethtool -K osim_b rx-gro-hw on >/dev/null 2>&1
	echo "lro $(feat large-receive-offload), rx-gro-hw $(feat rx-gro-hw)"
	[ "$(feat large-receive-offload)" = off ] && [ "$(feat rx-gro-hw)" = on ]
}
check "rx-gro-hw turned on over LRO: LRO goes off" then_grohw

##############################################################################
# Forwarding: ns_b routes between osim_b and veth_r.

ip -n "$ns_b" link add veth_r type veth peer name veth_c netns "$ns_c" ||
	ktap_bail "veth setup failed"
ip -n "$ns_b" addr add 198.51.100.1/24 dev veth_r
ip -n "$ns_c" addr add 198.51.100.2/24 dev veth_c
ip -n "$ns_b" link set veth_r up
ip -n "$ns_c" link set veth_c up
ip -n "$ns_a" route add 198.51.100.0/24 via "$OSIM_IP4_B"
ip -n "$ns_c" route add default via 198.51.100.1

# lro_then SYSCTL: LRO on at osim_b, then SYSCTL=1 in ns_b turns it off.
lro_then()
{
	in_ns "$ns_b" ethtool -K osim_b rx-gro-hw off lro on >/dev/null 2>&1
	[ "$(feat large-receive-offload)" = on ] || { echo "lro did not come on"; return 1; }
	in_ns "$ns_b" sysctl -qw "$1=1" || return 1
	echo "$1=1: lro $(feat large-receive-offload)"
	[ "$(feat large-receive-offload)" = off ]
}

routed()
{
	local f got lp0

	lro_then net.ipv4.ip_forward || return 1
	lp0=$(osim_rxq_stat "$ns_b" osim_b lro_packets)
	f=$(osim_random_file 4)
	got=$(osim_tcp_transfer "$ns_a" "$ns_c" 198.51.100.2 "$f")
	echo "sha256 $got, lro_packets +$(($(osim_rxq_stat "$ns_b" osim_b lro_packets) - lp0))"
	[ "$got" = "$(sha256sum <"$f" | cut -d' ' -f1)" ] &&
		[ "$(osim_rxq_stat "$ns_b" osim_b lro_packets)" = "$lp0" ]
}
check "ip_forward=1 turns LRO off; routed 4 MB byte-exact, no LRO" routed

# The engine's frames reach ns_b with their TCP checksum owed
# (CHECKSUM_PARTIAL). Forwarded out of a device without TX checksum
# offload, the stack must complete it, and ns_c, whose veth does not
# verify for it, checks the result.
settled()
{
	local f got e0 e1

	in_ns "$ns_b" ethtool -K veth_r tx off >/dev/null || return 1
	e0=$(osim_nstat "$ns_c" TcpInCsumErrors)
	f=$(osim_random_file 4)
	got=$(osim_tcp_transfer "$ns_a" "$ns_c" 198.51.100.2 "$f")
	e1=$(osim_nstat "$ns_c" TcpInCsumErrors)
	in_ns "$ns_b" ethtool -K veth_r tx on >/dev/null
	echo "sha256 $got, ns_c TcpInCsumErrors +$((e1 - e0))"
	[ "$got" = "$(sha256sum <"$f" | cut -d' ' -f1)" ] && [ "$e1" = "$e0" ]
}
check "routed out without TX checksum offload: owed checksums completed, byte-exact" settled
in_ns "$ns_b" sysctl -qw net.ipv4.ip_forward=0

check "conf.all.forwarding=1 turns LRO off" lro_then net.ipv4.conf.all.forwarding
in_ns "$ns_b" sysctl -qw net.ipv4.conf.all.forwarding=0

check "IPv6 conf.all.forwarding=1 turns LRO off" lro_then net.ipv6.conf.all.forwarding
in_ns "$ns_b" sysctl -qw net.ipv6.conf.all.forwarding=0

# Bridge: osim_b and veth_r in br0, ns_a and ns_c on one segment.
bridged()
{
	local f got

	modprobe bridge 2>/dev/null
	ip -n "$ns_b" link add br0 type bridge || return 1
	ip -n "$ns_b" link set br0 up
	ip -n "$ns_b" addr flush dev osim_b
	ip -n "$ns_b" addr flush dev veth_r
	ip -n "$ns_c" addr add 192.0.2.3/24 dev veth_c
	in_ns "$ns_b" ethtool -K osim_b rx-gro-hw off lro on >/dev/null 2>&1
	[ "$(feat large-receive-offload)" = on ] || { echo "lro did not come on"; return 1; }
	ip -n "$ns_b" link set veth_r master br0 &&
		ip -n "$ns_b" link set osim_b master br0 || return 1
	echo "in br0: lro $(feat large-receive-offload)"
	[ "$(feat large-receive-offload)" = off ] || return 1
	f=$(osim_random_file 4)
	got=$(osim_tcp_transfer "$ns_a" "$ns_c" 192.0.2.3 "$f")
	echo "bridged sha256 $got"
	[ "$got" = "$(sha256sum <"$f" | cut -d' ' -f1)" ]
}
check "bridge port: LRO off; bridged 4 MB byte-exact" bridged

no_drops()
{
	osim_no_drops "$ns_b" osim_b &&
		[ "$(osim_rxq_stat "$ns_b" osim_b length_errors)" = 0 ]
}
check "nothing dropped or missed on osim_b" no_drops

ktap_finish
