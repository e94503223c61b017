#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The transmit offloads ethtool -k advertises, their dependencies, and that
# turning one off really stops the device doing it.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   | socat client | ------- TCP -------> | socat server |
#   +--------------+                      +--------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum
ktap_header
ktap_plan 12

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

FEATURES="tx-checksum-ipv4 tx-checksum-ipv6 tx-scatter-gather tx-tcp-segmentation
tx-tcp6-segmentation tx-tcp-ecn-segmentation tx-tcp-mangleid-segmentation
tx-udp-segmentation tx-gso-robust"

advertised()
{
	local f k

	k=$(in_ns "$ns_a" ethtool -k osim_a)
	for f in $FEATURES; do
		echo "$k" | grep -qx "	*$f: on" || { echo "$f not on"; return 1; }
	done
	echo "$k" | grep -qx 'highdma: on \[fixed\]'
}
check "TX offloads advertised and on by default; highdma fixed on" advertised

toggles()
{
	local f

	for f in $FEATURES; do
		in_ns "$ns_a" ethtool -K osim_a "$f" off 2>/dev/null
		[ "$(osim_feature "$ns_a" osim_a "$f")" = off ] || { echo "$f stays on"; return 1; }
		in_ns "$ns_a" ethtool -K osim_a "$f" on 2>/dev/null
		[ "$(osim_feature "$ns_a" osim_a "$f")" = on ] || { echo "$f stays off"; return 1; }
	done
}
check "every TX offload toggles off and on" toggles

# --- dependencies, enforced by the core (netdev_fix_features)
sg_off()
{
	in_ns "$ns_a" ethtool -K osim_a sg off >/dev/null
	[ "$(osim_feature "$ns_a" osim_a tcp-segmentation-offload)" = off ]
}
check "scatter-gather off takes TSO down with it" sg_off

tso_needs_sg()
{
	local out

	out=$(in_ns "$ns_a" ethtool -K osim_a tso on 2>&1)
	echo "$out"
	[ "$(osim_feature "$ns_a" osim_a tcp-segmentation-offload)" = off ] &&
		echo "$out" | grep -q 'Could not change any device features'
}
check "TSO cannot come back without scatter-gather" tso_needs_sg

tx_off()
{
	in_ns "$ns_a" ethtool -K osim_a sg on tso on
	in_ns "$ns_a" ethtool -K osim_a tx off >/dev/null
	[ "$(osim_feature "$ns_a" osim_a tx-tcp-segmentation)" = off ] &&
		[ "$(osim_feature "$ns_a" osim_a tx-udp-segmentation)" = off ]
}
check "tx-checksumming off takes TSO and USO down" tx_off

restore()
{
	in_ns "$ns_a" ethtool -K osim_a tx on sg on tso on tx-udp-segmentation on >/dev/null
	advertised
}
check "all back on" restore

# --- behaviour: each feature really changes what the device does
data=$(osim_random_file 8)
want=$(sha256sum <"$data" | cut -d' ' -f1)

# xfer_delta COUNTER: transfer $data, check it, print COUNTER's increase.
xfer_delta()
{
	local c0 got

	c0=$(osim_txq_stat "$ns_a" osim_a "$1")
	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$data") || return 1
	[ "$got" = "$want" ] || { echo "stream corrupted"; return 1; }
	echo $(($(osim_txq_stat "$ns_a" osim_a "$1") - c0))
}

delta_positive()
{
	local d

	d=$(xfer_delta "$1") || return 1
	echo "$1 +$d"
	[ "$d" -gt 0 ]
}

delta_zero()
{
	local d

	d=$(xfer_delta "$1") || return 1
	echo "$1 +$d"
	[ "$d" -eq 0 ]
}

check "TSO on: the engine segments (tso_packets grows)" delta_positive tso_packets
in_ns "$ns_a" ethtool -K osim_a tso off
check "TSO off: no GSO skb reaches the device" delta_zero tso_packets
check "TSO off: the device still checksums" delta_positive csum_offload
in_ns "$ns_a" ethtool -K osim_a tx off >/dev/null
check "tx-checksumming off: the stack checksums, the device does not" \
	delta_zero csum_offload
in_ns "$ns_a" ethtool -K osim_a tx on tso on >/dev/null

frames_fit()
{
	local p0 b0 p1 b1

	in_ns "$ns_a" ethtool -K osim_a tso off gso off
	p0=$(osim_link_stat "$ns_a" osim_a tx_packets)
	b0=$(osim_link_stat "$ns_a" osim_a tx_bytes)
	xfer_delta tso_packets >/dev/null || return 1
	p1=$(osim_link_stat "$ns_a" osim_a tx_packets)
	b1=$(osim_link_stat "$ns_a" osim_a tx_bytes)
	in_ns "$ns_a" ethtool -K osim_a tso on gso on
	echo "$((p1 - p0)) frames, $((b1 - b0)) bytes, $(((b1 - b0) / (p1 - p0))) per frame"
	# 8 MiB in frames of at most 1514 bytes: at least 5800 of them.
	[ $((p1 - p0)) -ge 5800 ]
}
check "TSO and GSO off: only MTU-sized frames" frames_fit

check "nothing malformed or dropped" osim_tx_clean "$ns_a" osim_a

ktap_finish
