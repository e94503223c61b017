#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every setting of the device fed malformed and out-of-range values: each
# refusal gives an error (non-zero exit, and the kernel's message where it
# has one), and the setting reads back unchanged; each accepted boundary
# value takes effect.
#
#   +------- init netns -------+                +--------- ns ---------+
#   | osim_a: knobs, ethtool,  |<== offloadsim ==>| osim_b: LRO under    |
#   |   ip link                |                  |   forwarding, in br0 |
#   | osimC0/osimC1: creation  |                  |                      |
#   +--------------------------+                  +----------------------+
#
# osim_a stays in the initial namespace so that its sysfs files are the
# test's own /sys/class/net/osim_a.
#
# Inventory: what the device lets a user set, and where its limits come
# from (D: the driver, C: the kernel's core, U: ethtool/ip in user space).
#
#   module parameters (kernel/main.c)
#     lso_mtu   uint 0444, insmod only: 0 or 576..65535         D (init)
#     wire_mtu  uint 0444, insmod only: 0 or 68..65535          D (init)
#     verify    bool 0644, insmod and /sys/module/offloadsim/parameters/
#               kstrtobool: y/Y/t/T/1/n/N/f/F/0 by the first
#               character, on/off by the first two                C
#   sysfs (kernel/sysfs.c), /sys/class/net/<dev>/offloadsim/
#     lso_mtu   0 or 576..65535, kstrtouint base 0 (0x, 0 octal) D
#     wire_mtu  0 or 68..65535, same parser                      D
#   sysfs of the net_device core that reaches the driver
#     mtu (68..65535: min/max_mtu), carrier (no ndo_change_carrier),
#     proto_down, queues/tx-N/tx_maxrate (no ndo), threaded     C
#   ethtool (kernel/ethtool.c, rss.c)
#     -K   hw_features toggle; the rest [fixed]; dependencies of
#          netdev_fix_features() and osim_fix_features()         C D
#     -G   rx 64..16384; no TX, rx-mini, rx-jumbo ring (max 0);
#          no rx-buf-len, cqe-size, tx-push                      D C
#     -L   combined 1..16 (numtx/numrxqueues at creation); no
#          rx/tx/other; not below a user-set indirection table   C
#     -C   rx-usecs 0..100000, rx-frames 0..16384, rx-frames > 1
#          needs rx-usecs; every other parameter unsupported    D C
#     -X   128-entry table < channel count, 40-byte key, Toeplitz
#          only, no RSS contexts                                 C D U
#     -N   rx-flow-hash: tcp4/udp4/tcp6/udp6 sd or sdfn, other IP
#          flow types sd; no contexts; no ntuple rules           D
#     -A -s -r -p -t -W -Q --set-priv-flags --set-eee --set-fec
#     --set-tunable --set-module --reset --cable-test: no op    C
#   rtnetlink (kernel/rtnl.c; tools/iproute2 plugin: "peer" only)
#     ip link set: mtu 68..65535, address unicast non-zero 6 bytes,
#     no changelink; ip link add: numtxqueues/numrxqueues 1..16,
#     either end; peer address (pair_badargs.sh covers names, MTUs,
#     numtxqueues 17 and the all-zero MAC of the peer)          D C
#
# ethtool 6.1 exits 0 when the kernel refuses -N rx-flow-hash: judged by
# its message and by what -n shows afterwards.

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd dd dmesg sysctl
ktap_header
ktap_plan 55

# Values: every one tried is tallied here (KTAP comment at the end).
tally_file=$(mktemp /tmp/osim-badcfg.XXXXXX)
defer rm -f "$tally_file"

tally()
{
	echo "$*" >>"$tally_file"
}

##############################################################################
# Helpers

# sysfs_try MODE FILE VALUE...: one python process writes each VALUE
# (python escapes: \n, \t, \0, \x..) to FILE in one write(2) and reads
# FILE back. MODE "refuse:ERRNO": every write fails with ERRNO (open or
# write) and FILE reads as before; "take": each VALUE is BYTES=WANT, the
# write succeeds and FILE reads WANT.
sysfs_try()
{
	local v

	for v in "${@:3}"; do
		tally "$2 $v"
	done
	"$OSIM_PY" - "$@" <<'PY'
import codecs, errno, os, sys
mode, path, vals = sys.argv[1], sys.argv[2], sys.argv[3:]

def rd():
    with open(path) as f:
        return f.read().strip()

def wr(data):
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)

rc = 0
before = rd()
for v in vals:
    want = None
    if mode == "take":
        v, want = v.rsplit("=", 1)
    err = wr(codecs.escape_decode(v.encode())[0])
    now = rd()
    if want is None:
        ok = err == getattr(errno, mode.split(":")[1]) and now == before
        if now != before:
            wr(before.encode())
    else:
        ok = not err and now == want
    print("%r: %s, reads %s%s" % (v, errno.errorcode.get(err, "ok"), now,
                                 "" if ok else "  <-- wrong"))
    rc |= not ok
sys.exit(rc)
PY
}

# knob_refused FILE VALUE...: every write fails with EINVAL, FILE unchanged.
knob_refused()
{
	sysfs_try refuse:EINVAL "$@"
}

# knob_takes FILE BYTES=VALUE...
knob_takes()
{
	sysfs_try take "$@"
}

# fails_with MSG CMD...: CMD fails with MSG (an ERE) in its output.
# ethtool 6.1's exit 0 with "Cannot ..." (-N) counts as a failure.
fails_with()
{
	local msg=$1 out rc=0
	shift

	tally "$*"
	out=$("$@" 2>&1) || rc=$?
	out=${out//$'\n'/ }
	echo "$* -> exit $rc: ${out:0:160}"
	if [ $rc = 0 ] && [[ $out != *"Cannot "* ]]; then
		echo "  accepted"
		return 1
	fi
	if ! [[ $out =~ $msg ]]; then
		echo "  message does not match /$msg/"
		return 1
	fi
}

# same_state STATE BEFORE: the command STATE prints BEFORE.
same_state()
{
	local after

	after=$(eval "$1" 2>&1)
	[ "$after" = "$2" ] && return 0
	echo "  state changed:"
	diff <(echo "$2") <(echo "$after") | head -8
	return 1
}

# refused STATE MSG CMD...: CMD fails with MSG, and the command STATE
# prints the same before and after.
refused()
{
	local state=$1 before rc=0
	shift

	before=$(eval "$state" 2>&1)
	fails_with "$@" || rc=1
	same_state "$state" "$before" || rc=1
	return $rc
}

# all_refused STATE MSG PREFIX -- ARGS...: fails_with MSG PREFIX ARG for
# every ARG (split on spaces); STATE the same before and after them all.
all_refused()
{
	local state=$1 msg=$2 a before rc=0
	local -a pre=()

	shift 2
	while [ "$1" != -- ]; do
		pre+=("$1")
		shift
	done
	shift
	before=$(eval "$state" 2>&1)
	for a in "$@"; do
		# shellcheck disable=SC2086
		fails_with "$msg" "${pre[@]}" $a || rc=1
	done
	same_state "$state" "$before" || rc=1
	return $rc
}

##############################################################################
# Module parameters: insmod with bad values fails, says why and leaves
# nothing loaded; good ones load. Needs the module unloaded first.

kmsg_mark=0

# insmod_refused PARAM VALUE...: insmod PARAM=VALUE fails, the kernel log
# names PARAM and the value (or its range), no module is left.
insmod_refused()
{
	local p=$1 v out log m0 i rc=0
	local -a outs=()
	shift

	m0=$kmsg_mark
	for v in "$@"; do
		tally "insmod $p=$v"
		kmsg_mark=$((kmsg_mark + 1))
		echo "cfg_badinput mark $kmsg_mark" >/dev/kmsg
		if out=$(insmod "$ko" "$p=$v" 2>&1); then
			echo "insmod $p=$v loaded"
			rc=1
		fi
		outs+=("${out##*: }")
		if osim_module_loaded; then
			echo "  module left loaded"
			rmmod offloadsim
			rc=1
		fi
	done
	# The log line after each mark.
	log=$(dmesg | awk -v m0="$m0" -v p="$p" '
		/cfg_badinput mark [0-9]+$/ { m = $NF; next }
		m > m0 && /offloadsim: / && index($0, p) && !(m in seen) {
			seen[m] = 1; sub(/^\[[ 0-9.]*\] /, ""); print m, $0 }')
	i=0
	for v in "$@"; do
		i=$((i + 1))
		out=$(echo "$log" | awk -v m=$((m0 + i)) '$1 == m { $1 = ""; print }')
		echo "$p=$v: ${outs[i - 1]} /$out"
		[[ $out =~ (\`.*\' invalid for parameter \`$p\'|$p=[0-9]+: must be) ]] ||
			{ echo "  no log line for $p"; rc=1; }
	done
	return $rc
}

# insmod_takes ARGS LSO WIRE: insmod with ARGS works and a new pair
# starts with lso_mtu LSO and wire_mtu WIRE.
insmod_takes()
{
	local args=$1 lso wire rc=0

	tally "insmod $args"
	# shellcheck disable=SC2086
	insmod "$ko" $args || return 1
	ip link add osimC0 type offloadsim peer name osimC1 || { rmmod offloadsim; return 1; }
	lso=$(cat /sys/class/net/osimC1/offloadsim/lso_mtu)
	wire=$(cat /sys/class/net/osimC0/offloadsim/wire_mtu)
	echo "insmod $args: lso_mtu $lso, wire_mtu $wire"
	[ "$lso" = "$2" ] && [ "$wire" = "$3" ] || rc=1
	ip link del osimC0
	rmmod offloadsim || rc=1
	return $rc
}

# A copy without debug information loads in a fraction of the time.
ko=$(mktemp /tmp/osim-ko.XXXXXX)
defer rm -f "$ko"
strip --strip-debug -o "$ko" "$OSIM_KO" 2>/dev/null || cp "$OSIM_KO" "$ko"

# rmmod would delete every pair: only if there is none.
if [ -n "$(osim_links)" ] ||
	ip -all netns exec ip -o link show type offloadsim 2>/dev/null | grep -q link/ether ||
	! osim_unload 2>/dev/null; then
	for t in "insmod lso_mtu=bad fails, logs why, loads nothing" \
		"insmod wire_mtu=bad fails, logs why, loads nothing" \
		"insmod verify=bad fails, logs why, loads nothing" \
		"insmod lso_mtu=576 wire_mtu=68: new devices start so" \
		"insmod lso_mtu=65535 wire_mtu=0xffff verify=0: new devices start so"; do
		ktap_skip "$t" "offloadsim in use, cannot unload"
	done
else
	check "insmod lso_mtu=bad fails, logs why, loads nothing" insmod_refused lso_mtu \
		abc -1 1x "" 575 1 65536 4294967296 4294967872 \
		18446744073709551616 99999999999999999999 0x 08
	check "insmod wire_mtu=bad fails, logs why, loads nothing" insmod_refused wire_mtu \
		x -68 67 1 65536 4294967364 99999999999999999999
	check "insmod verify=bad fails, logs why, loads nothing" insmod_refused verify \
		2 abc -1 "" x 9
	check "insmod lso_mtu=576 wire_mtu=68: new devices start so" \
		insmod_takes "lso_mtu=576 wire_mtu=68" 576 68
	check "insmod lso_mtu=65535 wire_mtu=0xffff verify=0: new devices start so" \
		insmod_takes "lso_mtu=65535 wire_mtu=0xffff verify=0" 65535 65535
fi
# As lib.sh's osim_load leaves it.
osim_load
check "the module loaded as the suite loads it" \
	test "$(cat /sys/module/offloadsim/parameters/verify)" = \
	"$([ "${OSIM_VERIFY:-1}" = 0 ] && echo N || echo Y)"

P=/sys/module/offloadsim/parameters
ro_params()
{
	sysfs_try refuse:EACCES $P/lso_mtu 576 0 &&
		sysfs_try refuse:EACCES $P/wire_mtu 68 0
}
check "parameters lso_mtu, wire_mtu are read-only at run time (EACCES)" ro_params

verify0=$(cat "$P/verify")
check "parameter verify refuses bad values (\\n, abc, -1, 2, ' 1', x1, \\0)" \
	knob_refused "$P/verify" '\n' abc -1 2 ' 1' x1 '\0' '\t1' 99999999999999999999
# kstrtobool, as for every bool parameter: the first character decides.
check "parameter verify takes kstrtobool's spellings (0, on, off, yes, N, 1x)" \
	knob_takes "$P/verify" 0=N on=Y off=N yes=Y N=N 1x=Y
echo "$verify0" >$P/verify

##############################################################################
# The pair

setup_ns ns
ip link add osim_a type offloadsim peer name osim_b netns "$ns" ||
	ktap_bail "pair setup failed"
defer ip link del osim_a
ip link set osim_a up
ip -n "$ns" link set osim_b up
eth()
{
	ethtool "$@"
}
eth_b()
{
	in_ns "$ns" ethtool "$@"
}

K=/sys/class/net/osim_a/offloadsim

##############################################################################
# sysfs knobs

# Start from a value that is neither the default nor a boundary, so that
# a write that resets the knob shows.
echo 1500 >$K/lso_mtu
echo 1400 >$K/wire_mtu

BAD_COMMON=('\n' abc -1 1x ' 1500' '1500 ' '\t1500' '1500\n\n' '15 00'
	    '1500\0' '1500\0abc' '\0' 0x 08 -0 1500abc 4294967296
	    18446744073709551616 99999999999999999999)
check "lso_mtu refuses junk, NUL bytes and 2^32/2^64 wraps; reads 1500" \
	knob_refused "$K/lso_mtu" "${BAD_COMMON[@]}" 4294967872 \
	18446744073709552192
check "lso_mtu refuses 1, 575, 65536" knob_refused "$K/lso_mtu" 1 575 65536
check "lso_mtu takes 0, 576, 65535, 0x240, 01100, +600, no newline" \
	knob_takes "$K/lso_mtu" '0\n=0' '576\n=576' '65535\n=65535' \
	0x240=576 01100=576 +600=600 9000=9000
echo 1400 >$K/lso_mtu

check "wire_mtu refuses junk, NUL bytes and 2^32/2^64 wraps; reads 1400" \
	knob_refused "$K/wire_mtu" "${BAD_COMMON[@]//1500/1400}" 4294967364 \
	18446744073709551684
check "wire_mtu refuses 1, 67, 65536" knob_refused "$K/wire_mtu" 1 67 65536
check "wire_mtu takes 0, 68, 65535" \
	knob_takes "$K/wire_mtu" '0\n=0' '68\n=68' '65535\n=65535' 1500=1500

check "an empty write changes nothing" knob_takes "$K/lso_mtu" =1400

D=/sys/class/net/osim_a
check "sysfs mtu refuses 67, 65536, abc, -1, 2^32; reads 1500" \
	knob_refused $D/mtu 67 65536 abc -1 4294967296
check "sysfs mtu takes 68 and 65535" knob_takes $D/mtu 68=68 65535=65535 1500=1500

no_ndo()
{
	sysfs_try refuse:EOPNOTSUPP $D/carrier 0 1 &&
		sysfs_try refuse:EOPNOTSUPP $D/proto_down 1 &&
		sysfs_try refuse:EOPNOTSUPP $D/queues/tx-0/tx_maxrate 100
}
check "sysfs carrier, proto_down, tx_maxrate: EOPNOTSUPP, unchanged" no_ndo
check "sysfs threaded refuses abc, -1, 1x; reads 0" \
	knob_refused $D/threaded abc -1 1x '\n'

##############################################################################
# ip link: rtnetlink on an existing device

link_state()
{
	ip -d link show dev osim_a
}

check "ip link set mtu 67, 65536, -1, 2^32, abc refused; unchanged" \
	all_refused link_state 'mtu (less|greater) than device (minimum|maximum)|Invalid "mtu" value|invalid' \
	ip link set osim_a mtu -- 67 65536 -1 4294967296 abc
mtu_ok()
{
	local m rc=0

	for m in 68 65535 1500; do
		tally "ip link set mtu $m"
		ip link set osim_a mtu $m || rc=1
		[ "$(cat $D/mtu)" = $m ] || rc=1
	done
	return $rc
}
check "ip link set mtu 68 and 65535 take effect" mtu_ok
check "ip link set address zero, multicast, broadcast, 5 and 7 bytes refused" \
	all_refused link_state 'Cannot assign requested address|Invalid address length' \
	ip link set osim_a address -- 00:00:00:00:00:00 01:00:5e:00:00:01 \
	ff:ff:ff:ff:ff:ff 02:00:00:00:00 02:00:00:00:00:00:01
# RTM_NEWLINK on osim_a with the kind's own data (a peer with MTU 1400):
# ip(8) cannot send it for "ip link set", so python does.
changelink()
{
	"$OSIM_PY" - osim_a <<'PY'
import errno, os, socket, struct, sys

def attr(t, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack("=HH", 4 + len(data), t) + data + bytes(pad)

ifi = struct.pack("=BxHiII", 0, 0, socket.if_nametoindex(sys.argv[1]), 0, 0)
peer = struct.pack("=BxHiII", 0, 0, 0, 0, 0) + attr(4, struct.pack("=I", 1400))
info = attr(1, b"offloadsim\0") + attr(2, attr(1, peer))
body = ifi + attr(18, info)                     # IFLA_LINKINFO
msg = struct.pack("=IHHII", 16 + len(body), 16, 5, 1, 0) + body
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.send(msg)
err = -struct.unpack("=i", s.recv(65536)[16:20])[0]
print("RTM_NEWLINK with IFLA_INFO_DATA:", errno.errorcode.get(err, "ok"))
sys.exit(1 if err else 0)
PY
}
check "no changelink: RTM_NEWLINK with the kind's data on osim_a is EOPNOTSUPP" \
	refused link_state 'EOPNOTSUPP|ENOTSUP' changelink

##############################################################################
# ip link add: queue counts and addresses of either end (pair_badargs.sh
# has names, MTUs, numtxqueues 17 and the all-zero peer MAC)

osim_count()
{
	osim_links | wc -l
}

check "ip link add with bad queue counts or MACs on either end refused, nothing left" \
	all_refused osim_count 'Too many (TX|RX) queues \(max 16\)|Invalid number of (transmit|receive) queues|MAC address must be|unknown option|Invalid address length' \
	ip link add osimC0 -- "numrxqueues 17 type offloadsim" \
	"numtxqueues 0 type offloadsim" "numrxqueues 0 type offloadsim" \
	"numtxqueues 65536 type offloadsim" \
	"type offloadsim peer numtxqueues 17" "type offloadsim peer numrxqueues 17" \
	"type offloadsim peer numtxqueues 0" "type offloadsim peer numrxqueues 0" \
	"type offloadsim peer address 01:00:5e:00:00:01" \
	"type offloadsim peer address ff:ff:ff:ff:ff:ff" \
	"address 01:00:5e:00:00:01 type offloadsim" "type offloadsim foo"

# chans NTX NRX: create a pair with those queue counts on osimC0 and
# print "max/combined rings" as ethtool -l and -x show them.
chans()
{
	local m c r

	tally "ip link add numtxqueues $1 numrxqueues $2"
	ip link add osimC0 numtxqueues "$1" numrxqueues "$2" type offloadsim \
		peer name osimC1 || return 1
	m=$(eth -l osimC0 | awk '/^Combined:/ { print $2; exit }')
	c=$(eth -l osimC0 | awk '/^Combined:/ { v = $2 } END { print v }')
	r=$(eth -x osimC0 | sed -n 's/.* with \([0-9]*\) RX ring.*/\1/p')
	ip link del osimC0
	echo "$m/$c $r"
}
chans_are()
{
	local got

	got=$(chans "$1" "$2") || return 1
	echo "numtxqueues $1 numrxqueues $2: max/current $got RX rings, want $3"
	[ "$got" = "$3" ]
}
check "numtxqueues 16 numrxqueues 16: 16 combined channels" chans_are 16 16 "16/16 16"
check "numtxqueues 1 numrxqueues 1: 1 channel" chans_are 1 1 "1/1 1"
check "numtxqueues 4 numrxqueues 8: ethtool -l and the RX rings agree" \
	chans_are 4 8 "4/4 4"

##############################################################################
# ethtool -K

feats()
{
	eth -k osim_a
}

# feats_active: what is on, without what was requested.
feats_active()
{
	eth -k osim_a | sed 's/ \[.*\]$//'
}

# The [fixed] features, flipped all in one request: ethtool cannot
# change any of them. Those the core lets nobody change (vlan-challenged;
# tx-lockless and netns-local too on 6.1) make the whole request invalid,
# so they go one by one.
NEVER_CHANGE=" vlan-challenged tx-lockless netns-local "
fixed_refused()
{
	local f v k n=0 rc=0
	local -a req=()

	k=$(feats)
	for f in $(echo "$k" | awk -F': ' '/\[fixed\]/ { gsub(/\t/, "", $1); print $1 }'); do
		n=$((n + 1))
		v=on
		[[ $k == *$'\n'$'\t'"$f: on"* || $k == *$'\n'"$f: on"* ]] && v=off
		if [[ $NEVER_CHANGE == *" $f "* ]]; then
			fails_with 'attempt to change non-ethtool features' \
				eth -K osim_a "$f" $v || rc=1
		else
			req+=("$f" $v)
			tally "-K $f $v"
		fi
	done
	fails_with 'Could not change any device features' eth -K osim_a "${req[@]}" >/dev/null ||
		{ eth -K osim_a "${req[@]}"; rc=1; }
	echo "$n fixed features"
	same_state feats "$k" || rc=1
	[ "$n" -ge 30 ] && return $rc
}
check "every [fixed] feature refuses to flip; features unchanged" fixed_refused
check "-K unknown feature, bad value refused" \
	all_refused feats "not found|not followed by 'on' or 'off'|bad command line" \
	eth -K osim_a -- "nosuchfeature on" "tso maybe" "tso" "gro 1"

# requested_on FEATURE: ethtool -k shows "FEATURE: off [requested on]".
requested_on()
{
	local f=$1

	case $f in
	lro) f=large-receive-offload ;;
	esac
	eth -k osim_a | grep -q "^[[:space:]]*$f: off \[requested on\]"
}

# dep_refused SETUP -- FEATURE...: after ethtool -K SETUP, turning each
# FEATURE on fails with "Could not change" and leaves it off [requested on].
dep_refused()
{
	local f rc=0
	local -a setup=()

	while [ "$1" != -- ]; do
		setup+=("$1")
		shift
	done
	shift
	eth -K osim_a "${setup[@]}" >/dev/null 2>&1
	for f in "$@"; do
		eth -K osim_a "$f" off >/dev/null 2>&1
		refused "feats_active | grep -v -E '${DEP_IGNORE:-^$}'" \
			'Could not change any device features' eth -K osim_a "$f" on || rc=1
		requested_on "$f" || { echo "$f not 'off [requested on]'"; rc=1; }
	done
	eth -K osim_a tx-checksum-ipv4 on tx-checksum-ipv6 on tx-scatter-gather on \
		tx-tcp-segmentation on tx-tcp6-segmentation on tx-tcp-ecn-segmentation on \
		tx-tcp-mangleid-segmentation on tx-udp-segmentation on rx on lro off \
		rx-gro-hw off gro on >/dev/null 2>&1
	return $rc
}

check "tx-tcp6-segmentation, tx-udp-segmentation need tx-checksum-ipv6" \
	dep_refused tx-checksum-ipv6 off -- tx-tcp6-segmentation tx-udp-segmentation
# The core drops TSO-ECN with IPv4 TSO for want of tx-checksum-ipv4
# (netdev_fix_features()), so a refused tx-tcp-segmentation on turns
# tx-tcp-ecn-segmentation off although TSO6 still uses it: not the
# driver's to change.
DEP_IGNORE=tx-tcp-ecn-segmentation check "tx-tcp-segmentation, tx-udp-segmentation need tx-checksum-ipv4" \
	dep_refused tx-checksum-ipv4 off -- tx-tcp-segmentation tx-udp-segmentation
check "tx-tcp-mangleid-segmentation needs tx-tcp-segmentation" \
	dep_refused tx-tcp-segmentation off -- tx-tcp-mangleid-segmentation
check "lro and rx-gro-hw need rx-checksumming" dep_refused rx off -- lro rx-gro-hw
check "lro yields to rx-gro-hw" dep_refused rx-gro-hw on -- lro

grohw_without_gro()
{
	local rc=0

	eth -K osim_a gro off rx-gro-hw on || return 1
	eth -k osim_a | grep -E '^(generic-receive-offload|rx-gro-hw):' | tr '\n' ' '
	[ "$(osim_feature "" osim_a rx-gro-hw)" = on ] &&
		[ "$(osim_feature "" osim_a generic-receive-offload)" = off ] || rc=1
	eth -K osim_a rx-gro-hw off gro on
	return $rc
}
tally "rx-gro-hw on gro off"
check "rx-gro-hw without software GRO is allowed (documented)" grohw_without_gro

bridge_lro()
{
	local rc=0

	modprobe bridge 2>/dev/null
	ip -n "$ns" link add br0 type bridge || return 1
	ip -n "$ns" link set osim_b master br0 || rc=1
	refused "eth_b -k osim_b | sed -n 's/^\(large-receive-offload: [a-z]*\).*/\1/p'" \
		'Could not change any device features' eth_b -K osim_b lro on || rc=1
	ip -n "$ns" link del br0
	eth_b -K osim_b lro off >/dev/null 2>&1
	return $rc
}
check "lro refused on a bridge port (the bridge disables it)" bridge_lro

# The core turns LRO off once, when forwarding is switched on
# (dev_disable_lro()); an explicit ethtool -K lro on afterwards is the
# administrator's and is honoured, by the core and by every driver.
forwarding_lro()
{
	local off on

	tally "lro on with forwarding"
	eth_b -K osim_b lro on || return 1
	in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
	off=$(osim_feature "$ns" osim_b large-receive-offload)
	eth_b -K osim_b lro on
	on=$(osim_feature "$ns" osim_b large-receive-offload)
	in_ns "$ns" sysctl -qw net.ipv4.ip_forward=0
	eth_b -K osim_b lro off
	echo "ip_forward=1: lro $off; ethtool -K lro on: lro $on"
	[ "$off" = off ] && [ "$on" = on ]
}
check "forwarding turns lro off; -K lro on afterwards is honoured (core behaviour)" \
	forwarding_lro

##############################################################################
# ethtool -G

rings()
{
	eth -g osim_a
}
check "-G rx 63, 0, 16385, 2^32-1, 2^32, -1, abc, 1x refused; rings unchanged" \
	all_refused rings 'at least 64 slots|exceeds maximum|invalid value' \
	eth -G osim_a -- "rx 63" "rx 0" "rx 16385" "rx 4294967295" "rx 4294967296" \
	"rx -1" "rx abc" "rx 1x"
check "-G tx, rx-mini, rx-jumbo 1, rx-buf-len, cqe-size, tx-push refused" \
	all_refused rings 'exceeds maximum|not supported' \
	eth -G osim_a -- "tx 1" "tx 4294967295" "rx-mini 1" "rx-jumbo 1" \
	"rx-buf-len 2048" "cqe-size 64" "tx-push on"
ring_ok()
{
	local n rc=0

	for n in 64 16384 1024; do
		tally "-G rx $n"
		eth -G osim_a rx $n || rc=1
		rings | grep -A5 '^Current' | grep -q "^RX:[[:space:]]*$n\$" ||
			{ echo "rx $n not shown"; rc=1; }
	done
	tally "-G tx 0"
	eth -G osim_a tx 0 || rc=1
	return $rc
}
check "-G rx 64, 16384 take effect; tx 0 (the maximum) is a no-op" ring_ok

##############################################################################
# ethtool -L

channels()
{
	eth -l osim_a
}
check "-L combined 0, 17, 2^32-1, 2^32, -1, abc; rx/tx/other 1 refused" \
	all_refused channels 'exceeds maximum|no RX or TX channel|invalid value' \
	eth -L osim_a -- "combined 0" "combined 17" "combined 4294967295" \
	"combined 4294967296" "combined -1" "combined abc" "rx 1" "tx 1" "other 1"
chan_ok()
{
	local n rc=0

	for n in 16 1 4; do
		tally "-L combined $n"
		eth -L osim_a combined $n || rc=1
		[ "$(channels | awk '/^Combined:/ { v = $2 } END { print v }')" = $n ] ||
			{ echo "combined $n not shown"; rc=1; }
	done
	return $rc
}
check "-L combined 16, 1 take effect" chan_ok
below_table()
{
	local rc=0

	eth -X osim_a equal 4 || return 1
	all_refused channels 'too low for existing indirection table' \
		eth -L osim_a -- "combined 3" "combined 1" || rc=1
	eth -X osim_a default || rc=1
	tally "-L combined 2 after -X default"
	eth -L osim_a combined 2 && eth -L osim_a combined 4 || rc=1
	return $rc
}
check "-L below a user-set indirection table refused; fine after -X default" below_table

##############################################################################
# ethtool -C

coal()
{
	eth -c osim_a
}
eth -C osim_a rx-usecs 50 rx-frames 8
check "-C rx-usecs 100001, 2^32-1, 2^32, -1, abc; rx-frames 16385 refused" \
	all_refused coal 'at most|invalid value' \
	eth -C osim_a -- "rx-usecs 100001" "rx-usecs 4294967295" "rx-usecs 4294967296" \
	"rx-usecs -1" "rx-usecs abc" "rx-frames 16385" "rx-frames 4294967295"
check "-C rx-usecs 0 with rx-frames 8 refused (frames would wait forever)" \
	all_refused coal 'rx-frames needs rx-usecs' \
	eth -C osim_a -- "rx-usecs 0" "rx-usecs 0 rx-frames 2"
check "-C tx-usecs, tx-frames, adaptive-rx, rx-usecs-irq, ... refused" \
	all_refused coal 'unsupported parameter' \
	eth -C osim_a -- "tx-usecs 1" "tx-frames 1" "adaptive-rx on" "adaptive-tx on" \
	"rx-usecs-irq 1" "rx-frames-irq 1" "stats-block-usecs 1" "rx-usecs-low 1" \
	"pkt-rate-high 1" "sample-interval 1"
coal_ok()
{
	local c rc=0

	for c in "100000 16384" "0 1" "0 0"; do
		tally "-C $c"
		# shellcheck disable=SC2086
		set -- $c
		eth -C osim_a rx-usecs "$1" rx-frames "$2" || rc=1
		[ "$(coal | awk '$1 == "rx-usecs:" { u = $2 } $1 == "rx-frames:" { f = $2 }
			END { print u, f }')" = "$1 $2" ] || { echo "$c not shown"; rc=1; }
	done
	return $rc
}
check "-C rx-usecs 100000 rx-frames 16384, rx-frames 1 without timer take effect" coal_ok

##############################################################################
# ethtool -X

rxfh()
{
	eth -x osim_a
}
eth -X osim_a hkey "$(printf '%02x:' $(seq 101 140) | sed 's/:$//')" weight 1 2 3 4
check "-X table entries >= 4 channels, bad weights, bad keys, hfuncs, contexts refused" \
	all_refused rxfh 'Invalid argument|Operation not supported|must be non-zero|too short|too long|bad command line|Unknown hash function|Invalid' \
	eth -X osim_a -- "equal 0" "equal 5" "equal 17" "start 1 equal 4" \
	"start 128 equal 1" "weight 1 1 1 1 1" "weight 0 0 0 0" \
	"hkey 01:02" "hkey $(printf '%02x:' $(seq 1 39) | sed 's/:$//')" \
	"hkey $(printf '%02x:' $(seq 1 41) | sed 's/:$//')" \
	"hkey $(printf 'zz:%.0s' $(seq 1 39))zz" \
	"hfunc xor" "hfunc crc32" "hfunc nosuch" "equal 2 hfunc xor" \
	"hkey $(printf '%02x:' $(seq 1 40) | sed 's/:$//') hfunc crc32" \
	"context 1 equal 2" "context 1 delete"

# Raw ETHTOOL_SRSSH requests ethtool(8) would not send: the kernel's own
# checks. Prints one "name errno" line per case.
raw_srssh()
{
	"$OSIM_PY" - osim_a <<'PY'
import ctypes, errno, fcntl, socket, struct, sys
SIOCETHTOOL, SRSSH = 0x8946, 0x47
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def req(name, ctx=0, indir=None, isz=None, key=None, ksz=None, hfunc=0,
        xfrm=0, rsvd32=0):
    indir = indir or []
    key = key or b""
    isz = len(indir) if isz is None else isz
    ksz = len(key) if ksz is None else ksz
    body = struct.pack("=IIIIBBBBI", SRSSH, ctx, isz, ksz, hfunc, xfrm, 0, 0,
                       rsvd32)
    body += struct.pack("=%dI" % len(indir), *indir) + key
    buf = ctypes.create_string_buffer(body, len(body) + 4096)
    ifr = struct.pack("16sP16x", sys.argv[1].encode(), ctypes.addressof(buf))
    try:
        fcntl.ioctl(s, SIOCETHTOOL, ifr)
        print(name, "OK")
    except OSError as e:
        print(name, errno.errorcode[e.errno])
NC = 0xffffffff
req("key_size_39", isz=NC, key=bytes(39))
req("key_size_41", isz=NC, key=bytes(41))
req("indir_size_64", indir=[0] * 64)
req("indir_size_129", indir=[0] * 129)
req("entry_4", indir=[0] * 127 + [4])
req("entry_2^32-1", indir=[NC - 1] + [0] * 127)
req("hfunc_0x80", isz=NC, hfunc=0x80)
req("hfunc_xor_and_key", isz=NC, key=bytes(40), hfunc=2)
req("context_1", ctx=1, indir=[0] * 128)
req("rsvd32", isz=NC, hfunc=1, rsvd32=1)
req("input_xfrm_sym_xor", isz=NC, xfrm=1)
req("nothing", isz=NC, xfrm=0xff)
PY
}
raw_refused()
{
	local before after out bad

	before=$(rxfh)
	out=$(raw_srssh) || return 1
	after=$(rxfh)
	echo "$out" | tr '\n' ' '
	echo "$out" | while read -r c _; do tally "SRSSH $c"; done
	bad=$(echo "$out" | grep -v -E ' (EINVAL|EOPNOTSUPP|ENOTSUP)$')
	[ -z "$bad" ] || { echo "not refused: $bad"; return 1; }
	[ "$before" = "$after" ] || { echo "table, key or hfunc changed"; return 1; }
}
check "raw ETHTOOL_SRSSH: key/table sizes, entries, hfunc, context, reserved refused" \
	raw_refused

rxfh_ok()
{
	local key

	key=$(printf '%02x:' $(seq 1 40) | sed 's/:$//')
	tally "-X hfunc toeplitz hkey 40 bytes equal 4"
	eth -X osim_a hfunc toeplitz hkey "$key" equal 4 || return 1
	rxfh | grep -q "toeplitz: on" && rxfh | grep -qi "^$key\$" &&
		[ "$(rxfh | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) s = s $i }
			END { print s }')" = "$(for i in $(seq 0 127); do printf %d $((i % 4)); done)" ]
}
check "-X hfunc toeplitz, a 40-byte key, equal 4 take effect" rxfh_ok

##############################################################################
# ethtool -N

flowhash()
{
	local f

	for f in tcp4 udp4 tcp6 udp6 sctp4 ah4 esp6; do
		eth -n osim_a rx-flow-hash $f | tr '\n' ' '
		echo
	done
}
eth -N osim_a rx-flow-hash udp4 sd
check "-N rx-flow-hash bad field sets, flow types, contexts refused; fields unchanged" \
	all_refused flowhash 'Cannot change|bad command line' \
	eth -N osim_a rx-flow-hash -- "tcp4 s" "tcp4 d" "tcp4 sdf" "tcp4 sdfnv" "tcp4 sdfnr" \
	"tcp4 sdfnm" "tcp4 sdfnt" "udp4 sdfnv" "tcp6 sdn" "udp6 m" "sctp4 sdfn" \
	"ah4 sdfn" "esp6 sdfn" "ether sd" "tcp4 sd context 1" "udp4 sdfn context 1" \
	"tcp4 sdfn context 4294967295" "ip4 sd" "tcp4 x"
check "-N flow-type rules and delete: not supported" \
	all_refused flowhash 'Operation not supported|Cannot (insert|delete)' \
	eth -N osim_a -- "flow-type tcp4 action 1" "flow-type ether action 0 loc 1" \
	"delete 1"

##############################################################################
# ethtool operations the device does not have

check "-A, -s, -r, -p, -t, -W, -Q, priv-flags, eee, fec, tunable, module, reset, cable-test: not supported" \
	all_refused feats 'Operation not supported|not supported|Cannot' \
	eth -- "-A osim_a rx on" "-A osim_a autoneg on tx on" "-s osim_a speed 1000" \
	"-s osim_a duplex full" "-s osim_a autoneg on" "-s osim_a msglvl 1" \
	"-s osim_a wol g" "--set-priv-flags osim_a foo on" "--set-eee osim_a eee on" \
	"--set-fec osim_a encoding auto" "-r osim_a" "-p osim_a 1" "-t osim_a" \
	"-W osim_a 1" "--set-tunable osim_a rx-copybreak 256" \
	"-Q osim_a queue_mask 0x1 --coalesce rx-usecs 10" \
	"--set-module osim_a power-mode-policy auto" "--reset osim_a all" \
	"--cable-test osim_a"

##############################################################################

check "nothing left behind: only osim_a here, osim_b in ns" \
	test "$(osim_links | tr '\n' ' ')$(osim_links "$ns")" = "osim_a osim_b"

ktap_msg "values tried: $(wc -l <"$tally_file") (sysfs $(grep -c '^/sys' "$tally_file"), insmod $(grep -c '^insmod' "$tally_file"))"
ktap_finish
