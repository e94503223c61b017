#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's KUnit suites pass on this kernel. They are built into
# offloadsim.ko when the kernel it is built against has CONFIG_KUNIT
# (kernel/tests/: segmentation, checksums, LRO/GRO decisions, RSS), and
# KUnit runs a module's suites when the module loads: the test reloads the
# module, then reads each suite's KTAP result from debugfs
# (/sys/kernel/debug/kunit/<suite>/results, CONFIG_KUNIT_DEBUGFS) or, without
# it, from the kernel log. One result line per suite; any "not ok" fails.
#
# Skips on a kernel without KUnit (Debian's) and for a module built
# without the suites. Leaves the module loaded, as osim_load does.
#
#   no devices, no traffic: insmod offloadsim.ko -> KUnit -> results

source "$(dirname "$0")/lib.sh"

# The suites the module has; any other osim_* suite found is reported too.
SUITES="osim_tso osim_csum osim_rx_csum osim_lro osim_rss"
DEBUGFS=/sys/kernel/debug
KUNIT_DIR=$DEBUGFS/kunit

require_root
require_cmd dmesg insmod rmmod

[ -d "$KUNIT_DIR" ] || mount -t debugfs debugfs "$DEBUGFS" 2>/dev/null || true
if [ ! -d "$KUNIT_DIR" ] && [ ! -d /sys/module/kunit ] &&
	! grep -qw __kunit_test_suites_init /proc/kallsyms 2>/dev/null &&
	! modprobe -q kunit 2>/dev/null; then
	ktap_skip_all "kernel $(uname -r) has no KUnit (CONFIG_KUNIT is not set)"
fi
[ -f "$OSIM_KO" ] || ktap_skip_all "module not built: $OSIM_KO"
# kunit_test_suites() puts the suites in their own ELF section.
grep -qa '\.kunit_test_suites' "$OSIM_KO" ||
	ktap_skip_all "$OSIM_KO was built without its KUnit suites" \
		"(against a kernel without CONFIG_KUNIT)"

ktap_header

# KUnit runs the suites from insmod, before it returns.
if osim_module_loaded; then
	rmmod offloadsim || ktap_bail "rmmod offloadsim failed"
fi
mark="offloadsim-kunit: $$ $(date +%s%N)"
echo "$mark" >/dev/kmsg
insmod "$OSIM_KO" verify="${OSIM_VERIFY:-1}" || ktap_bail "insmod $OSIM_KO failed"

# The kernel log since the load, timestamps cut.
klog()
{
	dmesg | sed -n "/$mark\$/,\$p" | sed 's/^\[[^]]*\] //'
}

klog | grep -q '^kunit: disabled' &&
	ktap_skip_all "KUnit is disabled on this kernel (kunit.enable=0)"

# suite_result SUITE: the suite's KTAP, "ok"/"not ok" last; nothing if it
# did not run.
suite_result()
{
	if [ -r "$KUNIT_DIR/$1/results" ]; then
		cat "$KUNIT_DIR/$1/results"
		return
	fi
	# No debugfs: the log, from the suite's header to its result line.
	klog | sed -n "/^    # Subtest: $1\$/,/^\(not \)\?ok [0-9]* $1\$/p"
}

found=""
if [ -d "$KUNIT_DIR" ]; then
	found=$(cd "$KUNIT_DIR" && ls -d osim_* 2>/dev/null)
else
	found=$(klog | sed -n 's/^\(not \)\?ok [0-9]* \(osim_[a-z0-9_]*\)$/\2/p')
fi
# shellcheck disable=SC2086 # word splitting wanted: lists of names
mapfile -t all < <(printf '%s\n' $SUITES $found | awk 'NF && !seen[$0]++')

ktap_plan "${#all[@]}"
for s in "${all[@]}"; do
	res=$(suite_result "$s")
	last=$(echo "$res" | grep -E "^(not )?ok [0-9]+ $s( #.*)?\$" | tail -n 1)
	cases=$(echo "$res" | grep -cE '^    (not )?ok [0-9]+ ')
	failed=$(echo "$res" | grep -cE '^    not ok [0-9]+ ')
	if [ -z "$last" ]; then
		ktap_fail "$s" "no result for $s: the suite did not run"
	elif [ "${last#not }" != "$last" ] || [ "$failed" -gt 0 ]; then
		echo "$res" | sed 's/^/# /'
		ktap_fail "$s" "$failed of $cases cases failed"
	else
		ktap_msg "$s: $cases cases passed"
		ktap_pass "$s"
	fi
done

ktap_finish
