#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build the module for every supported
# kernel, boot each kernel in a throw-away QEMU VM and run the selftest suite
# there. Ends with one line "N passed, N failed, N skipped" counting one
# result per test per kernel; exits 0 only if nothing failed.
#
# Environment:
#   KERNELS="6.12 6.1"   kernel series (or full releases) to test, or kernel
#                        build trees (a path with a "/"; make check-debug)
#   TESTS="pair_basic"   tests to run (default: selftests/Makefile TEST_PROGS)
#   CHECK_JOBS=N         VMs run side by side (default 2 with 2+ CPUs)
#   CHECK_SHARDS=N       split a kernel's tests over N VMs (default 1, and
#                        CHECK_JOBS for a build tree with KASAN: a TCG VM
#                        uses one host CPU, a KASAN kernel is the slow one)
#   OSIM_TIMEOUT_SCALE=N multiply the per-test timeout (default 1, and 3 for
#                        a build tree with KASAN)
#
# A test that crashes the guest is recorded as failed and the VM is booted
# again for the tests after it, so one oops never hides other results.

set -eu
cd "$(dirname "$0")/.."
top=$PWD

scripts/install-deps.sh
. scripts/kernels.sh

kernels=${KERNELS:-6.12 6.1}
read -r -a tests <<<"${TESTS:-$(make -s -C selftests list)}"

make -s tools
make -s -C selftests
scripts/source-tools.sh

# KERNELS: Debian releases by prefix, build trees by path. kboot maps each
# release to what vm.sh --kernel boots, kslow marks the KASAN trees.
prefixes=()
trees=()
for k in $kernels; do
	case $k in
	*/*) trees+=("$(cd "$k" && pwd -P)") ;;
	*) prefixes+=("$k") ;;
	esac
done
declare -A kboot=() kslow=()
releases=
if [ ${#prefixes[@]} -gt 0 ]; then
	for rel in $(osim_kernels "${prefixes[@]}"); do
		releases="$releases $rel"
		kboot[$rel]=$rel
	done
fi
for t in "${trees[@]}"; do
	rel=$(<"$t/include/config/kernel.release")
	releases="$releases $rel"
	kboot[$rel]=$t
	grep -q '^CONFIG_KASAN=y' "$t/.config" && kslow[$rel]=1
done
[ -n "$releases" ] || { echo "check: no kernel matches KERNELS=$kernels" >&2; exit 1; }
scripts/build-matrix.sh "${prefixes[@]}" "${trees[@]}"

per_test=$(sed -n 's/^timeout=//p' selftests/settings)
stamp=$(date +%Y%m%d-%H%M%S)
pass=0
fail=0
skip=0
summary=()

# run_kernel REL SHARD TEST...: boot REL as often as needed to run every
# TEST once; results in results/check-<stamp>/REL/results-SHARD.
run_kernel()
{
	local rel=$1 shard=$2 out res boot rc crashed done_tests t scale
	local -a left next

	shift 2
	out=$top/results/check-$stamp/$rel
	mkdir -p "$out"
	res=$out/results-$shard
	: >"$res"
	left=("${@%.sh}")
	boot=0
	scale=${OSIM_TIMEOUT_SCALE:-${kslow[$rel]:+3}}
	scale=${scale:-1}

	while [ ${#left[@]} -gt 0 ]; do
		boot=$((boot + 1))
		echo "check: $rel: shard $shard boot $boot: ${left[*]}"
		rc=0
		OSIM_TIMEOUT_SCALE=$scale scripts/vm.sh --kernel "${kboot[$rel]}" \
			--timeout $(((${#left[@]} + 1) * per_test * scale + 120)) \
			--log "$out/console-$shard-$boot.log" -- \
			selftests/run.sh --module ".build/$rel/offloadsim.ko" \
			--results "$res" "${left[@]}" || rc=$?

		# A test left "running" is where the guest died or timed out.
		crashed=$(awk '{ s[$1] = $2 } END { for (t in s) if (s[t] == "running") print t }' "$res")
		for t in $crashed; do
			echo "check: $rel: $t did not finish (vm exit $rc): failed" >&2
			echo "$t fail" >>"$res"
		done

		# vm.sh exit 3: the kernel log has a report the runner could not
		# pin on a test (e.g. after the last one). Count it as a failure.
		if [ "$rc" = 3 ] && ! grep -q ' fail$' "$res"; then
			echo "kernel_log fail" >>"$res"
		fi

		done_tests=$(awk '$2 != "running" { print $1 }' "$res" | sort -u)
		next=()
		for t in "${left[@]}"; do
			grep -qx "$t" <<<"$done_tests" || next+=("$t")
		done
		if [ ${#next[@]} -eq ${#left[@]} ]; then
			# No progress: the VM did not even start the first test.
			for t in "${left[@]}" offloadsim_unload; do
				echo "$t fail" >>"$res"
			done
			echo "check: $rel: VM made no progress (exit $rc), see $out" >&2
			break
		fi
		left=("${next[@]}")
	done

}

# VMs run one after the other, or side by side when the machine has the
# CPUs (each VM is one TCG thread): CHECK_JOBS overrides. A kernel's tests
# can be dealt out to CHECK_SHARDS VMs, round robin (each VM also unloads
# the module at its end).
njobs=${CHECK_JOBS:-$(($(nproc) >= 2 ? 2 : 1))}
runs=()
for rel in $releases; do
	nshards=${CHECK_SHARDS:-${kslow[$rel]:+$njobs}}
	nshards=${nshards:-1}
	[ "$nshards" -le ${#tests[@]} ] || nshards=${#tests[@]}
	for ((sh = 1; sh <= nshards; sh++)); do
		runs+=("$rel $sh $(for ((i = sh - 1; i < ${#tests[@]}; i += nshards)); do
			printf '%s ' "${tests[i]}"; done)")
	done
done
if [ "$njobs" -gt 1 ] && [ ${#runs[@]} -gt 1 ]; then
	pids=()
	for r in "${runs[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$njobs" ]; do
			wait -n || true
		done
		read -r rel sh t <<<"$r"
		mkdir -p "$top/results/check-$stamp/$rel"
		echo "check: $rel: shard $sh started, log in results/check-$stamp/$rel/check-$sh.log"
		# shellcheck disable=SC2086 # the test list splits on purpose
		run_kernel $r >"$top/results/check-$stamp/$rel/check-$sh.log" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}" || true
	for r in "${runs[@]}"; do
		read -r rel sh t <<<"$r"
		echo "==== check: $rel shard $sh"
		cat "$top/results/check-$stamp/$rel/check-$sh.log"
	done
else
	for r in "${runs[@]}"; do
		# shellcheck disable=SC2086
		run_kernel $r
	done
fi

for rel in $releases; do
	res=$(cat "$top/results/check-$stamp/$rel"/results-*)
	# Verdict per test: fail if any boot failed it, else its last result.
	while read -r t r; do
		summary+=("$(printf '%-24s %-20s %s' "$rel" "$t" "$r")")
		case $r in
		pass) pass=$((pass + 1)) ;;
		skip) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done < <(awk '$2 != "running" { if (s[$1] != "fail") s[$1] = $2; if (!($1 in o)) o[$1] = n++ }
		END { for (t in s) print o[t], t, s[t] }' <<<"$res" | sort -n | cut -d' ' -f2-)
done

echo
echo "check: results in results/check-$stamp/"
printf '%s\n' "${summary[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
