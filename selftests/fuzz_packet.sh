#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad-input fuzzing: osim_fuzz sends thousands of random and mutated
# frames (truncated at every layer, oversize, bad IHL, lengths and TCP data
# offsets, fragments, flipped bytes, wrong ethertypes, zero-length, random
# virtio_net_hdr fields) through AF_PACKET, with and without
# PACKET_VNET_HDR, into both ends of a pair, while it walks every offload
# feature combination of both ends and varies lso_mtu, wire_mtu and
# verify. The device must drop what it cannot process and count it, never
# crash or warn (run.sh scans the kernel log), leak nothing (kmemleak
# kernels), and still carry TCP byte-exact afterwards.
#
#   +------ ns_a -------+                      +------ ns_b -------+
#   | 192.0.2.1         |                      |         192.0.2.2 |
#   | 2001:db8::1       |                      |       2001:db8::2 |
#   |     osim_a        |<==== offloadsim ====>|      osim_b       |
#   +---------^---------+                      +---------^---------+
#             |        osim_fuzz (initial netns)         |
#             +--- AF_PACKET, frames to the other end ---+
#                  SIOCETHTOOL features, sysfs knobs
#
# OSIM_FUZZ_SEED and OSIM_FUZZ_FRAMES replay a run (both are printed).

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum
fuzz=$OSIM_LIB_DIR/osim_fuzz
[ -x "$fuzz" ] || ktap_skip_all "selftests/osim_fuzz not built (make -C selftests)"

: "${OSIM_FUZZ_SEED:=20240601}"
: "${OSIM_FUZZ_FRAMES:=12000}"

ktap_header
ktap_plan 11

kmemleak=0
if osim_kmemleak_ready; then
	kmemleak=1
	osim_kmemleak_clear
fi

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

ktap_msg "seed $OSIM_FUZZ_SEED, $OSIM_FUZZ_FRAMES frames; replay with" \
	"OSIM_FUZZ_SEED=$OSIM_FUZZ_SEED OSIM_FUZZ_FRAMES=$OSIM_FUZZ_FRAMES"

fuzz_out=$(mktemp /tmp/osim-fuzz.XXXXXX)
defer rm -f "$fuzz_out"

run_fuzz()
{
	local rc=0

	"$fuzz" -s "$OSIM_FUZZ_SEED" -n "$OSIM_FUZZ_FRAMES" \
		-i "$ns_a/osim_a" -i "$ns_b/osim_b" >"$fuzz_out" 2>&1 || rc=$?
	sed 's/^/  /' "$fuzz_out"
	echo "osim_fuzz exit $rc"
	[ "$rc" = 0 ]
}
start=$(date +%s)
check "osim_fuzz sent $OSIM_FUZZ_FRAMES frames (seed $OSIM_FUZZ_SEED)" run_fuzz
ktap_msg "fuzzing took $(($(date +%s) - start)) s"
while read -r l; do ktap_msg "  $l"; done <"$fuzz_out"

# every_combo: the fuzzer requested every feature combination of both ends.
every_combo()
{
	local n

	grep 'combinations requested' "$fuzz_out"
	n=$(grep -cE 'combinations requested ([0-9]+)/\1,' "$fuzz_out")
	[ "$n" = 2 ]
}
check "every offload combination of both ends walked" every_combo

# The fuzzer's taps: no frame the receive engines handed on as
# checksum-valid had a bad IPv4 or TCP/UDP checksum.
no_bad_valid()
{
	grep -E '^(oracle|ORACLE)' "$fuzz_out"
	grep -q '^oracle: 0 received' "$fuzz_out"
}
check "no frame handed on checksum-valid with a bad checksum" no_bad_valid

# tx_counted NS DEV: DEV's transmit engine dropped malformed input and
# counted it.
tx_counted()
{
	local m d

	m=$(osim_txq_stat "$1" "$2" malformed)
	d=$(osim_txq_stat "$1" "$2" dropped)
	echo "$2: tx malformed $m, dropped $d," \
		"wire_mtu_drops $(osim_txq_stat "$1" "$2" wire_mtu_drops)," \
		"tso_packets $(osim_txq_stat "$1" "$2" tso_packets)," \
		"uso_packets $(osim_txq_stat "$1" "$2" uso_packets)," \
		"verify_checked $(osim_txq_stat "$1" "$2" verify_checked)," \
		"verify_mismatch $(osim_txq_stat "$1" "$2" verify_mismatch)"
	[ "$m" -gt 0 ] && [ "$d" -ge "$m" ] &&
		[ "$(osim_txq_stat "$1" "$2" verify_mismatch)" = 0 ]
}
check "osim_a counted the malformed frames it dropped" tx_counted "$ns_a" osim_a
check "osim_b counted the malformed frames it dropped" tx_counted "$ns_b" osim_b

# wire_counted: the switch (wire_mtu) and the receivers (length errors)
# counted what they dropped; the receive checksum engine saw bad sums.
wire_counted()
{
	local w l c

	w=$(($(osim_txq_stat "$ns_a" osim_a wire_mtu_drops) +
		$(osim_txq_stat "$ns_b" osim_b wire_mtu_drops)))
	l=$(($(osim_rxq_stat "$ns_a" osim_a length_errors) +
		$(osim_rxq_stat "$ns_b" osim_b length_errors)))
	c=$(($(osim_rxq_stat "$ns_a" osim_a csum_bad) +
		$(osim_rxq_stat "$ns_b" osim_b csum_bad)))
	echo "wire_mtu_drops $w, rx length_errors $l, rx csum_bad $c"
	[ "$w" -gt 0 ] && [ "$l" -gt 0 ] && [ "$c" -gt 0 ]
}
check "wire and receive drops counted" wire_counted

# balance NS_TX TX NS_RX RX: every frame TX put on the wire was dropped by
# the switch (wire_mtu_drops), refused by RX (length errors, ring full:
# missed) or received: once the rings are drained the counters add up.
# (ip -s link's packet counters: ethtool -S has tso_packets, lro_packets
# ... besides tx/rx_queue_N_packets.)
# The two ends live in two namespaces, so their counters are read seconds
# apart on a slow kernel, while the stacks may still be sending (neighbour
# probes and replies to what the fuzzer injected). TX is read before and
# after RX: when it did not move, every frame RX counted left TX before
# the first read, and the sums must agree.
__balance()
{
	local tx tx2 w rx l m

	tx=$(osim_link_stat "$1" "$2" tx_packets)
	w=$(osim_txq_stat "$1" "$2" wire_mtu_drops)
	rx=$(osim_link_stat "$3" "$4" rx_packets)
	l=$(osim_link_stat "$3" "$4" rx_length_errors)
	m=$(osim_link_stat "$3" "$4" rx_missed_errors)
	tx2=$(osim_link_stat "$1" "$2" tx_packets)
	echo "$2 on the wire $tx = $2 wire_mtu_drops $w + $4 received $rx" \
		"+ length_errors $l + missed $m ($((w + rx + l + m)));" \
		"$4 rx_dropped $(osim_link_stat "$3" "$4" rx_dropped);" \
		"$2 on the wire after the reads $tx2"
	[ "$tx" = "$tx2" ] && [ "$tx" = $((w + rx + l + m)) ]
}

balance()
{
	wait_for 30 __balance "$@" || __balance "$@"
}
check "osim_a -> osim_b: frames in = delivered + dropped" \
	balance "$ns_a" osim_a "$ns_b" osim_b
check "osim_b -> osim_a: frames in = delivered + dropped" \
	balance "$ns_b" osim_b "$ns_a" osim_a

data=$(osim_random_file 2)
want=$(sha256sum <"$data" | cut -d' ' -f1)

xfer()
{
	local got

	got=$(osim_tcp_transfer "$1" "$2" "$3" "$data") || return 1
	echo "received sha256 $got (want $want)"
	[ "$got" = "$want" ]
}
check "TCP/IPv4 a -> b byte-exact after fuzzing" xfer "$ns_a" "$ns_b" "$OSIM_IP4_B"
check "TCP/IPv6 b -> a byte-exact after fuzzing" xfer "$ns_b" "$ns_a" "$OSIM_IP6_A"

if [ "$kmemleak" = 1 ]; then
	ip -n "$ns_a" link del osim_a
	check "no kmemleak reports after deleting the pair" osim_kmemleak_scan
else
	ktap_skip "no kmemleak reports after deleting the pair" "kernel without kmemleak"
fi

ktap_finish
