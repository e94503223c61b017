#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the selftest suite on a debug kernel. Builds (or reuses)
# the KASAN + lockdep + kmemleak + UBSAN + DEBUG_NET + KUnit kernel of
# scripts/debug-kernel.sh, makes sure the bare kernel boots with a clean
# log under the VM's CPU model, then runs scripts/check.sh on it: the module
# built against the tree (W=1, sparse), every selftest (KUnit suites
# included, see selftests/kunit.sh), the unload, and a kmemleak scan at the
# end of each VM. Any KASAN, lockdep, UBSAN, kmemleak, WARN or BUG report
# fails the run. Ends with "N passed, N failed, N skipped".
#
# Environment: TESTS, CHECK_JOBS, CHECK_SHARDS, OSIM_TIMEOUT_SCALE as for
# scripts/check.sh; OSIM_DEBUG_CACHE as for scripts/debug-kernel.sh.

set -eu
cd "$(dirname "$0")/.."

scripts/install-deps.sh
tree=$(scripts/debug-kernel.sh)

echo "check-debug: booting the bare kernel (no module) to check its log"
if ! scripts/vm.sh --kernel "$tree" --timeout 600 -- true; then
	echo "check-debug: the debug kernel itself does not boot clean" \
		"(see the report above): not judging the module on it" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

KERNELS=$tree exec scripts/check.sh
