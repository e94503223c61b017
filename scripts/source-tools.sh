#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack the kernel's own developer tools offloadsim uses from Debian's
# linux-source-6.12 tarball (installed by scripts/install-deps.sh) into
# .tools/, once:
#   .tools/checkpatch.pl (+ spelling.txt, const_structs.checkpatch)
#   .tools/ynl/          tools/net/ynl (cli.py, lib/) and the netlink specs,
#                        so selftests can read netdev queue stats:
#                        python3 .tools/ynl/tools/net/ynl/cli.py \
#                          --spec .tools/ynl/Documentation/netlink/specs/netdev.yaml ...

set -eu
cd "$(dirname "$0")/.."

tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "source-tools: no linux-source-6.12 (scripts/install-deps.sh)" >&2
	exit 1
fi
dir=$(basename "$tarball" .tar.xz)
mkdir -p .tools

if [ ! -f .tools/checkpatch.pl ]; then
	tar -xJf "$tarball" -C .tools --strip-components=2 \
		"$dir/scripts/checkpatch.pl" "$dir/scripts/spelling.txt" \
		"$dir/scripts/const_structs.checkpatch"
fi

if [ ! -f .tools/ynl/tools/net/ynl/cli.py ]; then
	rm -rf .tools/ynl.tmp
	mkdir -p .tools/ynl.tmp
	tar -xJf "$tarball" -C .tools/ynl.tmp --strip-components=1 \
		"$dir/tools/net/ynl/cli.py" "$dir/tools/net/ynl/lib" \
		"$dir/Documentation/netlink"
	rm -rf .tools/ynl
	mv .tools/ynl.tmp .tools/ynl
fi
