#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks that do not need a kernel build: checkpatch.pl --strict on
# every kernel source file, and bash -n on every script. (The W=1 and
# sparse builds are scripts/build-matrix.sh.)
#
# checkpatch.pl comes from Debian's linux-source-6.12 (installed by
# scripts/install-deps.sh), unpacked once into .tools/ by
# scripts/source-tools.sh.

set -eu
cd "$(dirname "$0")/.."

scripts/source-tools.sh
cp=.tools/checkpatch.pl

rc=0
# The tracked sources only: not probed.h, nor the *.mod.c of an in-tree build.
files=$(git ls-files -- 'kernel/*.[ch]')
# shellcheck disable=SC2086
if ! perl "$cp" --no-tree --strict --terse --show-types -f $files; then
	rc=1
fi

for f in scripts/*.sh selftests/*.sh .ci/run; do
	bash -n "$f" || rc=1
done

[ "$rc" = 0 ] && echo "lint: clean"
exit $rc
