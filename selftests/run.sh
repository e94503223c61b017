#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run offloadsim selftests on the running kernel (inside the test VM) and
# print KTAP: one "ok"/"not ok" line per test, its own output as comments.
#
# Usage: run.sh [--module KO] [--results FILE] [TEST...]
#   --module KO     offloadsim.ko to test (default: kernel/offloadsim.ko)
#   --results FILE  append "<test> running|pass|fail|skip" lines as tests
#                   start and end, so a host can tell which test a crash
#                   interrupted
#   TEST            names with or without .sh; default: TEST_PROGS
#
# A test fails when it exits 1, when it times out (settings: timeout=), or
# when the kernel log shows a report while it runs (WARNING, BUG, Oops,
# KASAN, UBSAN, lockdep, refcount_t, leaked netdev references..., and the
# segmentation oracle's "differs from software GSO").

set -u
dir=$(dirname "$(readlink -f "$0")")
top=$(dirname "$dir")

module=$top/kernel/offloadsim.ko
results=/dev/null
while [ $# -gt 0 ]; do
	case $1 in
	--module) module=$(realpath -m "$2"); shift 2 ;;
	--results) results=$(realpath -m "$2"); shift 2 ;;
	--) shift; break ;;
	-*) echo "usage: $0 [--module KO] [--results FILE] [TEST...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
export OSIM_KO=$module
cd "$dir" || exit 1

tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -r -a tests <<<"$(make -s list)"

timeout=$(sed -n 's/^timeout=//p' settings)
: "${timeout:=300}"
# Debug kernels are slower: scripts/check.sh scales the timeout for them.
timeout=$((timeout * ${OSIM_TIMEOUT_SCALE:-1}))

# On a kernel with kmemleak, the run ends with a scan: whatever the suite
# leaked and nothing referenced any more. Objects from before the suite
# (boot) are forgotten first.
kmemleak=/sys/kernel/debug/kmemleak
kmemleak_on=0
if [ -w "$kmemleak" ] && echo clear >"$kmemleak" 2>/dev/null; then
	kmemleak_on=1
fi

# Kernel log lines that fail the test they appear in.
OSIM_KLOG_BAD='differs from software GSO|WARNING:|BUG:|Oops|KASAN|UBSAN|kmemleak|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep|refcount_t|unregister_netdevice: waiting for|general protection fault|Kernel panic|RIP:|stack-protector|list_add corruption|list_del corruption'

klog_mark()
{
	echo "offloadsim-selftest: $*" >/dev/kmsg
}

# Kernel log since the marker of the given test.
klog_since()
{
	dmesg | sed -n "/offloadsim-selftest: start $1\$/,\$p"
}

# run_one TEST: run TEST in a session of its own, its output live as KTAP
# comments, and return its exit status (124 on timeout). Whatever the test
# leaves running in its session is killed when it exits.
run_one()
{
	local log pid tailpid rc

	log=$(mktemp /tmp/osim-test.XXXXXX)
	setsid timeout -k 10 "$timeout" "./$1.sh" >"$log" 2>&1 </dev/null &
	pid=$!
	tail -n +1 -f --pid="$pid" "$log" | sed -u 's/^/# /' &
	tailpid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$tailpid"
	rm -f "$log"
	return "$rc"
}

echo "TAP version 13"
# Extra results: unloading the module after the last test, and on a
# kmemleak kernel the leak scan after that.
echo "1..$((${#tests[@]} + 1 + kmemleak_on))"

n=0
failed=0
for t in "${tests[@]}"; do
	t=${t%.sh}
	n=$((n + 1))
	echo "# selftests: offloadsim: $t"
	if [ ! -x "$t.sh" ]; then
		echo "not ok $n selftests: offloadsim: $t # no such test"
		echo "$t fail" >>"$results"
		failed=$((failed + 1))
		continue
	fi

	echo "$t running" >>"$results"
	klog_mark "start $t"
	start=$(date +%s)
	run_one "$t"
	rc=$?
	klog_mark "end $t"
	secs=$(($(date +%s) - start))

	bad=$(klog_since "$t" | grep -E "$OSIM_KLOG_BAD")
	if [ -n "$bad" ]; then
		echo "# kernel log during $t:"
		klog_since "$t" | grep -E -B2 -A15 "$OSIM_KLOG_BAD" | head -60 |
			sed 's/^/#   /'
		rc=1
	fi

	case $rc in
	0) res=pass; echo "ok $n selftests: offloadsim: $t # ${secs}s" ;;
	4) res=skip; echo "ok $n selftests: offloadsim: $t # SKIP" ;;
	124 | 137) res=fail
		echo "not ok $n selftests: offloadsim: $t # TIMEOUT ${timeout}s" ;;
	*) res=fail; echo "not ok $n selftests: offloadsim: $t # exit=$rc" ;;
	esac
	[ "$res" = fail ] && failed=$((failed + 1))
	echo "$t $res" >>"$results"
done

# Unloading must be clean too: the end of every device, NAPI and ring.
n=$((n + 1))
echo "offloadsim_unload running" >>"$results"
klog_mark "start offloadsim_unload"
rc=0
if [ -d /sys/module/offloadsim ] && ! rmmod offloadsim; then
	rc=1
fi
klog_mark "end offloadsim_unload"
if klog_since offloadsim_unload | grep -E "$OSIM_KLOG_BAD"; then
	rc=1
fi
if [ "$rc" = 0 ]; then
	echo "ok $n selftests: offloadsim: offloadsim_unload"
	echo "offloadsim_unload pass" >>"$results"
else
	echo "not ok $n selftests: offloadsim: offloadsim_unload"
	echo "offloadsim_unload fail" >>"$results"
	failed=$((failed + 1))
fi

# kmemleak reports objects after they are 5 s old and unreferenced in
# two scans.
if [ "$kmemleak_on" = 1 ]; then
	n=$((n + 1))
	echo "kmemleak_scan running" >>"$results"
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(grep -c '^unreferenced object' "$kmemleak")
	if [ "$leaks" = 0 ]; then
		echo "ok $n selftests: offloadsim: kmemleak_scan"
		echo "kmemleak_scan pass" >>"$results"
	else
		echo "# kmemleak: $leaks unreferenced objects:"
		head -n 100 "$kmemleak" | sed 's/^/#   /'
		echo "not ok $n selftests: offloadsim: kmemleak_scan # $leaks leaks"
		echo "kmemleak_scan fail" >>"$results"
		failed=$((failed + 1))
	fi
fi

[ "$failed" -eq 0 ]
