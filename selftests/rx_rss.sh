#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Receive side scaling on the receiving end: channels, the Toeplitz hash
# of every TCP/UDP tuple against a reference (toeplitz.py, checked against
# Microsoft's verification vectors), the spread of flows over the queues
# per the indirection table, table and key changes, rx-flow-hash, and
# channel changes under a running stream.
#
#   +------ ns_a ------+                      +------- ns_b -------+
#   |      osim_a      |<==== offloadsim ====>|  osim_b (4 queues) |
#   | python3 senders  | -- UDP/TCP tuples -> | osim_rxhash (tap)  |
#   | socat client     | ---- TCP stream ---> | ethtool -l/-L -x/-X|
#   |                  |                      |     -n/-N, -S      |
#   +------------------+                      +--------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd python3 socat ss sha256sum sysctl
ktap_header
ktap_plan 23

: "${OSIM_RXHASH:=$OSIM_TOP/tools/rxhash/osim_rxhash}"
TOEPLITZ=$OSIM_LIB_DIR/toeplitz.py
[ -x "$OSIM_RXHASH" ] || ktap_skip_all "tools not built (make tools)"

setup_ns ns_a ns_b
osim_ns_quiet "$ns_a" "$ns_b" || ktap_bail "sysctl failed"
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
osim_static_neigh "$ns_a" "$ns_b" || ktap_bail "static neighbours failed"

tmp=$(mktemp -d /tmp/osim-rss.XXXXXX)
defer rm -rf "$tmp"

HPORT=7777	# destination port of the hashed tuples
FPORT=9999	# destination port of the spread flows

# toeplitz ARGS: selftests/toeplitz.py (python3 -S: no site packages, it
# starts much faster in a TCG guest).
toeplitz()
{
	python3 -S "$TOEPLITZ" "$@"
}

eth_b()
{
	in_ns "$ns_b" ethtool "$@"
}

# save_x FILE: ethtool -x of the receiver into FILE.
save_x()
{
	eth_b -x osim_b >"$1"
}

# channels: "<max combined> <current combined>" of the receiver.
channels()
{
	eth_b -l osim_b | awk '$1 == "Combined:" { v = v (v ? " " : "") $2 }
		END { print v }'
}

# send SPEC...: from ns_a, per SPEC "proto src dst dport sport0 count" one
# UDP datagram (proto udp) or one TCP connection attempt to a closed port,
# i.e. one SYN (proto tcp), from each of the source ports
# toeplitz.flow_ports(sport0, count).
send()
{
	in_ns "$ns_a" python3 -S - "$OSIM_LIB_DIR" "$@" <<'PY'
import socket, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from toeplitz import flow_ports
a = sys.argv[2:]
for i in range(0, len(a), 6):
    proto, src, dst = a[i:i + 3]
    dport, sport0, count = map(int, a[i + 3:i + 6])
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    typ = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    for sport in flow_ports(sport0, count):
        s = socket.socket(fam, typ)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((src, sport))
        if proto == "tcp":
            s.settimeout(5)
            try:
                s.connect((dst, dport))
            except OSError:
                pass
        else:
            s.sendto(b"osim-rss", (dst, dport))
        s.close()
PY
}

# The tuples whose hashes are checked: 3 per protocol and family.
TUPLES=(udp "$OSIM_IP4_A" "$OSIM_IP4_B" "$HPORT" 10001 3
	tcp "$OSIM_IP4_A" "$OSIM_IP4_B" "$HPORT" 20001 3
	udp "$OSIM_IP6_A" "$OSIM_IP6_B" "$HPORT" 30001 3
	tcp "$OSIM_IP6_A" "$OSIM_IP6_B" "$HPORT" 40001 3)
NTUPLES=12

# capture FILE: the osim_rxhash lines of the TUPLES as osim_b receives them.
capture()
{
	local out=$1 pid

	rm -f "$tmp/ready"
	in_ns "$ns_b" "$OSIM_RXHASH" -i osim_b -n "$NTUPLES" -t 60000 -p "$HPORT" \
		-r "$tmp/ready" >"$out" &
	pid=$!
	if ! wait_for 10 test -e "$tmp/ready"; then
		kill "$pid"
		return 1
	fi
	send "${TUPLES[@]}"
	wait "$pid"
}

# hashes_are equal|differ XFILE [--sd PROTOS]: capture the tuples and
# compare their hashes with Toeplitz under XFILE's key.
hashes_are()
{
	local cap=$tmp/cap

	capture "$cap" || { cat "$cap"; return 1; }
	cat "$cap"
	toeplitz verify "$@" <"$cap"
}

# spread_ok NQ SRC DST SPORT0 COUNT [--sd]: COUNT UDP flows from SRC,
# source ports toeplitz.flow_ports(SPORT0, COUNT), to DST:FPORT land on
# the NQ queues exactly as toeplitz.py predicts from ethtool -x (with --sd
# from the 2-tuple). A try during which other frames arrived is repeated.
spread_ok()
{
	local nq=$1 src=$2 dst=$3 sport0=$4 count=$5 sd=${6:-}
	local want before after got try sum xf=$tmp/x.spread

	save_x "$xf" || return 1
	want=$(toeplitz spread "$xf" "$src" "$dst" "$sport0" "$count" "$FPORT" ${sd:+"$sd"}) ||
		return 1
	for try in 1 2 3; do
		before=$(osim_rxq_list "$ns_b" osim_b "$nq" packets)
		send udp "$src" "$dst" "$FPORT" "$sport0" "$count" || return 1
		wait_for 5 spread_sum_at_least "$before" "$count" "$nq"
		after=$(osim_rxq_list "$ns_b" osim_b "$nq" packets)
		got=$(delta "$before" "$after")
		sum=$(echo "$got" | tr ' ' '\n' | awk '{ s += $1 } END { print s }')
		echo "try $try: per-queue packets $got, predicted $want"
		[ "$sum" -eq "$count" ] && break
		echo "  $((sum - count)) other frames arrived: again"
	done
	[ "$got" = "$want" ]
}

# delta "A0 A1 .." "B0 B1 ..": "B0-A0 B1-A1 ..".
delta()
{
	paste -d' ' <(echo "$1" | tr ' ' '\n') <(echo "$2" | tr ' ' '\n') |
		awk '{ printf "%s%d", (NR > 1 ? " " : ""), $2 - $1 } END { print "" }'
}

spread_sum_at_least()
{
	local now

	now=$(osim_rxq_list "$ns_b" osim_b "$3" packets)
	[ "$(delta "$1" "$now" | tr ' ' '\n' | awk '{ s += $1 } END { print s }')" -ge "$2" ]
}

# table_is XFILE EXPR: every indirection table entry i equals awk EXPR.
table_is()
{
	local t

	t=$(toeplitz x-table "$1") || { cat "$1"; return 1; }
	echo "table: $t"
	echo "$t" | tr ' ' '\n' | awk "{ i = NR - 1; if (\$1 != ($2)) bad++ }
		END { exit !(NR == 128 && !bad) }"
}

# flow_hash PROTO: the fields ethtool -n rx-flow-hash PROTO lists, one line.
flow_hash()
{
	eth_b -n osim_b rx-flow-hash "$1" | sed -n '2,$p' | awk 'NF' |
		sed 's/ \[.*//' | paste -sd, -
}

FOUR="IP SA,IP DA,L4 bytes 0 & 1,L4 bytes 2 & 3"
TWO="IP SA,IP DA"

# --- (0) the reference itself
check "toeplitz.py matches Microsoft's RSS verification vectors" \
	toeplitz selftest

# --- (a) channels
ch_default()
{
	local c

	c=$(channels)
	echo "combined max/current: $c"
	[ "$c" = "16 1" ]
}
check "ethtool -l: combined max 16, default 1" ch_default
check "ethtool -L combined 4" eth_b -L osim_b combined 4
ch_four()
{
	local c

	c=$(channels)
	echo "combined max/current: $c"
	[ "$c" = "16 4" ]
}
check "ethtool -l: combined max 16, current 4" ch_four

x0=$tmp/x.default
default_x()
{
	local key

	save_x "$x0" || return 1
	cat "$x0"
	key=$(toeplitz x-key "$x0") || return 1
	grep -q 'with 4 RX ring' "$x0" && [ ${#key} -eq $((40 * 3 - 1)) ] &&
		table_is "$x0" "i % 4"
}
check "ethtool -x: 4 rings, 40-byte key, default table i % 4" default_x

# --- (b) hashes
check "TCP/UDP IPv4/IPv6 rxhash = Toeplitz 4-tuple under the shown key" \
	hashes_are "$x0" equal

rxhash_off()
{
	local rc=0

	eth_b -K osim_b rxhash off || return 1
	echo "receive-hashing: $(osim_feature "$ns_b" osim_b receive-hashing)"
	hashes_are "$x0" differ || rc=1
	eth_b -K osim_b rxhash on || return 1
	hashes_are "$x0" equal || rc=1
	return $rc
}
check "receive-hashing off: no rxhash is Toeplitz; on again: all are" rxhash_off

# --- (c) spread over the queues
check "64 UDP/IPv4 flows spread over 4 queues per the table" \
	spread_ok 4 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64
check "32 UDP/IPv6 flows spread over 4 queues per the table" \
	spread_ok 4 "$OSIM_IP6_A" "$OSIM_IP6_B" 21000 32

# --- (d) table and key changes
weight_0100()
{
	local xf=$tmp/x.w

	eth_b -X osim_b weight 0 1 0 0 && save_x "$xf" && table_is "$xf" 1 &&
		spread_ok 4 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64
}
check "ethtool -X weight 0 1 0 0: every flow on queue 1" weight_0100

equal2()
{
	local xf=$tmp/x.e

	eth_b -X osim_b equal 2 && save_x "$xf" && table_is "$xf" "i % 2" &&
		spread_ok 4 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64
}
check "ethtool -X equal 2: flows on queues 0 and 1 as predicted" equal2

newkey=$(od -An -tx1 -N40 /dev/urandom | tr -s ' \n' ' ' | sed 's/^ //; s/ $//' |
	tr ' ' ':')
x1=$tmp/x.newkey
hkey()
{
	local key cap=$tmp/cap.hkey

	eth_b -X osim_b hkey "$newkey" || return 1
	save_x "$x1" || return 1
	key=$(toeplitz x-key "$x1")
	echo "set $newkey, shown $key"
	[ "$key" = "$newkey" ] || return 1
	capture "$cap" || { cat "$cap"; return 1; }
	cat "$cap"
	toeplitz verify "$x1" equal <"$cap" && echo "under the old key:" &&
		toeplitz verify "$x0" differ <"$cap"
}
check "ethtool -X hkey: rxhash = Toeplitz under the new key, not the old" hkey

new_spread()
{
	local xf=$tmp/x.d

	eth_b -X osim_b default && save_x "$xf" && table_is "$xf" "i % 4" &&
		spread_ok 4 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64
}
check "ethtool -X default: flows spread as the new key predicts" new_spread

# --- (e) rx-flow-hash
fh_default()
{
	local p f rc=0

	for p in tcp4 udp4 tcp6 udp6; do
		f=$(flow_hash $p)
		echo "$p: $f"
		[ "$f" = "$FOUR" ] || rc=1
	done
	return $rc
}
check "ethtool -n rx-flow-hash tcp4/udp4/tcp6/udp6: the 4-tuple" fh_default

udp4_sd()
{
	local p f

	eth_b -N osim_b rx-flow-hash udp4 sd || return 1
	for p in tcp4 udp4 tcp6 udp6; do
		f=$(flow_hash $p)
		echo "$p: $f"
		if [ $p = udp4 ]; then
			[ "$f" = "$TWO" ] || return 1
		else
			[ "$f" = "$FOUR" ] || return 1
		fi
	done
}
check "-N rx-flow-hash udp4 sd: udp4 hashes IP SA, IP DA; others unchanged" udp4_sd

# With a 2-tuple (L3) hash, skb_get_hash() in the tap recomputes the
# stack's own hash: the 2-tuple shows in where the flows go, and in the
# UDP/IPv4 rxhash no longer being the 4-tuple Toeplitz.
sd_effect()
{
	local cap=$tmp/cap.sd

	spread_ok 4 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64 --sd || return 1
	capture "$cap" || { cat "$cap"; return 1; }
	cat "$cap"
	grep 'proto=udp4' "$cap" | toeplitz verify "$x1" differ &&
		grep -v 'proto=udp4' "$cap" | toeplitz verify "$x1" equal
}
check "udp4 sd: all UDP/IPv4 flows on the 2-tuple's queue, TCP still 4-tuple" \
	sd_effect

sdfn_back()
{
	local f

	eth_b -N osim_b rx-flow-hash udp4 sdfn || return 1
	f=$(flow_hash udp4)
	echo "udp4: $f"
	[ "$f" = "$FOUR" ] && hashes_are "$x1" equal
}
check "-N rx-flow-hash udp4 sdfn: the 4-tuple again" sdfn_back

# ethtool 6.1 exits 0 when the kernel refuses -N rx-flow-hash (it only
# prints the error): judge by the message and by what -n shows afterwards.
bad_flow_hash()
{
	local v out f

	for v in s sdf sdfnv; do
		if out=$(eth_b -N osim_b rx-flow-hash tcp4 $v 2>&1) &&
			! echo "$out" | grep -q 'Cannot change'; then
			echo "accepted tcp4 $v"
			return 1
		fi
		f=$(flow_hash tcp4)
		echo "tcp4 $v: $out; tcp4 now: $f"
		[ "$f" = "$FOUR" ] || return 1
	done
}
check "-N rx-flow-hash tcp4 s/sdf/sdfnv rejected, tcp4 unchanged" \
	bad_flow_hash

bad_hfunc()
{
	local xf=$tmp/x.hf

	if eth_b -X osim_b hfunc xor 2>&1; then
		echo "hfunc xor accepted"
		return 1
	fi
	save_x "$xf" && sed -n '/hash function/,$p' "$xf"
	grep -q 'toeplitz: on' "$xf" && ! grep -q 'xor: on' "$xf" &&
		[ "$(toeplitz x-key "$xf")" = "$newkey" ]
}
check "-X hfunc xor rejected, Toeplitz and the key kept" bad_hfunc

bad_channels()
{
	local n c

	for n in 0 17; do
		if eth_b -L osim_b combined $n 2>&1; then
			echo "combined $n accepted"
			return 1
		fi
	done
	c=$(channels)
	echo "combined max/current: $c"
	[ "$c" = "16 4" ]
}
check "-L combined 0 and 17 rejected, 4 kept" bad_channels

check "no frame dropped or missed so far" \
	osim_no_drops "$ns_a" osim_a "$ns_b" osim_b

# --- (f) channel changes under a running stream (frames in flight when
# the rings are rebuilt drop: TCP retransmits them)
data=$(osim_random_file 16)
want=$(sha256sum <"$data" | cut -d' ' -f1)

flipper()
{
	local i n fails=0

	for i in 1 2 3; do
		for n in 1 2 3 4 3 2; do
			eth_b -L osim_b combined $n >/dev/null 2>&1 ||
				fails=$((fails + 1))
			sleep 0.2
		done
	done
	echo "# failed -L: $fails"
	[ "$fails" = 0 ]
}

check "16 MB byte-exact while -L combined goes 1..4 and back" \
	osim_transfer_during "$ns_a" "$ns_b" "$OSIM_IP4_B" "$data" "$want" flipper

three()
{
	local xf=$tmp/x.3

	eth_b -L osim_b combined 3 && save_x "$xf" &&
		grep -q 'with 3 RX ring' "$xf" && table_is "$xf" "i % 3" &&
		spread_ok 3 "$OSIM_IP4_A" "$OSIM_IP4_B" 20000 64
}
check "-L combined 3: default table i % 3, flows spread per it" three

ktap_finish
