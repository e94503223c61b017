#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the default kernel in a throw-away QEMU VM, load
# offloadsim, join two network namespaces with a pair and push traffic
# through it (scripts/demo-guest.sh is what runs inside).
#
# Environment: KERNEL=6.12 (or 6.1, or a full release), DEMO_SECONDS=10.

set -eu
cd "$(dirname "$0")/.."

scripts/install-deps.sh
. scripts/kernels.sh

kernel=${KERNEL:-6.12}
rel=$(osim_kernels "$kernel")
[ -n "$rel" ] || { echo "demo: no kernel matches $kernel" >&2; exit 1; }

make -s tools
scripts/build-matrix.sh "$rel"

exec scripts/vm.sh --kernel "$rel" --timeout 600 -- \
	scripts/demo-guest.sh ".build/$rel/offloadsim.ko"
