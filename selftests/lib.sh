#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# offloadsim selftest library: KTAP output, cleanup, the module, network
# namespaces and pairs. Every test sources this file and nothing else.
#
# Conventions (those of tools/testing/selftests): a test prints KTAP on
# stdout and exits 0 (pass), 1 (fail) or 4 (skip); diagnostics are KTAP
# comments ("# ...").

set -u

OSIM_LIB_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
OSIM_TOP=$(dirname "$OSIM_LIB_DIR")
: "${OSIM_KO:=$OSIM_TOP/kernel/offloadsim.ko}"
# ip(8) finds "type offloadsim" through this plugin (tools/iproute2).
: "${IP_LIB_DIR:=$OSIM_TOP/tools/iproute2}"
export IP_LIB_DIR
OSIM_NEWLINK=$OSIM_TOP/tools/nl/osim_newlink

ksft_pass=0
ksft_fail=1
ksft_skip=4

# Addresses of the two ends of a test pair (documentation ranges).
OSIM_IP4_A=192.0.2.1
OSIM_IP4_B=192.0.2.2
OSIM_IP6_A=2001:db8::1
OSIM_IP6_B=2001:db8::2

##############################################################################
# KTAP

KTAP_NUM=0
KTAP_PLAN=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	KTAP_PLAN=$1
	echo "1..$1"
}

ktap_msg()
{
	echo "# $*"
}

ktap_pass()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM $1"
}

# ktap_fail DESC [WHY]
ktap_fail()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	[ -n "${2:-}" ] && ktap_msg "$2"
	echo "not ok $KTAP_NUM $1"
}

# ktap_skip DESC WHY
ktap_skip()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM $1 # SKIP $2"
}

# ktap_skip_all WHY: the whole test cannot run here.
ktap_skip_all()
{
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

# ktap_bail WHY: a setup step failed; later subtests are meaningless.
ktap_bail()
{
	echo "Bail out! $*"
	exit $ksft_fail
}

# check DESC CMD [ARGS...]: one subtest that passes if CMD succeeds. CMD's
# output is shown as KTAP comments only when it fails.
check()
{
	local desc=$1 out
	shift

	if out=$("$@" 2>&1); then
		ktap_pass "$desc"
	else
		ktap_fail "$desc" "$(echo "$out" | tail -n 20 | sed 's/^/  /')"
	fi
}

# check_fail DESC CMD [ARGS...]: passes if CMD fails.
check_fail()
{
	local desc=$1
	shift

	check "$desc" osim_not "$@"
}

osim_not()
{
	if "$@"; then
		echo "unexpectedly succeeded: $*"
		return 1
	fi
	return 0
}

ktap_finish()
{
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ "$KTAP_NUM" -ne "$KTAP_PLAN" ]; then
		echo "# planned $KTAP_PLAN subtests, ran $KTAP_NUM"
		exit $ksft_fail
	fi
	[ "$KTAP_FAIL" -eq 0 ] || exit $ksft_fail
	[ "$KTAP_PASS" -gt 0 ] || exit $ksft_skip
	exit $ksft_pass
}

##############################################################################
# Cleanup: defer CMD runs CMD at exit, last deferred first.

OSIM_DEFERRED=()

defer()
{
	OSIM_DEFERRED+=("$*")
}

osim_cleanup()
{
	local i

	for ((i = ${#OSIM_DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${OSIM_DEFERRED[i]}" >/dev/null 2>&1 || true
	done
	OSIM_DEFERRED=()
}

trap osim_cleanup EXIT

##############################################################################
# Environment

# require_cmd CMD...: skip the whole test if a tool is missing.
require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ktap_skip_all "$c not installed"
	done
}

require_root()
{
	[ "$(id -u)" = 0 ] || ktap_skip_all "needs root"
}

osim_module_loaded()
{
	[ -d /sys/module/offloadsim ]
}

# osim_load: make sure the module under test is loaded (skip if it cannot
# be: wrong kernel, or not built). The suite runs with the segmentation
# oracle on (verify=1; OSIM_VERIFY=0 turns it off): a frame that differs
# from software GSO is logged, and run.sh fails the test it happens in.
osim_load()
{
	osim_module_loaded && return 0
	[ -f "$OSIM_KO" ] || ktap_skip_all "module not built: $OSIM_KO"
	insmod "$OSIM_KO" verify="${OSIM_VERIFY:-1}" ||
		ktap_bail "insmod $OSIM_KO failed"
}

osim_unload()
{
	osim_module_loaded || return 0
	rmmod offloadsim
}

# osim_setup: the common prologue of every test.
osim_setup()
{
	require_root
	require_cmd ip ethtool
	[ -x "$OSIM_NEWLINK" ] && [ -f "$IP_LIB_DIR/link_offloadsim.so" ] ||
		ktap_skip_all "tools not built (make tools)"
	osim_load
}

##############################################################################
# Waiting

# wait_for SECONDS CMD [ARGS...]: poll CMD every 0.1 s until it succeeds,
# for at most SECONDS times OSIM_TIMEOUT_SCALE (slow kernels: run.sh).
wait_for()
{
	local deadline=$(($(date +%s%N) / 1000000 +
			  $1 * ${OSIM_TIMEOUT_SCALE:-1} * 1000))
	shift

	until "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

##############################################################################
# Namespaces

OSIM_NS_LIST=()

# setup_ns VAR...: create one namespace per VAR, named "VAR-<random>",
# with lo up; VAR holds the name. Removed at exit.
setup_ns()
{
	local var name

	for var in "$@"; do
		name=$(mktemp -u "${var}-XXXXXX")
		ip netns add "$name" || ktap_bail "ip netns add $name failed"
		ip -n "$name" link set lo up
		OSIM_NS_LIST+=("$name")
		defer ip netns del "$name"
		eval "$var=$name"
	done
}

# in_ns NS CMD...: run CMD in NS (NS may be "" for the initial namespace).
in_ns()
{
	local ns=$1
	shift

	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

##############################################################################
# Pairs

# link_exists [NS] DEV
link_exists()
{
	if [ $# -eq 2 ]; then
		ip -n "$1" link show dev "$2" >/dev/null 2>&1
	else
		ip link show dev "$1" >/dev/null 2>&1
	fi
}

# osim_links [NS]: names of the offloadsim devices in NS, one per line.
osim_links()
{
	local nsarg=()

	[ -n "${1:-}" ] && nsarg=(-n "$1")
	ip "${nsarg[@]}" -o link show type offloadsim 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

# osim_pair_add DEV_A DEV_B: a pair in the initial namespace, deleted at exit.
osim_pair_add()
{
	ip link add "$1" type offloadsim peer name "$2" || return 1
	defer ip link del "$1"
}

# osim_pair_ns NS_A NS_B [DEV_A DEV_B]: a pair with DEV_A in NS_A and DEV_B
# in NS_B, up, with OSIM_IP{4,6}_A on DEV_A and OSIM_IP{4,6}_B on DEV_B.
osim_pair_ns()
{
	local ns_a=$1 ns_b=$2 a=${3:-osim_a} b=${4:-osim_b}

	ip link add "$a" netns "$ns_a" type offloadsim \
		peer name "$b" netns "$ns_b" || return 1
	ip -n "$ns_a" addr add "$OSIM_IP4_A/24" dev "$a"
	ip -n "$ns_b" addr add "$OSIM_IP4_B/24" dev "$b"
	ip -n "$ns_a" addr add "$OSIM_IP6_A/64" dev "$a" nodad
	ip -n "$ns_b" addr add "$OSIM_IP6_B/64" dev "$b" nodad
	ip -n "$ns_a" link set "$a" up
	ip -n "$ns_b" link set "$b" up
	wait_for 5 osim_has_carrier "$ns_a" "$a" &&
		wait_for 5 osim_has_carrier "$ns_b" "$b"
}

# osim_has_carrier NS DEV
osim_has_carrier()
{
	[ "$(in_ns "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ]
}

# osim_link_stat NS DEV COUNTER: one of /sys/class/net/DEV/statistics/.
osim_link_stat()
{
	in_ns "$1" cat "/sys/class/net/$2/statistics/$3"
}

# osim_ethtool_stat NS DEV NAME: one `ethtool -S` counter.
osim_ethtool_stat()
{
	in_ns "$1" ethtool -S "$2" | awk -v n="$3:" '$1 == n { print $2; f = 1 }
		END { exit !f }'
}

##############################################################################
# Traffic

# bg_ns NS CMD [ARGS...]: start CMD in NS in the background, killed at exit;
# its pid in OSIM_BG_PID. "ip netns exec" execs CMD, so the pid is CMD's.
bg_ns()
{
	local ns=$1
	shift

	ip netns exec "$ns" "$@" &
	OSIM_BG_PID=$!
	defer kill "$OSIM_BG_PID"
}

# osim_listening NS PORT: a TCP socket listens on PORT in NS.
osim_listening()
{
	[ -n "$(in_ns "$1" ss -Htln "sport = :$2")" ]
}

# osim_tcp_transfer NS_SRC NS_DST DST_ADDR FILE: send FILE over TCP with
# socat from NS_SRC to NS_DST and print the sha256 of what arrived.
osim_tcp_transfer()
{
	local ns_src=$1 ns_dst=$2 addr=$3 file=$4 port=${OSIM_PORT:-5201}
	local out srv

	out=$(mktemp /tmp/osim-rx.XXXXXX)
	ip netns exec "$ns_dst" socat -u "TCP6-LISTEN:$port,reuseaddr,ipv6only=0" \
		"CREATE:$out" &
	srv=$!
	if ! wait_for 10 osim_listening "$ns_dst" "$port"; then
		kill "$srv"
		rm -f "$out"
		return 1
	fi

	case $addr in
	*:*) addr="[$addr]" ;;
	esac
	in_ns "$ns_src" timeout $((300 * ${OSIM_TIMEOUT_SCALE:-1})) \
		socat -u "OPEN:$file" "TCP:$addr:$port"
	wait "$srv"
	sha256sum <"$out" | cut -d' ' -f1
	rm -f "$out"
}

##############################################################################
# Offloads

# osim_feature NS DEV FEATURE: "on" or "off", as ethtool -k shows it.
osim_feature()
{
	in_ns "$1" ethtool -k "$2" | awk -v f="$3:" '$1 == f { print $2 }'
}

# osim_knob NS DEV KNOB [VALUE]: read or write /sys/class/net/DEV/offloadsim/KNOB.
osim_knob()
{
	if [ $# -eq 4 ]; then
		in_ns "$1" sh -c "echo $4 > /sys/class/net/$2/offloadsim/$3"
	else
		in_ns "$1" cat "/sys/class/net/$2/offloadsim/$3"
	fi
}

# osim_q_stat rx|tx NS DEV NAME: NAME summed over the RX or TX queues in
# ethtool -S (rx_queue_<N>_NAME, tx_queue_<N>_NAME).
osim_q_stat()
{
	in_ns "$2" ethtool -S "$3" |
		awk -v re="^$1_queue_[0-9]+_$4:\$" '$1 ~ re { s += $2 }
			END { print s + 0 }'
}

# osim_txq_stat NS DEV NAME / osim_rxq_stat NS DEV NAME
osim_txq_stat()
{
	osim_q_stat tx "$@"
}

osim_rxq_stat()
{
	osim_q_stat rx "$@"
}

# osim_nstat NS COUNTER: a kernel SNMP counter (e.g. TcpRetransSegs) in NS.
osim_nstat()
{
	in_ns "$1" nstat -asz "$2" | awk -v c="$2" '$1 == c { print $2 }'
}

# osim_random_file MB: a file of MB MiB of random bytes, removed at exit.
# osim_transfer_during NS_SRC NS_DST ADDR FILE SHA256 FUNC [ARGS...]: send
# FILE over TCP while FUNC ARGS runs in the background (reconfiguring the
# pair, say). True if the stream arrived byte-exact and FUNC succeeded.
osim_transfer_during()
{
	local src=$1 dst=$2 addr=$3 file=$4 want=$5 got pid frc=0
	shift 5

	"$@" &
	pid=$!
	got=$(osim_tcp_transfer "$src" "$dst" "$addr" "$file")
	wait "$pid" || frc=$?
	echo "sha256 ${got:-none} (want $want), $1 exit $frc"
	[ "$got" = "$want" ] && [ "$frc" = 0 ]
}

# osim_case_expand CASES: a table of "NAME|FAMILIES|COUNTERS|TRAIN" lines,
# one case per family, numbered: "N|FAMILY|NAME|COUNTERS|TRAIN".
osim_case_expand()
{
	local name fams counters train fam i=0

	while IFS='|' read -r name fams counters train; do
		[ -n "$name" ] || continue
		for fam in $fams; do
			i=$((i + 1))
			echo "$i|$fam|$name|$counters|$train"
		done
	done <<<"$1"
}

osim_random_file()
{
	local f

	f=$(mktemp /tmp/osim-data.XXXXXX)
	defer rm -f "$f"
	head -c "$(($1 * 1024 * 1024))" /dev/urandom >"$f"
	echo "$f"
}

# osim_counters_agree NS_A DEV_A NS_B DEV_B: DEV_A's tx packets and bytes
# equal DEV_B's rx packets and bytes, once neighbour discovery and other
# traffic sent between two reads has settled.
osim_counters_agree()
{
	wait_for 5 __osim_counters_agree "$@" || __osim_counters_agree "$@"
}

__osim_counters_agree()
{
	local txp rxp txb rxb

	txp=$(osim_link_stat "$1" "$2" tx_packets)
	rxp=$(osim_link_stat "$3" "$4" rx_packets)
	txb=$(osim_link_stat "$1" "$2" tx_bytes)
	rxb=$(osim_link_stat "$3" "$4" rx_bytes)
	echo "$2 tx $txp/$txb, $4 rx $rxp/$rxb"
	[ "$txp" = "$rxp" ] && [ "$txb" = "$rxb" ]
}

# osim_tx_clean NS DEV: the transmit engine dropped nothing and found
# nothing malformed.
osim_tx_clean()
{
	local m d

	m=$(osim_txq_stat "$1" "$2" malformed)
	d=$(osim_txq_stat "$1" "$2" dropped)
	echo "$2: malformed $m, dropped $d"
	[ "$m" = 0 ] && [ "$d" = 0 ]
}

# osim_no_drops NS DEV [NS DEV...]: no frame dropped or missed on any of
# the devices (ip -s link: tx_dropped, rx_dropped, rx_missed_errors).
osim_no_drops()
{
	local c v rc=0

	while [ $# -ge 2 ]; do
		for c in tx_dropped rx_dropped rx_missed_errors; do
			v=$(osim_link_stat "$1" "$2" $c)
			echo "$2: $c $v"
			[ "$v" = 0 ] || rc=1
		done
		shift 2
	done
	return $rc
}

# osim_uso_send NS DST PORT LEN SEGSIZE COUNT: from NS, COUNT UDP writes of
# LEN bytes with UDP_SEGMENT set to SEGSIZE, so that the stack hands the
# device UDP GSO skbs (USO). The payload byte n is (n * 7) % 251.
osim_uso_send()
{
	in_ns "$1" python3 - "$2" "$3" "$4" "$5" "$6" <<'PY'
import socket, sys
dst, port, ln, seg, n = sys.argv[1], *map(int, sys.argv[2:])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 103, seg)  # UDP_SEGMENT
data = bytes((i * 7) % 251 for i in range(ln))
for _ in range(n):
    s.sendto(data, (dst, port))
PY
}

##############################################################################
# Receive engine tests (rx_rss.sh, rx_ring.sh): a pair quiet enough that
# every frame a receive queue counts is one the test sent.

# osim_ns_quiet NS...: devices created in NS afterwards send no IPv6 router
# solicitations and do no duplicate address detection.
osim_ns_quiet()
{
	local ns

	for ns in "$@"; do
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
	done
}

# osim_static_neigh NS_A NS_B [DEV_A DEV_B]: permanent IPv4 and IPv6
# neighbour entries for the pair of osim_pair_ns, both ways: no ARP or
# neighbour discovery on the wire.
osim_static_neigh()
{
	local ns_a=$1 ns_b=$2 a=${3:-osim_a} b=${4:-osim_b} mac_a mac_b

	mac_a=$(in_ns "$ns_a" cat "/sys/class/net/$a/address") &&
		mac_b=$(in_ns "$ns_b" cat "/sys/class/net/$b/address") || return 1
	ip -n "$ns_a" neigh replace "$OSIM_IP4_B" lladdr "$mac_b" dev "$a" nud permanent &&
		ip -n "$ns_a" neigh replace "$OSIM_IP6_B" lladdr "$mac_b" dev "$a" nud permanent &&
		ip -n "$ns_b" neigh replace "$OSIM_IP4_A" lladdr "$mac_a" dev "$b" nud permanent &&
		ip -n "$ns_b" neigh replace "$OSIM_IP6_A" lladdr "$mac_a" dev "$b" nud permanent
}

# osim_ipv4_pair NS_A NS_B: osim_pair_ns for tests that count every frame:
# IPv4 only (IPv6 off on both ends: no MLD, RS or ND), permanent ARP
# entries, so that the devices' counters move only with the test's traffic.
osim_ipv4_pair()
{
	osim_ns_quiet "$1" "$2" &&
		osim_pair_ns "$1" "$2" &&
		osim_static_neigh "$1" "$2" &&
		in_ns "$1" sysctl -qw net.ipv6.conf.osim_a.disable_ipv6=1 &&
		in_ns "$2" sysctl -qw net.ipv6.conf.osim_b.disable_ipv6=1
}

# osim_rxq_list NS DEV NQ NAME: rx_queue_<i>_NAME for i = 0..NQ-1, on one
# line separated by spaces (0 for a queue ethtool -S does not show).
osim_rxq_list()
{
	in_ns "$1" ethtool -S "$2" | awk -v nq="$3" -v n="$4" '
		{ for (i = 0; i < nq; i++) if ($1 == "rx_queue_" i "_" n ":") v[i] = $2 }
		END { for (i = 0; i < nq; i++) printf "%s%d", i ? " " : "", v[i]; print "" }'
}

##############################################################################
# Receive engine: crafted TCP trains (osim_train.py), per-queue counter
# snapshots, a sender that sends nothing of its own. Used by rx_gro.sh,
# rx_lro.sh, rx_csum.sh and rx_matrix.sh.

OSIM_TRAIN=$OSIM_LIB_DIR/osim_train.py
OSIM_PY=$(command -v /usr/bin/python3 || command -v python3)

# osim_quiet_pair NS_A NS_B: after osim_pair_ns, make osim_a (the sender of
# crafted frames) send nothing on its own, so that every frame osim_b
# receives is one the test sent: permanent neighbour entries on both sides
# (no ARP, no ND from osim_b), then no IPv6 on osim_a (no MLD, RS, ND).
osim_quiet_pair()
{
	osim_static_neigh "$1" "$2" &&
		in_ns "$1" sysctl -qw net.ipv6.conf.osim_a.disable_ipv6=1
}

# osim_rxq_snap NS DEV: every rx_queue_N_NAME counter summed over the
# queues, one "NAME VALUE" line each.
osim_rxq_snap()
{
	in_ns "$1" ethtool -S "$2" | awk '$1 ~ /^rx_queue_[0-9]+_/ {
		n = $1; sub(/^rx_queue_[0-9]+_/, "", n); sub(/:$/, "", n)
		s[n] += $2 } END { for (n in s) print n, s[n] }' | sort
}

# osim_snap_delta BEFORE AFTER [NAME]: AFTER - BEFORE (two osim_rxq_snap
# outputs) for NAME, or "NAME DELTA" lines for every counter that moved.
osim_snap_delta()
{
	awk -v want="${3:-}" 'FNR == NR { b[$1] = $2; next }
		want == "" && $2 != b[$1] { print $1, $2 - b[$1] }
		want != "" && $1 == want { print $2 - b[$1]; f = 1 }
		END { if (want != "" && !f) print "NA" }' \
		<(echo "$1") <(echo "$2")
}

# osim_train_batch NS_RX DEV_RX NS_TX DEV_TX DIR MODEL CASEFILE: for every
# line "TAG|4 or 6|TRAIN" of CASEFILE, make the train land in one NAPI
# poll of DEV_RX (rx-usecs 100000, rx-frames = its length), send it from
# DEV_TX and keep what DEV_RX received in DIR/TAG.cap, the model's
# expectation (MODEL gro|lro) in DIR/TAG.model and the RX queue counters
# that moved in DIR/TAG.delta ("NAME DELTA" lines); DIR/TAG.err when the
# case could not run. One python process for all cases.
osim_train_batch()
{
	in_ns "$1" "$OSIM_PY" "$OSIM_TRAIN" batch --cap-dev "$2" --send-ns "$3" \
		--send-dev "$4" --out "$5" --model "$6" "$7"
}

# osim_case_ok OUT: the case OUT of osim_train_batch ran.
osim_case_ok()
{
	[ ! -e "$1.err" ] && [ -e "$1.cap" ] && return 0
	cat "$1.err" 2>/dev/null || echo "$1: no capture"
	return 1
}

# osim_case_delta OUT NAME: how much NAME moved in case OUT.
osim_case_delta()
{
	awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$1.delta"
}

# osim_case_model OUT aggs|aggsegs: from the model's summary line.
osim_case_model()
{
	sed -n "s/^summary .* $2=\([0-9]*\).*/\1/p" "$1.model"
}

# osim_case_match OUT: the capture equals the model, frame by frame.
osim_case_match()
{
	local d

	d=$(diff -u <(grep -v '^summary' "$1.model") \
		<(grep -v '^summary' "$1.cap")) && return 0
	echo "model (-) vs received (+):"
	echo "$d" | head -14
	return 1
}

##############################################################################
# Result files of the demo and the benchmark (demo_smoke.sh, bench_smoke.sh)

# osim_is_png FILE: FILE is non-empty and starts with the PNG signature.
osim_is_png()
{
	local magic

	magic=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')
	echo "$1: $(stat -c %s "$1") bytes, starts with $magic"
	[ "$magic" = 89504e470d0a1a0a ]
}

# osim_json_check FILE EXPR: FILE parses as JSON and the Python expression
# EXPR is true of it (as d).
osim_json_check()
{
	"$OSIM_PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else "false: " + sys.argv[2])' "$1" "$2"
}

# osim_csv_rows FILE N: FILE parses as CSV with a header line and N rows of
# as many fields.
osim_csv_rows()
{
	"$OSIM_PY" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
n = len(rows) - 1
print("%s: %d rows of %s" % (sys.argv[1], n, [len(r) for r in rows]))
sys.exit(n != int(sys.argv[2]) or any(len(r) != len(rows[0]) for r in rows))' \
		"$1" "$2"
}

##############################################################################
# kmemleak (debug kernels)

OSIM_KMEMLEAK=/sys/kernel/debug/kmemleak

# osim_kmemleak_ready: true on a kernel with kmemleak on (mounts debugfs).
osim_kmemleak_ready()
{
	[ -e "$OSIM_KMEMLEAK" ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
	[ -w "$OSIM_KMEMLEAK" ] || return 1
	# A kmemleak that is disabled (kmemleak=off, or after an error)
	# refuses commands.
	echo scan >"$OSIM_KMEMLEAK" 2>/dev/null
}

# osim_kmemleak_clear: forget objects reported so far (the kernel's own
# boot-time false positives), so a later scan shows only new leaks.
osim_kmemleak_clear()
{
	echo clear >"$OSIM_KMEMLEAK"
}

# osim_kmemleak_scan: scan now and print the unreferenced objects found
# since the last clear, as KTAP comments; fails if there are any. Objects
# younger than 5 s are never reported, so wait that long after the work.
osim_kmemleak_scan()
{
	local n

	sleep 6
	echo scan >"$OSIM_KMEMLEAK"
	echo scan >"$OSIM_KMEMLEAK"
	n=$(grep -c '^unreferenced object' "$OSIM_KMEMLEAK")
	[ "$n" = 0 ] && return 0
	ktap_msg "kmemleak: $n unreferenced objects"
	head -n 60 "$OSIM_KMEMLEAK" | sed 's/^/# /'
	return 1
}
