#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build offloadsim against every installed Debian kernel header set (the
# plain amd64 flavour), with W=1 and sparse (C=2). A warning from either
# fails the build. Each kernel gets its own copy of the sources in
# .build/<kernel release>/, so builds never share objects, and the module
# lands in .build/<kernel release>/offloadsim.ko.
#
# Usage: scripts/build-matrix.sh [VERSION-PREFIX|KERNEL-TREE...]
#   e.g. scripts/build-matrix.sh 6.12     only the 6.12 headers
#   A KERNEL-TREE (a path with a "/", such as the debug kernel tree of
#   scripts/debug-kernel.sh) is built against as is; its module lands in
#   .build/<its kernel release>/ as well.

set -eu
cd "$(dirname "$0")/.."
. scripts/kernels.sh

sparse_flag=C=2
if ! command -v sparse >/dev/null; then
	echo "build-matrix: sparse not installed (scripts/install-deps.sh)" >&2
	exit 1
fi

# Debian header sets are named by their package's release (6.1.0-56-amd64,
# which is not their kernel.release), trees by their kernel.release.
prefixes=()
trees=()
for k in "$@"; do
	case $k in
	*/*) trees+=("$(cd "$k" && pwd -P)") ;;
	*) prefixes+=("$k") ;;
	esac
done
builds=()
if [ ${#prefixes[@]} -gt 0 ] || [ ${#trees[@]} -eq 0 ]; then
	releases=$(osim_kernels "${prefixes[@]}")
	[ -n "$releases" ] || { echo "build-matrix: no kernel headers found" >&2; exit 1; }
	for rel in $releases; do
		builds+=("$rel=/usr/src/linux-headers-$rel")
	done
fi
for kdir in "${trees[@]}"; do
	builds+=("$(<"$kdir/include/config/kernel.release")=$kdir")
done

rc=0
for b in "${builds[@]}"; do
	rel=${b%%=*}
	kdir=${b#*=}
	out=$PWD/.build/$rel
	rm -rf "$out"
	mkdir -p "$out/src"
	cp -a Kbuild kernel "$out/src/"
	echo "build-matrix: $rel (W=1 $sparse_flag)"
	if ! make -C "$kdir" M="$out/src" W=1 $sparse_flag modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		echo "build-matrix: $rel: build FAILED" >&2
		rc=1
		continue
	fi
	# Diagnostics from gcc and sparse both carry "warning:" or "error:".
	if grep -E '(warning|error):' "$out/build.log" >&2; then
		echo "build-matrix: $rel: warnings (see above)" >&2
		rc=1
	fi
	ln -sf src/kernel/offloadsim.ko "$out/offloadsim.ko"
done
exit $rc
