#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bulk TCP through a pair arrives byte-exact, over IPv4 and IPv6.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   | 192.0.2.1    |                      |    192.0.2.2 |
#   | socat client | ---- 50 MB TCP ----> | socat server |
#   +--------------+                      +--------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat sha256sum ss tc nstat
ktap_header
ktap_plan 6

: "${OSIM_XFER_MB:=50}"

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

src=$(mktemp /tmp/osim-tx.XXXXXX)
defer rm -f "$src"
head -c "$((OSIM_XFER_MB * 1024 * 1024))" /dev/urandom >"$src"
want=$(sha256sum <"$src" | cut -d' ' -f1)
ktap_msg "payload: $OSIM_XFER_MB MB, sha256 $want"

tx_bytes0=$(osim_link_stat "$ns_a" osim_a tx_bytes)

xfer()
{
	local got

	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$1" "$src") || return 1
	echo "received sha256 $got"
	[ "$got" = "$want" ]
}
check "$OSIM_XFER_MB MB over TCP/IPv4 arrives byte-exact" xfer "$OSIM_IP4_B"
check "$OSIM_XFER_MB MB over TCP/IPv6 arrives byte-exact" xfer "$OSIM_IP6_B"

bytes_moved()
{
	local moved=$(($(osim_link_stat "$ns_a" osim_a tx_bytes) - tx_bytes0))

	echo "osim_a tx_bytes +$moved"
	[ "$moved" -ge $((2 * OSIM_XFER_MB * 1024 * 1024)) ]
}
check "tx_bytes covers both transfers" bytes_moved

check "a's tx and b's rx counters agree" \
	osim_counters_agree "$ns_a" osim_a "$ns_b" osim_b

# Retransmissions of frames the receiver's GRO merged: the receiver must
# never share a frame's frag table with the skb TCP keeps for
# retransmission (a NIC DMAs into fresh buffers).
lossy()
{
	local f got

	in_ns "$ns_a" tc qdisc add dev osim_a root netem loss 2% || return 1
	in_ns "$ns_a" ethtool -K osim_a tso off gso off
	f=$(osim_random_file 8)
	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$f")
	in_ns "$ns_a" ethtool -K osim_a tso on gso on
	in_ns "$ns_a" tc qdisc del dev osim_a root
	echo "TcpRetransSegs $(osim_nstat "$ns_a" TcpRetransSegs)"
	[ "$got" = "$(sha256sum <"$f" | cut -d' ' -f1)" ] &&
		[ "$(osim_nstat "$ns_a" TcpRetransSegs)" -gt 0 ]
}

check "no frame dropped by the device" \
	osim_no_drops "$ns_a" osim_a "$ns_b" osim_b
check "2% loss, no TSO: retransmitted data arrives byte-exact" lossy

ktap_finish
