#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Toggling every transmit offload on both ends while a TCP stream runs
# leaves the stream byte-exact.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   | socat client | ---- 40 MB TCP ----> | socat server |
#   |  ethtool -K  |                      |  ethtool -K  |
#   +--------------+                      +--------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum
ktap_header
ktap_plan 3

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

FEATURES="tso gso sg tx tx-tcp6-segmentation tx-tcp-ecn-segmentation
tx-tcp-mangleid-segmentation tx-udp-segmentation tx-gso-robust"

data=$(osim_random_file 40)
want=$(sha256sum <"$data" | cut -d' ' -f1)

toggler()
{
	local i f ns dev

	for i in $(seq 1 6); do
		for f in $FEATURES; do
			for ns in "$ns_a osim_a" "$ns_b osim_b"; do
				set -- $ns
				ip netns exec "$1" ethtool -K "$2" "$f" off >/dev/null 2>&1
				sleep 0.05
				ip netns exec "$1" ethtool -K "$2" "$f" on >/dev/null 2>&1
			done
		done
	done
	# Some toggles are refused by design (dependencies): not a failure;
	# "features end up on again" checks the outcome.
	return 0
}

check "40 MB byte-exact while every TX offload flips on both ends" \
	osim_transfer_during "$ns_a" "$ns_b" "$OSIM_IP4_B" "$data" "$want" toggler

all_on()
{
	local f

	for f in tx-checksum-ipv4 tx-checksum-ipv6 tx-scatter-gather \
		 tx-tcp-segmentation tx-tcp6-segmentation tx-udp-segmentation; do
		[ "$(osim_feature "$ns_a" osim_a $f)" = on ] || return 1
	done
}
check "features end up on again" all_on

check "no skb dropped or malformed on the way" osim_tx_clean "$ns_a" osim_a

ktap_finish
