#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LSO-MTU benchmark: three phases of iperf3 through one offloadsim pair
# in the test VM, side by side:
#
#   healthy     lso_mtu 0, wire_mtu 0
#   bug         lso_mtu 9000, wire_mtu 1500 (the engine ignores gso_size)
#   workaround  the bug, with ethtool -K tso off
#
# Usage: scripts/bench-lso.sh [SECONDS]      (default 10 per phase)
# Environment: KERNEL=6.12. Raw iperf3 JSON lands in results/bench-lso-*/.

set -eu
cd "$(dirname "$0")/.."

secs=${1:-10}
kernel=${KERNEL:-6.12}

scripts/install-deps.sh
. scripts/kernels.sh
rel=$(osim_kernels "$kernel")
[ -n "$rel" ] || { echo "bench-lso: no kernel matches $kernel" >&2; exit 1; }
make -s tools
scripts/build-matrix.sh "$rel"

out=results/bench-lso-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
scripts/vm.sh --kernel "$rel" --timeout $((secs * 3 + 300)) -- \
	scripts/bench-lso-guest.sh ".build/$rel/offloadsim.ko" "$secs" "$out"
