#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The segmentation engine against its oracle: with the module parameter
# verify=1, every GSO skb the engine cuts is also segmented by the kernel's
# software GSO and the frames compared byte for byte. Traffic covers IPv4
# and IPv6, MSS 536 to 8948, last segments of every size, FIN and PSH.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   |  MTU 9000    |                      |   MTU 9000   |
#   | iperf3 -c    | ------- TCP -------> | iperf3 -s    |
#   +--------------+                      +--------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd iperf3
ktap_header
ktap_plan 7

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
ip -n "$ns_a" link set osim_a mtu 9000
ip -n "$ns_b" link set osim_b mtu 9000

param=/sys/module/offloadsim/parameters/verify
defer "echo $(cat "$param") > $param"
echo 1 >"$param" || ktap_bail "cannot enable verify"

# iperf N MSS ADDR: send N bytes with MSS over TCP to ADDR.
iperf()
{
	ip netns exec "$ns_b" iperf3 -s -1 -B "$3" >/dev/null 2>&1 &
	wait_for 10 osim_listening "$ns_b" 5201 || return 1
	in_ns "$ns_a" iperf3 -c "$3" -n "$1" -M "$2" -l 100003 >/dev/null
}

sweep()
{
	local addr=$1 mss c0

	c0=$(osim_txq_stat "$ns_a" osim_a verify_checked)
	for mss in 536 1000 1220 1448 2000 4096 8000 8948; do
		iperf 1000003 $mss "$addr" || { echo "iperf3 mss $mss failed"; return 1; }
	done
	echo "verify_checked +$(($(osim_txq_stat "$ns_a" osim_a verify_checked) - c0))"
	[ "$(osim_txq_stat "$ns_a" osim_a verify_checked)" -gt "$c0" ]
}
check "IPv4, MSS 536..8948: GSO skbs verified" sweep "$OSIM_IP4_B"
check "IPv6, MSS 536..8948: GSO skbs verified" sweep "$OSIM_IP6_B"

# Stream ends: FIN and PSH ride on the last frame of a GSO skb.
ends()
{
	local f i

	f=$(mktemp /tmp/osim-ends.XXXXXX)
	for i in 1 7 1447 1449 3000 65535 100000; do
		head -c $((i * 13)) /dev/urandom >"$f"
		osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$f" >/dev/null ||
			{ rm -f "$f"; return 1; }
	done
	rm -f "$f"
}
check "short streams of odd lengths, FIN in GSO skbs" ends

mangleid()
{
	local c0

	in_ns "$ns_a" ethtool -K osim_a tx-tcp-mangleid-segmentation off
	c0=$(osim_txq_stat "$ns_a" osim_a verify_checked)
	iperf 500000 1448 "$OSIM_IP4_B" || return 1
	in_ns "$ns_a" ethtool -K osim_a tx-tcp-mangleid-segmentation on
	[ "$(osim_txq_stat "$ns_a" osim_a verify_checked)" -gt "$c0" ]
}
check "IPv4 ids with mangleid off" mangleid

vlan()
{
	local c0

	ip -n "$ns_a" link add link osim_a name osim_a.7 type vlan id 7 &&
		ip -n "$ns_b" link add link osim_b name osim_b.7 type vlan id 7 &&
		ip -n "$ns_a" addr add 198.51.100.1/24 dev osim_a.7 &&
		ip -n "$ns_b" addr add 198.51.100.2/24 dev osim_b.7 &&
		ip -n "$ns_a" link set osim_a.7 up &&
		ip -n "$ns_b" link set osim_b.7 up || return 1
	c0=$(osim_txq_stat "$ns_a" osim_a verify_checked)
	iperf 500000 1400 198.51.100.2 || return 1
	echo "verify_checked +$(($(osim_txq_stat "$ns_a" osim_a verify_checked) - c0))"
	[ "$(osim_txq_stat "$ns_a" osim_a verify_checked)" -gt "$c0" ]
}
check "over a VLAN: tagged GSO skbs verified" vlan

# Crafted GSO packets: CWR/ECE/FIN/PSH, the ECN GSO type, USO, IP and TCP
# options, payloads that leave a short last segment.
injected()
{
	local inject=$OSIM_TOP/tools/inject/osim_inject c0 p mss len

	[ -x "$inject" ] || { echo "tools/inject not built"; return 1; }
	c0=$(osim_txq_stat "$ns_a" osim_a verify_checked)
	for p in tcp4 tcp6; do
		for mss in 536 1448 8948; do
			for len in $((mss * 3 + 1)) $((mss * 7 - 5)) 60000; do
				in_ns "$ns_a" "$inject" --dev osim_a --proto $p --vnet \
					--mss $mss --payload $len --count 2 --ecn \
					--tcp-flags CEFPA --tcp-options >/dev/null || return 1
			done
		done
		in_ns "$ns_a" "$inject" --dev osim_a --proto $p --vnet --mss 1000 \
			--payload 5555 --count 2 --ip-options --tcp-flags PA >/dev/null ||
			return 1
	done
	# USO from a UDP_SEGMENT socket: 6.1 cannot build UDP GSO skbs from a
	# virtio_net_hdr.
	for addr in "$OSIM_IP4_B" "$OSIM_IP6_B"; do
		for len in 1473 8000 30001; do
			osim_uso_send "$ns_a" "$addr" 9 $len 1200 2 || return 1
		done
	done
	echo "verify_checked +$(($(osim_txq_stat "$ns_a" osim_a verify_checked) - c0))," \
		"uso_packets $(osim_txq_stat "$ns_a" osim_a uso_packets)"
	# 2 x (3 x 3 + 1) TCP injections and 2 x 3 UDP sends of 2 packets
	# each; the IPv6 hop-by-hop case goes to software GSO.
	[ $(($(osim_txq_stat "$ns_a" osim_a verify_checked) - c0)) -ge 40 ] &&
		[ "$(osim_txq_stat "$ns_a" osim_a uso_packets)" -ge 12 ]
}
check "injected GSO packets: CWR/ECE/FIN/PSH, ECN, USO, options, short tails" injected

no_mismatch()
{
	echo "verify_checked $(osim_txq_stat "$ns_a" osim_a verify_checked)," \
		"verify_mismatch $(osim_txq_stat "$ns_a" osim_a verify_mismatch)"
	[ "$(osim_txq_stat "$ns_a" osim_a verify_mismatch)" = 0 ] &&
		osim_tx_clean "$ns_a" osim_a
}
check "zero mismatches against software GSO" no_mismatch

ktap_finish
