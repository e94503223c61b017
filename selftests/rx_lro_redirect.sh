#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LRO aggregates that leave through another device. The kernel turns LRO
# off when a device forwards or joins a bridge (dev_disable_lro()), but
# not when tc mirred redirects what it receives: the aggregates then go
# out of osim_c as GSO packets, CHECKSUM_UNNECESSARY, some with a
# frag_list. osim_c's engine segments those it can (TSO); the stack's
# software GSO (skb_segment()) cuts those with a frag_list, and everything
# with TSO off. Both cut at the aggregate's gso_size, the first segment's
# payload, so what leaves is not always the packets that came in (the
# reason the kernel turns LRO off for forwarding), but every byte must get
# out, no aggregate may be dropped as malformed, and nothing may crash:
# skb_segment() BUG()s on a chained segment with linear payload longer
# than gso_size or not starting at a multiple of it, which LRO must
# therefore never build.
#
#   +-- ns_a --+                    +------------- ns_r --------------+                    +-- ns_d --+
#   | osim_a   |<=== offloadsim ===>| osim_b  LRO on, GRO off          |                    |          |
#   | .1       |                    |   ingress: mirred egress osim_c  |                    |          |
#   | inject,  |                    | osim_c  TSO on, then off         |<=== offloadsim ===>| osim_d   |
#   | TCP src  |                    |   ingress: mirred egress osim_b  |                    | .2       |
#   +----------+                    +----------------------------------+                    +----------+

source "$(dirname "$0")/lib.sh"

OSIM_INJECT=$OSIM_TOP/tools/inject/osim_inject
OSIM_CAPCHECK=$OSIM_TOP/tools/capcheck/osim_capcheck
PORT=5001

osim_setup
require_cmd tc ping socat ss sha256sum sysctl
[ -x "$OSIM_INJECT" ] && [ -x "$OSIM_CAPCHECK" ] ||
	ktap_skip_all "tools not built (make tools)"
setup_ns ns_a ns_r ns_d
osim_ns_quiet "$ns_a" "$ns_r" "$ns_d" || ktap_bail "sysctl failed"
for ns in "$ns_a" "$ns_r" "$ns_d"; do
	in_ns "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 ||
		ktap_bail "sysctl failed"
done
ip link add osim_a netns "$ns_a" type offloadsim peer name osim_b netns "$ns_r" &&
	ip link add osim_c netns "$ns_r" type offloadsim peer name osim_d netns "$ns_d" ||
	ktap_bail "pair setup failed"
ip -n "$ns_a" addr add "$OSIM_IP4_A/24" dev osim_a
ip -n "$ns_d" addr add "$OSIM_IP4_B/24" dev osim_d
mac_a=$(in_ns "$ns_a" cat /sys/class/net/osim_a/address)
mac_d=$(in_ns "$ns_d" cat /sys/class/net/osim_d/address)
ip -n "$ns_a" neigh replace "$OSIM_IP4_B" lladdr "$mac_d" dev osim_a nud permanent &&
	ip -n "$ns_d" neigh replace "$OSIM_IP4_A" lladdr "$mac_a" dev osim_d nud permanent ||
	ktap_bail "neighbour setup failed"
for dev in osim_b osim_c; do
	other=osim_b
	[ $dev = osim_b ] && other=osim_c
	tc -n "$ns_r" qdisc add dev $dev clsact &&
		tc -n "$ns_r" filter add dev $dev ingress matchall \
			action mirred egress redirect dev $other ||
		ktap_skip_all "tc clsact/matchall/mirred not available"
	ip -n "$ns_r" link set $dev up
done
ip -n "$ns_a" link set osim_a up
ip -n "$ns_d" link set osim_d up

ktap_header
ktap_plan 7
wait_for 5 osim_has_carrier "$ns_a" osim_a &&
	wait_for 5 osim_has_carrier "$ns_d" osim_d || ktap_bail "no carrier"

tmp=$(mktemp -d /tmp/osim-redirect.XXXXXX)
defer rm -rf "$tmp"

rxq_b()
{
	osim_rxq_stat "$ns_r" osim_b "$1"
}

malformed_c()
{
	osim_txq_stat "$ns_r" osim_c malformed
}

path_up()
{
	in_ns "$ns_r" ethtool -K osim_b rx on gro off rx-gro-hw off lro on \
		>/dev/null 2>&1
	[ "$(osim_feature "$ns_r" osim_b large-receive-offload)" = on ] &&
		[ "$(osim_feature "$ns_r" osim_b generic-receive-offload)" = off ] &&
		in_ns "$ns_a" ping -q -c 3 -i 0.2 -W 2 "$OSIM_IP4_B"
}
check "osim_b LRO on, GRO off; pings cross the redirects both ways" path_up

# --- crafted trains, linear (the whole frame in the skb's head, as
# AF_PACKET sends small frames), each in one NAPI poll of osim_b: LRO
# makes one aggregate of each, osim_c cuts it at its gso_size (the first
# segment's payload), and every payload byte arrives at osim_d.
# train FIRST PAYLOAD COUNT FRAMES: a first segment of FIRST payload bytes,
# then COUNT - 1 of PAYLOAD; osim_d must see FRAMES frames of at most FIRST.
train()
{
	local first=$1 payload=$2 count=$3 frames=$4
	local l0 s0 f0 m0 cap=$tmp/train pid rc=0

	in_ns "$ns_d" ethtool -K osim_d gro off || return 1
	in_ns "$ns_r" ethtool -C osim_b rx-usecs 100000 rx-frames "$count" ||
		return 1
	rm -f "$cap.ready"
	in_ns "$ns_d" "$OSIM_CAPCHECK" --dev osim_d --dir in --port "$PORT" \
		--mss "$first" --verify-payload --count "$frames" --seconds 30 \
		--ready "$cap.ready" >"$cap" 2>&1 &
	pid=$!
	wait_for 10 test -e "$cap.ready" || return 1
	l0=$(rxq_b lro_packets)
	s0=$(rxq_b lro_segments)
	f0=$(rxq_b agg_flush_mss)
	m0=$(malformed_c)
	in_ns "$ns_a" "$OSIM_INJECT" --dev osim_a --dst-mac "$mac_d" \
		--dport "$PORT" --vnet --linear --first-payload "$first" \
		--payload "$payload" --count "$count" || rc=1
	wait "$pid"
	in_ns "$ns_r" ethtool -C osim_b rx-usecs 0 rx-frames 1
	in_ns "$ns_d" ethtool -K osim_d gro on
	grep -E '^(tcp_frames|max_payload|over_mss|l4_csum_bad|payload_)' "$cap"
	echo "osim_b lro_packets +$(($(rxq_b lro_packets) - l0))," \
		"lro_segments +$(($(rxq_b lro_segments) - s0))," \
		"agg_flush_mss +$(($(rxq_b agg_flush_mss) - f0));" \
		"osim_c malformed +$(($(malformed_c) - m0))"
	[ $rc = 0 ] && grep -qx "tcp_frames=$frames" "$cap" &&
		grep -qx "max_payload=$first" "$cap" &&
		grep -qx 'over_mss=0' "$cap" && grep -qx 'l4_csum_bad=0' "$cap" &&
		grep -qx "payload_checked=$frames" "$cap" &&
		grep -qx 'payload_bad=0' "$cap" &&
		[ $(($(rxq_b lro_packets) - l0)) = 1 ] &&
		[ $(($(rxq_b lro_segments) - s0)) = "$count" ] &&
		[ $(($(rxq_b agg_flush_mss) - f0)) = 0 ] &&
		[ "$(malformed_c)" = "$m0" ]
}
# Equal segments are chained on the frag_list; osim_c has no
# NETIF_F_FRAGLIST, so software GSO cuts the aggregate: the 3 frames sent.
check "3 x 1400 linear: chained, cut by software GSO into the 3 sent" \
	train 1400 1400 3 3
# A longer segment behind a shorter one could not be chained where
# skb_segment() can cut (that was a BUG_ON() there): its payload is
# copied into a page frag, and osim_c's TSO cuts the aggregate at 100.
check "100 + 2 x 1400 linear: one aggregate, out as 29 frames of 100" \
	train 100 1400 3 29

# --- TCP through the redirect
data=$(osim_random_file 4)
want=$(sha256sum <"$data" | cut -d' ' -f1)

xfer()
{
	local l0 m0 got tso l m

	l0=$(rxq_b lro_packets)
	m0=$(malformed_c)
	got=$(OSIM_PORT=$PORT osim_tcp_transfer "$ns_a" "$ns_d" "$OSIM_IP4_B" \
		"$data") || return 1
	tso=$(osim_feature "$ns_r" osim_c tcp-segmentation-offload)
	l=$(($(rxq_b lro_packets) - l0))
	m=$(($(malformed_c) - m0))
	echo "sha256 $got (want $want); osim_b lro_packets +$l;" \
		"osim_c tso $tso, malformed +$m"
	[ "$got" = "$want" ] && [ "$l" -gt 0 ] && [ "$m" = 0 ]
}
check "4 MB TCP, osim_c TSO on: byte-exact, aggregates segmented, none malformed" \
	xfer

tso_off()
{
	in_ns "$ns_r" ethtool -K osim_c tso off &&
		[ "$(osim_feature "$ns_r" osim_c tcp-segmentation-offload)" = off ]
}
check "ethtool -K osim_c tso off" tso_off
check "4 MB TCP, osim_c TSO off (software GSO of every aggregate): byte-exact" \
	xfer

# The same train and stream went through; nothing left on osim_c's
# drop counters either.
no_drops()
{
	local d

	d=$(osim_txq_stat "$ns_r" osim_c dropped)
	echo "osim_c tx dropped $d"
	[ "$d" = 0 ]
}
check "osim_c dropped nothing" no_drops

ktap_finish
