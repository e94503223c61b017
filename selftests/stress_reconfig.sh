#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bounded stress: a few hundred reconfigurations of a live pair while TCP
# streams (each a random file, checked byte for byte on the far side) and a
# rate-limited UDP flood (plain, fragmented and UDP GSO) run through it.
#
#   +-------- ns_a --------+                      +-------- ns_b --------+
#   | osim_a  192.0.2.1/24 |<==== offloadsim ====>| osim_b  192.0.2.2/24 |
#   |         2001:db8::1  |                      |         2001:db8::2  |
#   | TCP client ----------+-- 8 MB streams, ---->+--> TCP server: size, |
#   |                      |   IPv4 and IPv6      |    sha256, 1st diff  |
#   | UDP flood -----------+-- UDP, USO --------->+--> UDP sink (socat)  |
#   | agent shell          |                      | agent shell          |
#   +----------+-----------+                      +-----------+----------+
#              |    netns step: one end visits ns_c and back  |
#              +------------> +-------- ns_c --------+ <------+
#                             | osim_a|b 192.0.2.3   |
#                             | pings the other end  |
#                             | agent shell          |
#                             +----------------------+
#   init ns: ip link add of the pair, rmmod/insmod offloadsim
#
# OSIM_STRESS_ITERS steps (default 200), in an order shuffled by
# OSIM_STRESS_SEED (printed; set it to repeat a run):
#   feature   ethtool -K: every feature ethtool -k shows as changeable, on
#             both ends, flipped two at a time from its default; after each
#             sweep through the list all are set back and must show their
#             defaults again
#   mtu       the MTU of both ends, or lso_mtu or wire_mtu of one end; a
#             value that makes the stream's frames undeliverable (wire_mtu
#             below the MTU, lso_mtu above it) is undone after 0.2 s
#   ring      ethtool -G rx N          channel   ethtool -L combined N
#   rss       ethtool -X equal, weight, hkey or default
#   coalesce  ethtool -C rx-usecs, rx-frames
#   link      one end down and up, or both
#   netns     one end into ns_c, where it must reach the other end, and back
#   pair      the pair deleted and created again
#   rmmod     rmmod offloadsim with traffic in flight, or after deleting the
#             pair (refcnt 0 first); insmod as osim_load; the pair again
#
# The addresses always come back (and are the same on a new pair), so every
# TCP stream outlives every step, retransmitting across the gaps, and must
# arrive complete and byte-exact. Counters (ethtool -S, link statistics)
# must never go backwards within one device's life. The loop stops early
# when OSIM_STRESS_SECONDS (default 180) have passed.
#
# Commands run in one long-lived shell per namespace (an "agent"): each
# exec costs a TCG guest ~0.1 s, "ip netns exec CMD" twice that. With
# OSIM_STRESS_LOG=DIR, the command log, the stream logs and ss samples of
# the sender are kept in DIR.

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss sha256sum sysctl ping nstat mkfifo
[ -n "$OSIM_PY" ] || ktap_skip_all "python3 not installed"

: "${OSIM_STRESS_ITERS:=200}"
: "${OSIM_STRESS_SEED:=$((EPOCHSECONDS % 32768))}"
: "${OSIM_STRESS_SECONDS:=180}"
: "${OSIM_STRESS_MB:=8}"
: "${OSIM_STRESS_RATE:=2000000}"
: "${OSIM_STRESS_UDP_PPS:=100}"

ktap_header
ktap_plan 10

START=$EPOCHSECONDS
OSIM_IP4_C=192.0.2.3
TCP_PORT=5501
UDP_PORT=5502
DEV=(osim_a osim_b)
OTHER_IP4=("$OSIM_IP4_B" "$OSIM_IP4_A")

work=$(mktemp -d /tmp/osim-stress.XXXXXX)
defer rm -rf "$work"
log=$work/log

setup_ns ns_a ns_b ns_c
HOME_NS=("$ns_a" "$ns_b")

# log_msg WHAT: a line in the command log.
log_msg()
{
	printf '%s %s\n' "${EPOCHREALTIME:0:14}" "$*" >>"$log"
}

##############################################################################
# Agents: one bash per namespace, fed command lines through a FIFO.

declare -A AG_IN AG_OUT
AG_OUTPUT=

# agent_start NAME NS
agent_start()
{
	local in=$work/$1.in out=$work/$1.out fd

	mkfifo "$in" "$out" || return 1
	ip netns exec "$2" bash --norc --noprofile <"$in" >"$out" 2>&1 &
	defer kill $!
	exec {fd}>"$in"
	AG_IN[$1]=$fd
	exec {fd}<"$out"
	AG_OUT[$1]=$fd
}

# ag NAME CMDLINE: run CMDLINE in agent NAME, stdin /dev/null; its output
# in AG_OUTPUT (through a file: bash reads a pipe a byte at a time), its
# status returned; 255 if the agent did not answer within 120 s.
ag()
{
	local name=$1 res=$work/$1.res t0=${EPOCHREALTIME/./} rc

	shift
	AG_OUTPUT=
	printf '{ %s\n} </dev/null >%s 2>&1; echo "@@rc $?"\n' "$*" "$res" \
		>&"${AG_IN[$name]}"
	if ! IFS= read -r -t 120 rc <&"${AG_OUT[$name]}" ||
	   [ "${rc#@@rc }" = "$rc" ]; then
		AG_OUTPUT="agent $name: no answer (${rc:-timeout})"
		log_msg "$name: $* -> no answer"
		return 255
	fi
	rc=${rc#@@rc }
	IFS= read -r -d '' AG_OUTPUT <"$res"
	log_msg "$name: $* -> $rc, $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
	return "$rc"
}

agent_start a "$ns_a" && agent_start b "$ns_b" && agent_start c "$ns_c" ||
	ktap_bail "agents did not start"
AGH=(a b)

# As osim_ns_quiet; and IPv6 addresses stay on a device that goes down.
for name in a b c; do
	ag "$name" "sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.keep_addr_on_down=1 \
		net.ipv6.conf.default.keep_addr_on_down=1" ||
		ktap_bail "sysctl in agent $name: $AG_OUTPUT"
done

##############################################################################
# Bookkeeping

declare -A N_KIND MS_KIND
FAILS=()
LIFE=0
STEP=0

# bad WHAT: a step did not do what it must; reported at the end.
bad()
{
	FAILS+=("step $STEP: $*")
	log_msg "FAIL: $*"
}

# run_ok E|c DESC CMDLINE: CMDLINE in the agent of end E's home namespace
# (or of ns_c) must succeed.
run_ok()
{
	local e=$1 desc=$2 name=c

	shift 2
	[ "$e" = c ] || name=${AGH[e]}
	ag "$name" "$*" && return 0
	bad "$desc: $(echo "$AG_OUTPUT" | tail -n 3 | tr '\n' ' ')"
	return 1
}

# State of each end in the current life of the pair.
reset_state()
{
	MTU=(1500 1500)
	LSO=(0 0)
	WIRE=(0 0)
	CHAN=(1 1)
	RING=(1024 1024)
	RXFH=(0 0)
	USECS=(0 0)
	FRAMES=(0 0)
	SNAP_OLD=("" "")
	LIFE=$((LIFE + 1))
}

# up_cmd E [addr]: the command line that sets end E up, after adding its
# addresses if asked. On the sending end, host routes to the receiver with
# an RTO floor of 20 ms instead of 200: the stream's retransmission timer
# backs off exponentially over every gap a step makes, and from 200 ms it
# soon waits much longer than the steps take. (IPv4 drops such a route
# when the device goes down: every "up" adds it again.)
up_cmd()
{
	local e=$1 d=${DEV[$1]} lines=() cmd l

	if [ "${2:-}" = addr ]; then
		if [ "$e" = 0 ]; then
			lines+=("addr add $OSIM_IP4_A/24 dev $d"
				"addr add $OSIM_IP6_A/64 dev $d nodad")
		else
			lines+=("addr add $OSIM_IP4_B/24 dev $d"
				"addr add $OSIM_IP6_B/64 dev $d nodad")
		fi
	fi
	lines+=("link set dev $d up")
	[ "$e" = 1 ] ||
		lines+=("route replace $OSIM_IP4_B/32 dev $d rto_min 20ms"
			"route replace $OSIM_IP6_B/128 dev $d rto_min 20ms")
	cmd="printf '%s\\n'"
	for l in "${lines[@]}"; do
		cmd+=" '$l'"
	done
	echo "$cmd | ip -b -"
}

# pair_create: a new pair, addressed and up, in ns_a and ns_b.
pair_create()
{
	log_msg "ip link add osim_a netns ns_a type offloadsim peer name osim_b netns ns_b"
	ip link add osim_a netns "$ns_a" type offloadsim \
		peer name osim_b netns "$ns_b" || { bad "ip link add failed"; return 1; }
	reset_state
	run_ok 0 "osim_a up" "$(up_cmd 0 addr)"
	run_ok 1 "osim_b up" "$(up_cmd 1 addr)"
}

# snap E: end E's counters (ethtool -S, link statistics) against its last
# snapshot in this life: none may go backwards; nothing malformed, no
# oracle mismatch. Two files per end, alternately; SNAP_OLD[E] the last.
SNAPS=0
CFAILS=()
snap()
{
	local e=$1 new out

	new=$work/snap.$e.a
	[ "${SNAP_OLD[e]}" != "$new" ] || new=$work/snap.$e.b
	ag "${AGH[e]}" "d=${DEV[e]}; "'ethtool -S "$d" &&
		for f in /sys/class/net/$d/statistics/*; do
			read -r v <"$f"; echo "link_${f##*/}: $v"
		done' || { bad "ethtool -S ${DEV[e]}: $AG_OUTPUT"; return; }
	out=$(awk -v old="${SNAP_OLD[e]}" -v new="$new" -v dev="${DEV[e]}" '
		BEGIN { while (old != "" && (getline l < old) > 0) { split(l, a); o[a[1]] = a[2] } }
		NF == 2 && $2 ~ /^[0-9]+$/ {
			n = $1; sub(/:$/, "", n); print n, $2 > new
			if (n ~ /_(malformed|verify_mismatch)$/ && $2 != 0)
				print dev, n, "=", $2
			if ((n in o) && $2 < o[n])
				print dev, n, "went backwards:", o[n], "->", $2
		}' "$work/${AGH[e]}.res")
	SNAPS=$((SNAPS + 1))
	SNAP_OLD[e]=$new
	[ -z "$out" ] || CFAILS+=("step $STEP, life $LIFE: $(echo "$out" | head -n 5 | tr '\n' ' ')")
}

##############################################################################
# Traffic

data=$(osim_random_file "$OSIM_STRESS_MB")
want="$(stat -c %s "$data") $(sha256sum <"$data" | cut -d' ' -f1)"
stop=$work/stop
: >"$work/rx"
: >"$work/tx"

# One Python process per role for the whole run (an exec per stream would
# cost the guest as much CPU as the steps):
#   server PORT FILE LOG PROGRESS
#       accepts TCP streams one after the other; per stream a line
#       "SIZE SHA256 FIRST_DIFF STATUS" (FIRST_DIFF: offset of the first
#       byte that differs from FILE, -1 if none) in LOG; in PROGRESS the
#       bytes received from all streams so far, every 64 KB
#   client DST4 DST6 PORT FILE RATE COUNT STOP LOG
#       sends FILE, alternately to DST4 and DST6, paced at RATE bytes a
#       second (SO_MAX_PACING_RATE; 0: not paced), COUNT times or, with
#       COUNT 0, until the file STOP exists; per stream a line "N DST
#       STATUS SECONDS". A failed connect (the pair is away) is retried
#       for 60 s; a connected stream must survive whatever happens.
#   flood DST4 DST6 PORT PPS SEED
#       UDP datagrams at PPS a second, alternately to DST4 and DST6: 1 to
#       3000 bytes (fragmented past the MTU), or 2 to 10 segments of 1200
#       bytes with UDP_SEGMENT (USO); errors (no route) are ignored
traffic=$work/traffic.py
cat >"$traffic" <<'PY'
import hashlib, os, random, socket, sys, time

SO_MAX_PACING_RATE = 47
UDP_SEGMENT = 103

def why(e):
    return "error:" + (e.strerror or type(e).__name__).replace(" ", "_")

def server(port, path, log, progress):
    data = open(path, "rb").read()
    pf = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    total = told = 0
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::", int(port)))
    ls.listen(4)
    buf = bytearray(1 << 16)
    while True:
        c, _ = ls.accept()
        c.settimeout(180)
        h, off, diff, status = hashlib.sha256(), 0, -1, "eof"
        try:
            while True:
                n = c.recv_into(buf)
                if not n:
                    break
                h.update(buf[:n])
                total += n
                if total - told >= 1 << 16:
                    os.pwrite(pf, b"%20d\n" % total, 0)
                    told = total
                if diff < 0 and buf[:n] != data[off:off + n]:
                    diff = off + next(i for i in range(n)
                                      if off + i >= len(data) or
                                      buf[i] != data[off + i])
                off += n
        except OSError as e:
            status = why(e)
        c.close()
        with open(log, "a") as f:
            f.write("%d %s %d %s\n" % (off, h.hexdigest(), diff, status))

def client(d4, d6, port, path, rate, count, stop, log):
    data = open(path, "rb").read()
    count, n = int(count), 0
    while n < count if count else not os.path.exists(stop):
        n += 1
        dst = d4 if n % 2 else d6
        t0 = time.monotonic()
        status, s = "ok", None
        while not s:
            try:
                s = socket.create_connection((dst, int(port)), timeout=30)
            except OSError as e:
                if time.monotonic() - t0 > 60:
                    status = "connect_" + why(e)
                    break
                time.sleep(0.2)
        if s:
            try:
                s.settimeout(150)
                if int(rate):
                    s.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, int(rate))
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                # The server closes once it has read everything.
                while s.recv(4096):
                    pass
            except OSError as e:
                status = why(e)
            s.close()
        with open(log, "a") as f:
            f.write("%d %s %s %.1f\n" % (n, dst, status, time.monotonic() - t0))

def flood(d4, d6, port, pps, seed):
    rng = random.Random(int(seed))
    socks = [(socket.socket(socket.AF_INET, socket.SOCK_DGRAM), d4),
             (socket.socket(socket.AF_INET6, socket.SOCK_DGRAM), d6)]
    data = bytes(range(256)) * 64
    tick, due, n = 1.0 / int(pps), time.monotonic(), 0
    while True:
        s, dst = socks[n % 2]
        n += 1
        if rng.random() < 0.3:
            ln, seg = rng.randint(2, 10) * 1200 - rng.randint(0, 1199), 1200
        else:
            ln, seg = rng.randint(1, 3000), 0
        try:
            s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, seg)
            s.sendto(data[:ln], (dst, int(port)))
        except OSError:
            pass
        due += tick
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        elif now - due > 1:
            due = now

{"server": server, "client": client, "flood": flood}[sys.argv[1]](*sys.argv[2:])
PY

pair_create || ktap_bail "pair setup failed"
wait_for 5 osim_has_carrier "$ns_a" osim_a || ktap_bail "no carrier"

# features_of: the changeable features of an ethtool -k listing (stdin).
features_of()
{
	grep -v '\[fixed\]' | grep -E '^\s*[a-z0-9-]+: '
}

ag a "ethtool -k osim_a" || ktap_bail "ethtool -k: $AG_OUTPUT"
FEAT_DEFAULT=$(echo "$AG_OUTPUT" | features_of)
declare -A FDEF
FEATS=()
while read -r f v rest; do
	[ -z "$rest" ] || ktap_bail "feature not in its default state: $f $v $rest"
	FEATS+=("${f%:}")
	FDEF[${f%:}]=$v
done <<<"$FEAT_DEFAULT"
[ ${#FEATS[@]} -ge 10 ] || ktap_bail "only ${#FEATS[@]} features: ${FEATS[*]}"

bg_ns "$ns_b" socat -u "UDP6-RECV:$UDP_PORT,ipv6only=0" OPEN:/dev/null
bg_ns "$ns_a" "$OSIM_PY" "$traffic" flood "$OSIM_IP4_B" "$OSIM_IP6_B" \
	"$UDP_PORT" "$OSIM_STRESS_UDP_PPS" "$OSIM_STRESS_SEED"
bg_ns "$ns_b" "$OSIM_PY" "$traffic" server "$TCP_PORT" "$data" "$work/rx" \
	"$work/progress"
wait_for 20 osim_listening "$ns_b" "$TCP_PORT" || ktap_bail "no TCP listener"
bg_ns "$ns_a" "$OSIM_PY" "$traffic" client "$OSIM_IP4_B" "$OSIM_IP6_B" \
	"$TCP_PORT" "$data" "$OSIM_STRESS_RATE" 0 "$stop" "$work/tx"
client=$OSIM_BG_PID
if [ -n "${OSIM_STRESS_LOG:-}" ]; then
	bg_ns "$ns_a" bash -c "while :; do echo \"@ \$EPOCHREALTIME\";
		ss -tni dport = :$TCP_PORT | tail -n +2; sleep 0.5; done >$work/ss"
fi

if osim_kmemleak_ready; then
	kmemleak=1
	osim_kmemleak_clear
else
	kmemleak=0
fi

##############################################################################
# Steps. Each takes the end it works on (0: osim_a, 1: osim_b), where that
# matters; RANDOM (seeded) makes every other choice.

RANDOM=$OSIM_STRESS_SEED

# pick VAR VALUE...: VAR = one of the VALUEs. Never in a subshell: bash
# reseeds RANDOM there, and the run would not repeat from its seed.
pick()
{
	local var=$1

	shift
	shift $((RANDOM % $#))
	printf -v "$var" '%s' "$1"
}

# Flip the next two features of this end's sweep from their defaults; at
# the end of the sweep set all back, and ethtool -k must show the defaults.
# (Refusals are by design: lro without rx-checksumming, ...)
FCUR=(0 0)
SWEEPS=0
FFAILS=()
step_feature()
{
	local e=$1 i f args=

	if [ "${FCUR[e]}" -ge ${#FEATS[@]} ]; then
		FCUR[e]=0
		for f in "${FEATS[@]}"; do
			args+=" $f ${FDEF[$f]}"
		done
		ag "${AGH[e]}" "ethtool -K ${DEV[e]}$args"
		if ! ag "${AGH[e]}" "ethtool -k ${DEV[e]}" ||
		   [ "$(echo "$AG_OUTPUT" | features_of)" != "$FEAT_DEFAULT" ]; then
			FFAILS+=("step $STEP: ${DEV[e]}: $(diff <(echo "$FEAT_DEFAULT") \
				<(echo "$AG_OUTPUT" | features_of) | grep '^>' | tr '\n' ' ')")
		fi
		SWEEPS=$((SWEEPS + 1))
		return
	fi
	for i in 0 1; do
		f=${FEATS[FCUR[e]]:-}
		[ -n "$f" ] || break
		FCUR[e]=$((FCUR[e] + 1))
		if [ "${FDEF[$f]}" = on ]; then
			args+=" $f off"
		else
			args+=" $f on"
		fi
	done
	ag "${AGH[e]}" "ethtool -K ${DEV[e]}$args"
}

# knobs_sane E: after 0.2 s, undo a wire_mtu of end E that drops frames
# below its MTU, or an lso_mtu that cuts frames the peer's MTU refuses.
HARMFUL=0
knobs_sane()
{
	local e=$1 fix=

	if [ "${WIRE[e]}" != 0 ] && [ "${WIRE[e]}" -lt "${MTU[e]}" ]; then
		fix+="echo 0 >/sys/class/net/${DEV[e]}/offloadsim/wire_mtu && "
		WIRE[e]=0
	fi
	if [ "${LSO[e]}" != 0 ] && [ "${LSO[e]}" -gt "${MTU[1 - e]}" ]; then
		fix+="echo 0 >/sys/class/net/${DEV[e]}/offloadsim/lso_mtu && "
		LSO[e]=0
	fi
	[ -n "$fix" ] || return 0
	HARMFUL=$((HARMFUL + 1))
	sleep 0.2
	run_ok "$e" "restore knobs" "${fix}true"
}

step_mtu()
{
	local e=$1 v

	case $((RANDOM % 3)) in
	0)
		pick v 1280 1500 2000 4000 9000 16000 65535
		MTU=("$v" "$v")
		run_ok 0 "mtu $v" "ip link set dev osim_a mtu $v"
		run_ok 1 "mtu $v" "ip link set dev osim_b mtu $v"
		N_KIND[mtu.dev]=$((${N_KIND[mtu.dev]:-0} + 1))
		;;
	1)
		pick v 0 576 1000 1400 1500 9000 65535
		LSO[e]=$v
		run_ok "$e" "lso_mtu $v" "echo $v >/sys/class/net/${DEV[e]}/offloadsim/lso_mtu"
		N_KIND[mtu.lso]=$((${N_KIND[mtu.lso]:-0} + 1))
		;;
	2)
		pick v 0 68 576 1280 1500 9000 65535
		WIRE[e]=$v
		run_ok "$e" "wire_mtu $v" "echo $v >/sys/class/net/${DEV[e]}/offloadsim/wire_mtu"
		N_KIND[mtu.wire]=$((${N_KIND[mtu.wire]:-0} + 1))
		;;
	esac
	knobs_sane 0
	knobs_sane 1
}

# new_ring E: RING[E] = another ring size.
new_ring()
{
	local e=$1 v

	pick v 64 128 256 512 1024 2048 4096 16384
	[ "$v" = "${RING[e]}" ] && v=$((v == 64 ? 100 : v - 1))
	RING[e]=$v
}

# new_chan E: CHAN[E] = another channel count, one the indirection table
# allows (if ethtool -X set one). If it allows none but the current 16,
# CHAN_PRE is the command that resets the table first, else empty.
new_chan()
{
	local e=$1 lo v

	CHAN_PRE=
	if [ "${RXFH[e]}" = 16 ]; then
		CHAN_PRE="ethtool -X ${DEV[e]} default && "
		RXFH[e]=0
	fi
	lo=$((RXFH[e] > 1 ? RXFH[e] : 1))
	v=$((lo + RANDOM % (17 - lo)))
	[ "$v" = "${CHAN[e]}" ] && v=$((v < 16 ? v + 1 : v - 1))
	CHAN[e]=$v
}

step_ring()
{
	new_ring "$1"
	run_ok "$1" "ethtool -G rx ${RING[$1]}" "ethtool -G ${DEV[$1]} rx ${RING[$1]}"
}

step_channel()
{
	new_chan "$1"
	run_ok "$1" "ethtool -L combined ${CHAN[$1]}" \
		"${CHAN_PRE}ethtool -L ${DEV[$1]} combined ${CHAN[$1]}"
}

step_rss()
{
	local e=$1 n=${CHAN[$1]} i last b key=
	local -a w=()

	case $((RANDOM % 4)) in
	0)
		i=$((1 + RANDOM % n))
		RXFH[e]=$i
		run_ok "$e" "ethtool -X equal $i" "ethtool -X ${DEV[e]} equal $i"
		;;
	1)
		last=0
		for ((i = 0; i < n; i++)); do
			w+=($((RANDOM % 4)))
			[ "${w[i]}" = 0 ] || last=$((i + 1))
		done
		[ "$last" -gt 0 ] || { w[0]=1; last=1; }
		RXFH[e]=$last
		run_ok "$e" "ethtool -X weight ${w[*]}" "ethtool -X ${DEV[e]} weight ${w[*]}"
		;;
	2)
		for ((i = 0; i < 40; i++)); do
			printf -v b '%02x' $((RANDOM % 256))
			key+=${key:+:}$b
		done
		run_ok "$e" "ethtool -X hkey" "ethtool -X ${DEV[e]} hkey $key"
		;;
	3)
		RXFH[e]=0
		run_ok "$e" "ethtool -X default" "ethtool -X ${DEV[e]} default"
		;;
	esac
}

# rx-frames above 1 needs rx-usecs; never the current setting again.
step_coalesce()
{
	local e=$1 u f

	pick u 0 10 50 200 1000
	pick f 0 1 8 64
	[ "$u" = 0 ] && [ "$f" -gt 1 ] && f=1
	if [ "$u" = "${USECS[e]}" ] && [ "$f" = "${FRAMES[e]}" ]; then
		u=$((u == 0 ? 10 : 0))
		[ "$u" = 0 ] && f=0
	fi
	USECS[e]=$u
	FRAMES[e]=$f
	run_ok "$e" "ethtool -C rx-usecs $u rx-frames $f" \
		"ethtool -C ${DEV[e]} rx-usecs $u rx-frames $f"
}

# Down and up: one end, quickly or after 0.2 s; both ends; or one end with
# new channel and ring counts set while it is down.
step_link()
{
	local e=$1 d=${DEV[$1]}

	case $((RANDOM % 4)) in
	0)
		run_ok "$e" "flap $d" "ip link set dev $d down && $(up_cmd "$e")"
		;;
	1)
		run_ok "$e" "down $d" "ip link set dev $d down"
		sleep 0.2
		run_ok "$e" "up $d" "$(up_cmd "$e")"
		;;
	2)
		run_ok 0 "down osim_a" "ip link set dev osim_a down"
		run_ok 1 "down osim_b" "ip link set dev osim_b down"
		run_ok 1 "up osim_b" "$(up_cmd 1)"
		run_ok 0 "up osim_a" "$(up_cmd 0)"
		;;
	3)
		new_chan "$e"
		new_ring "$e"
		run_ok "$e" "$d down: channels ${CHAN[e]}, ring ${RING[e]}" \
			"ip link set dev $d down && ${CHAN_PRE}ethtool -L $d combined ${CHAN[e]} &&
			 ethtool -G $d rx ${RING[e]} && $(up_cmd "$e")"
		;;
	esac
}

# End E into ns_c as 192.0.2.3, where it must reach the other end; then
# home again with its addresses.
MOVES=0
step_netns()
{
	local e=$1 d=${DEV[$1]}

	run_ok "$e" "$d to ns_c" "ip link set dev $d netns $ns_c" || return
	run_ok c "$d up in ns_c" "ip addr add $OSIM_IP4_C/24 dev $d && ip link set dev $d up"
	if ag c "ping -q -c 1 -w 5 ${OTHER_IP4[e]}"; then
		MOVES=$((MOVES + 1))
	else
		bad "$d in ns_c cannot reach ${OTHER_IP4[e]}: $AG_OUTPUT"
	fi
	run_ok c "$d home" "ip link set dev $d netns ${HOME_NS[e]}"
	run_ok "$e" "$d up at home" "$(up_cmd "$e" addr)"
}

# The pair deleted from either end; or (one time in three) end E moved into
# a namespace of its own that is then deleted: the core deletes the pair
# when it dismantles the namespace, with the other end's traffic in flight.
step_pair()
{
	local e=$1 o=$((1 - $1)) tmp

	snap 0
	snap 1
	if [ $((RANDOM % 3)) = 0 ]; then
		tmp=osim-stress-$STEP-$$
		log_msg "ip netns add $tmp; ${DEV[e]} into it; ip netns del $tmp"
		ip netns add "$tmp" || { bad "ip netns add $tmp failed"; return; }
		run_ok "$e" "${DEV[e]} to $tmp" "ip link set dev ${DEV[e]} netns $tmp"
		ip netns del "$tmp" || bad "ip netns del $tmp failed"
		NS_DELS=$((NS_DELS + 1))
		# Namespaces are dismantled by a worker, a moment later.
		run_ok "$o" "${DEV[o]} gone with the namespace of its peer" \
			"for i in \$(seq 100); do [ -e /sys/class/net/${DEV[o]} ] || break; sleep 0.1; done;
			 ! test -e /sys/class/net/${DEV[o]}"
	else
		run_ok "$e" "delete ${DEV[e]}" "ip link del dev ${DEV[e]}"
		run_ok "$o" "${DEV[o]} gone with its peer" "! test -e /sys/class/net/${DEV[o]}"
	fi
	pair_create
}

# rmmod with the pair and its traffic (odd times), or after deleting the
# pair (even times; refcnt must be 0 then); insmod again as osim_load does.
NS_DELS=0
RMMODS=0
step_rmmod()
{
	local refcnt

	snap 0
	snap 1
	RMMODS=$((RMMODS + 1))
	if [ $((RMMODS % 2)) = 0 ]; then
		run_ok 0 "delete osim_a" "ip link del dev osim_a"
		read -r refcnt </sys/module/offloadsim/refcnt
		[ "$refcnt" = 0 ] || bad "refcnt $refcnt with no pair"
	fi
	log_msg "rmmod offloadsim"
	if ! rmmod offloadsim; then
		bad "rmmod offloadsim failed"
		return
	fi
	! osim_module_loaded || bad "module still there after rmmod"
	log_msg "insmod $OSIM_KO"
	osim_load
	pair_create
}

##############################################################################
# The schedule: steps per kind from weights (at least one of each), in an
# order shuffled by the seed.

WEIGHTS="feature:33 mtu:24 ring:7 channel:7 rss:7 coalesce:4 link:7 netns:4 pair:4 rmmod:3"
sched=()
for kw in $WEIGHTS; do
	n=$((OSIM_STRESS_ITERS * ${kw#*:} / 100))
	for ((i = 0; i < (n > 0 ? n : 1); i++)); do
		sched+=("${kw%:*}")
	done
done
while [ ${#sched[@]} -lt "$OSIM_STRESS_ITERS" ]; do
	sched+=(feature)
done
for ((i = ${#sched[@]} - 1; i > 0; i--)); do
	j=$((RANDOM % (i + 1)))
	k=${sched[i]}
	sched[i]=${sched[j]}
	sched[j]=$k
done

ktap_msg "seed $OSIM_STRESS_SEED (OSIM_STRESS_SEED), ${#sched[@]} steps" \
	"(OSIM_STRESS_ITERS), ${#FEATS[@]} features; streams of" \
	"$OSIM_STRESS_MB MB at $OSIM_STRESS_RATE B/s, UDP $OSIM_STRESS_UDP_PPS/s"
# The disruptive steps (the pair, or one end, away for a moment) come in
# the seed's order, but each waits, behind the non-disruptive steps that
# follow it, until the stream has moved 64 KB since the last: so that it
# hits a stream in flight, not one whose retransmission timer has backed
# off over several gaps in a row (and sleeps for seconds after the last).
DISRUPTIVE=" link netns pair rmmod "
PROG_MARK=0
DEFERRED=0
WAITED=0
flowing()
{
	local p=0

	read -r p <"$work/progress" 2>/dev/null
	[ "${p:-0}" -ge $((PROG_MARK + 65536)) ]
}

t0=$EPOCHSECONDS
for ((i = 0; i < ${#sched[@]}; i++)); do
	k=${sched[i]}
	if [[ $DISRUPTIVE == *" $k "* ]] && ! flowing; then
		for ((j = i + 1; j < ${#sched[@]}; j++)); do
			[[ $DISRUPTIVE == *" ${sched[j]} "* ]] || break
		done
		if [ "$j" -lt ${#sched[@]} ]; then
			sched[i]=${sched[j]}
			sched[j]=$k
			k=${sched[i]}
			DEFERRED=$((DEFERRED + 1))
		else
			wait_for 5 flowing
			WAITED=$((WAITED + 1))
		fi
	fi
	if [ $((EPOCHSECONDS - t0)) -ge "$OSIM_STRESS_SECONDS" ]; then
		ktap_msg "OSIM_STRESS_SECONDS=$OSIM_STRESS_SECONDS used up after $STEP steps"
		break
	fi
	STEP=$((STEP + 1))
	N_KIND[$k]=$((${N_KIND[$k]:-0} + 1))
	ts=${EPOCHREALTIME/./}
	log_msg "step $STEP: $k"
	"step_$k" $((RANDOM % 2))
	[[ $DISRUPTIVE != *" $k "* ]] || read -r PROG_MARK <"$work/progress" 2>/dev/null
	# Every 16 steps the counters of one end, besides at each end of life.
	[ $((STEP % 16)) = 0 ] && snap $((STEP / 16 % 2))
	MS_KIND[$k]=$((${MS_KIND[$k]:-0} + (${EPOCHREALTIME/./} - ts) / 1000))
	[ $((STEP % 50)) = 0 ] &&
		ktap_msg "step $STEP, $((EPOCHSECONDS - t0)) s"
done
t1=$EPOCHSECONDS

summary=
for kw in $WEIGHTS; do
	k=${kw%:*}
	summary+=" $k ${N_KIND[$k]:-0} ($((${MS_KIND[$k]:-0} / 1000)) s)"
done
ktap_msg "$STEP steps in $((t1 - t0)) s:$summary"
ktap_msg "mtu steps: MTU ${N_KIND[mtu.dev]:-0}, lso_mtu ${N_KIND[mtu.lso]:-0}," \
	"wire_mtu ${N_KIND[mtu.wire]:-0}; $HARMFUL undone; $LIFE pair lives," \
	"$NS_DELS ended with their namespace;" \
	"$DEFERRED disruptive steps deferred until the stream flowed, $WAITED waited for it"

# The stream in flight ends; the last life's counters; then one stream
# over IPv4 and one over IPv6 through the pair as the last step left it.
touch "$stop"
wait "$client"
ktap_msg "the last stream ended $((EPOCHSECONDS - t1)) s after the last step"
snap 0
snap 1
in_ns "$ns_a" "$OSIM_PY" "$traffic" client "$OSIM_IP4_B" "$OSIM_IP6_B" \
	"$TCP_PORT" "$data" 0 2 "$stop" "$work/tx.final"

list_fails()
{
	[ $# = 0 ] && return 0
	printf '%s\n' "$@" | head -n 20
	return 1
}
check "every step did what it must" list_fails "${FAILS[@]}"

ktap_msg "$SWEEPS feature sweeps through: ${FEATS[*]}"
check "features set back after each sweep show their defaults" \
	list_fails "${FFAILS[@]}"

check "an end moved to ns_c reaches its peer from there ($MOVES moves)" \
	test "$MOVES" = "${N_KIND[netns]:-0}"

check "rmmod with or without a pair, insmod again ($RMMODS times)" \
	test "$RMMODS" = "${N_KIND[rmmod]:-0}"

ktap_msg "$SNAPS counter snapshots"
check "counters never go backwards; nothing malformed, no oracle mismatch" \
	list_fails "${CFAILS[@]}"

# $work/rx, per stream received: SIZE SHA256 FIRST_DIFF STATUS
# $work/tx, tx.final, per stream sent: N DST STATUS SECONDS
exact='$1 " " $2 == w && $3 == -1 && $4 == "eof"'
read -r n_rx n_exact n_bytes <<<"$(awk -v w="$want" "{ n++ } $exact { e++; b += \$1 }
	END { print n + 0, e + 0, b + 0 }" "$work/rx")"
read -r n_tx n_txok <<<"$(awk '{ n++ } $3 == "ok" { k++ } END { print n + 0, k + 0 }' \
	"$work/tx" "$work/tx.final")"
ktap_msg "TCP: $n_exact of $n_rx streams received byte-exact, $n_bytes bytes;" \
	"$n_txok of $n_tx sent without error"
streams_exact()
{
	awk -v w="$want" "!($exact) { print \"received:\", \$0 }" "$work/rx"
	awk '$3 != "ok" { print "sent:", $0 }' "$work/tx" "$work/tx.final"
	[ "$n_exact" = "$n_rx" ] && [ "$n_txok" = "$n_tx" ] &&
		[ "$n_rx" = "$n_tx" ] && [ "$n_exact" -ge 3 ]
}
check "every TCP stream arrived complete and byte-exact" streams_exact

last_two()
{
	cat "$work/tx.final"
	tail -n 2 "$work/rx"
	[ "$(awk '$3 == "ok"' "$work/tx.final" | wc -l)" = 2 ] &&
		[ "$(tail -n 2 "$work/rx" | awk -v w="$want" "$exact" | wc -l)" = 2 ]
}
check "after the last step: a stream over IPv4 and one over IPv6" last_two

udp4=$(osim_nstat "$ns_b" UdpInDatagrams)
udp6=$(osim_nstat "$ns_b" Udp6InDatagrams)
ktap_msg "UDP datagrams received: IPv4 ${udp4:-0}, IPv6 ${udp6:-0}"
check "the UDP flood got through" test "${udp4:-0}" -gt 0 -a "${udp6:-0}" -gt 0

pair_gone()
{
	local ns refcnt

	ip -n "$ns_a" link del dev osim_a || return 1
	for ns in "$ns_a" "$ns_b" "$ns_c" ""; do
		[ -z "$(osim_links "$ns")" ] || { echo "left: $(osim_links "$ns")"; return 1; }
	done
	refcnt=$(cat /sys/module/offloadsim/refcnt)
	echo "refcnt $refcnt"
	[ "$refcnt" = 0 ]
}
check "pair deleted: no device left, module refcnt 0" pair_gone

if [ "$kmemleak" = 1 ]; then
	check "kmemleak: nothing leaked" osim_kmemleak_scan
else
	ktap_skip "kmemleak: nothing leaked" "no kmemleak on this kernel"
fi

if [ -n "${OSIM_STRESS_LOG:-}" ]; then
	mkdir -p "$OSIM_STRESS_LOG" &&
		cp "$log" "$work/tx" "$work/tx.final" "$work/rx" "$OSIM_STRESS_LOG/" &&
		cp "$work/ss" "$OSIM_STRESS_LOG/" 2>/dev/null
fi
if [ "$KTAP_FAIL" != 0 ]; then
	ktap_msg "the command log's last lines:"
	tail -n 30 "$log" | sed 's/^/#   /'
fi
ktap_msg "total $((EPOCHSECONDS - START)) s"
ktap_finish
