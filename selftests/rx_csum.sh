#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Receive checksum: frames crafted with AF_PACKET (osim_train.py) to a
# listening TCP port and a bound UDP port. With rx-checksumming on, a good
# frame counts csum_good and reaches the socket; a broken TCP/UDP checksum
# or IPv4 header checksum counts csum_bad and the stack drops the frame
# (TcpInCsumErrors, UdpInCsumErrors, Udp6InCsumErrors, IpExtInCsumErrors).
# With rx-checksumming off the device checks nothing (csum_none) and the
# stack still drops bad frames. UDP checksum 0 counts csum_none. A TCP
# stream cut by the sender's TSO engine counts csum_trusted.
#
#   +---- ns_a ----+                      +-------- ns_b ---------+
#   | osim_train   |                      | TCP listener :8000    |
#   |   osim_a     |<==== offloadsim ====>| UDP socket   :9000    |
#   | (no address, | --- crafted SYNs --> |    osim_b             |
#   |  quiet)      | --- crafted UDP ---> | rx-checksumming on/off|
#   +--------------+                      +-----------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss nstat sha256sum
[ -n "$OSIM_PY" ] || ktap_skip_all "python3 not installed"
ktap_header
ktap_plan 14

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
osim_quiet_pair "$ns_a" "$ns_b" || ktap_bail "quiet pair setup failed"
# No address on osim_a either: nothing answers the listener's SYN-ACKs, so
# a SYN that reached it stays in SYN-RECV.
ip -n "$ns_a" addr flush dev osim_a
mac_b=$(in_ns "$ns_b" cat /sys/class/net/osim_b/address)

tmp=$(mktemp -d /tmp/osim-rxcsum.XXXXXX)
defer rm -rf "$tmp"
udp_out=$tmp/udp
bg_ns "$ns_b" socat -u TCP6-LISTEN:8000,reuseaddr,ipv6only=0,fork OPEN:/dev/null
bg_ns "$ns_b" socat -u UDP6-RECV:9000,ipv6only=0 "CREATE:$udp_out"
wait_for 10 osim_listening "$ns_b" 8000 || ktap_bail "no TCP listener"
wait_for 10 test -e "$udp_out" || ktap_bail "no UDP socket"

# craft FAM ARGS...: send crafted frames from osim_a to osim_b.
craft()
{
	local v6=()

	[ "$1" = 6 ] && v6=(-6)
	shift
	in_ns "$ns_a" "$OSIM_PY" "$OSIM_TRAIN" send --dev osim_a \
		--dst-mac "$mac_b" "${v6[@]}" "$@"
}

rxcsum()
{
	in_ns "$ns_b" ethtool -K osim_b rx "$1" >/dev/null 2>&1
	[ "$(osim_feature "$ns_b" osim_b rx-checksumming)" = "$1" ]
}

CSUM="csum_good csum_bad csum_none csum_trusted"

# snap: the csum counters of osim_b, as "good bad none trusted".
snap()
{
	local all c

	all=$(osim_rxq_snap "$ns_b" osim_b)
	for c in $CSUM; do
		printf '%s ' "$(echo "$all" | awk -v n="$c" '$1 == n { v = $2 } END { print v + 0 }')"
	done
}

# moved BEFORE AFTER: "good +G bad +B none +N trusted +T"; sets dg db dn dt.
moved()
{
	local b a

	read -r -a b <<<"$1"
	read -r -a a <<<"$2"

	dg=$((a[0] - b[0])) db=$((a[1] - b[1])) dn=$((a[2] - b[2])) dt=$((a[3] - b[3]))
	echo "csum_good +$dg, csum_bad +$db, csum_none +$dn, csum_trusted +$dt"
}

# nstat_sum A[+B...]: the sum of these SNMP counters in ns_b.
nstat_sum()
{
	local c n=0

	for c in ${1//+/ }; do
		n=$((n + $(osim_nstat "$ns_b" "$c")))
	done
	echo "$n"
}

nstat_moved()
{
	[ "$(nstat_sum "$1")" -gt "$2" ]
}

synrecv()
{
	[ -n "$(in_ns "$ns_b" ss -Htn state syn-recv "( dport = :$1 )")" ]
}

# tcp_case FAM RX good|bad SPORT: a SYN to the listener.
tcp_case()
{
	local fam=$1 rx=$2 kind=$3 sport=$4 s0 s1 e0 mods=0/syn/noack rc=0

	rxcsum "$rx" || { echo "rx-checksumming not $rx"; return 1; }
	[ "$kind" = bad ] && mods=0/syn/noack/badcsum
	s0=$(snap)
	e0=$(osim_nstat "$ns_b" TcpInCsumErrors)
	craft "$fam" --no-ts --sport "$sport" --dport 8000 "$mods" || return 1
	if [ "$kind" = bad ]; then
		wait_for 5 nstat_moved TcpInCsumErrors "$e0" ||
			{ echo "TcpInCsumErrors did not move"; rc=1; }
		synrecv "$sport" && { echo "the bad SYN reached the listener"; rc=1; }
	else
		wait_for 5 synrecv "$sport" ||
			{ echo "the SYN did not reach the listener"; rc=1; }
		[ "$(osim_nstat "$ns_b" TcpInCsumErrors)" = "$e0" ] ||
			{ echo "TcpInCsumErrors moved"; rc=1; }
	fi
	s1=$(snap)
	moved "$s0" "$s1"
	case $rx.$kind in
	on.good) [ "$dg" = 1 ] && [ "$db" = 0 ] && [ "$dn" = 0 ] || rc=1 ;;
	on.bad) [ "$dg" = 0 ] && [ "$db" = 1 ] && [ "$dn" = 0 ] || rc=1 ;;
	off.*) [ "$dg" = 0 ] && [ "$db" = 0 ] && [ "$dn" = 1 ] || rc=1 ;;
	esac
	return "$rc"
}

check "TCP/IPv4 good SYN, rx-checksumming on: csum_good, reaches the listener" \
	tcp_case 4 on good 41001
check "TCP/IPv4 bad checksum, rx on: csum_bad, TcpInCsumErrors, no connection" \
	tcp_case 4 on bad 41002
check "TCP/IPv6 good SYN, rx on: csum_good, reaches the listener" \
	tcp_case 6 on good 41003
check "TCP/IPv6 bad checksum, rx on: csum_bad, TcpInCsumErrors, no connection" \
	tcp_case 6 on bad 41004
check "TCP/IPv4 bad checksum, rx off: csum_none, not csum_bad; the stack drops it" \
	tcp_case 4 off bad 41005
check "TCP/IPv4 good SYN, rx off: csum_none; the stack takes it" \
	tcp_case 4 off good 41006

udp_size()
{
	stat -c %s "$udp_out"
}

udp_grew()
{
	[ "$(udp_size)" -ge "$1" ]
}

# udp_case FAM RX KIND ERRCOUNTERS EXPECT: one 100-byte datagram to :9000;
# KIND good, badcsum, zerocsum or badipcsum; EXPECT "good", "bad" or
# "none": the counter that must move by one (the others stay).
# ERRCOUNTERS: nstat counters joined by "+", whose sum must move for a
# dropped datagram (6.12 counts a dual-stack socket's IPv6 checksum
# errors in UdpInCsumErrors).
udp_case()
{
	local fam=$1 rx=$2 kind=$3 err=$4 expect=$5 s0 s1 e0 z0 rc=0 mod=""

	rxcsum "$rx" || { echo "rx-checksumming not $rx"; return 1; }
	[ "$kind" = good ] || mod=/$kind
	s0=$(snap)
	e0=$(nstat_sum "$err")
	z0=$(udp_size)
	craft "$fam" --proto udp --sport 42000 --dport 9000 "100$mod" || return 1
	case $kind in
	good | zerocsum)
		wait_for 5 udp_grew $((z0 + 100)) ||
			{ echo "the datagram did not reach the socket"; rc=1; }
		[ "$(nstat_sum "$err")" = "$e0" ] || { echo "$err moved"; rc=1; }
		;;
	*)
		wait_for 5 nstat_moved "$err" "$e0" || { echo "$err did not move"; rc=1; }
		if [ "$(udp_size)" != "$z0" ]; then
			echo "the datagram reached the socket"
			rc=1
		fi
		;;
	esac
	s1=$(snap)
	moved "$s0" "$s1"
	case $expect in
	good) [ "$dg" = 1 ] && [ "$db" = 0 ] && [ "$dn" = 0 ] || rc=1 ;;
	bad) [ "$dg" = 0 ] && [ "$db" = 1 ] && [ "$dn" = 0 ] || rc=1 ;;
	none) [ "$dg" = 0 ] && [ "$db" = 0 ] && [ "$dn" = 1 ] || rc=1 ;;
	esac
	return "$rc"
}

check "UDP/IPv4 good, rx on: csum_good, delivered" \
	udp_case 4 on good UdpInCsumErrors good
check "UDP/IPv4 bad checksum, rx on: csum_bad, UdpInCsumErrors, not delivered" \
	udp_case 4 on badcsum UdpInCsumErrors bad
check "UDP/IPv6 bad checksum, rx on: csum_bad, Udp(6)InCsumErrors, not delivered" \
	udp_case 6 on badcsum UdpInCsumErrors+Udp6InCsumErrors bad
check "UDP/IPv4 bad checksum, rx off: csum_none, UdpInCsumErrors, not delivered" \
	udp_case 4 off badcsum UdpInCsumErrors none
check "UDP/IPv4 checksum 0, rx on: csum_none, delivered" \
	udp_case 4 on zerocsum UdpInCsumErrors none
check "IPv4 header checksum bad, rx on: csum_bad, IpExtInCsumErrors, not delivered" \
	udp_case 4 on badipcsum IpExtInCsumErrors bad

# A TCP stream through the sender's TSO engine: the receiver trusts the
# checksums the engine wrote.
rxcsum on
ip -n "$ns_a" addr add "$OSIM_IP4_A/24" dev osim_a
s0=$(snap)
stream()
{
	local f got

	f=$(osim_random_file 4)
	got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$f")
	echo "sha256 $got"
	[ "$got" = "$(sha256sum <"$f" | cut -d' ' -f1)" ]
}
check "4 MB TCP stream (TSO) byte-exact" stream

trusted()
{
	local p

	moved "$s0" "$(snap)"
	p=$(osim_rxq_stat "$ns_b" osim_b packets)
	echo "rx packets $p"
	[ "$dt" -gt 0 ] && [ "$db" = 0 ] && [ "$(osim_txq_stat "$ns_a" osim_a tso_frames)" -gt 0 ]
}
check "TSO frames counted csum_trusted, none csum_bad" trusted

ktap_finish
