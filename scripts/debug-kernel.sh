#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or bring up to date) the debug kernel of "make check-debug": Debian's
# linux-source-6.12, the version the default target tests, configured from
# allnoconfig plus scripts/debug-kernel.config (KASAN, lockdep, kmemleak,
# UBSAN, DEBUG_NET, KUnit; everything built in), the small-config approach
# of WireGuard's test harness.
#
# Usage: scripts/debug-kernel.sh
#
# Prints the build tree on stdout; scripts/vm.sh boots it with
# "--kernel <tree>" and modules build against it with KDIR=<tree>.
#
# The tree is cached in ${OSIM_DEBUG_CACHE:-/var/tmp/osim-debug}: it is
# extracted again only when the linux-source package changes, and rebuilt
# by kbuild's own incremental make, so a second run with the same source
# and config costs well under a minute. Measured on 2 CPUs: extraction
# ~10 s, a full build ~11 min. The build log is <cache>/build.log.

set -eu
cd "$(dirname "$0")/.."
top=$PWD

SRC_PKG=linux-source-6.12
tarball=/usr/src/$SRC_PKG.tar.xz
fragment=$top/scripts/debug-kernel.config
cache=${OSIM_DEBUG_CACHE:-${XDG_CACHE_HOME:-/var/tmp}/osim-debug}
tree=$cache/$SRC_PKG
log=$cache/build.log

say()
{
	echo "debug-kernel: $*" >&2
}

die()
{
	say "$*"
	exit 1
}

[ -r "$tarball" ] || die "no $tarball (apt-get install $SRC_PKG)"
mkdir -p "$cache"

# Extract once per package version.
src_id=$(dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null || true)
src_id="$src_id $(stat -L -c '%s %Y' "$tarball")"
if [ ! -r "$tree/.osim-source" ] || [ "$(<"$tree/.osim-source")" != "$src_id" ]; then
	say "extracting $tarball to $cache"
	rm -rf "$tree" "$tree.new"
	mkdir -p "$tree.new"
	tar -xJf "$tarball" -C "$tree.new" --strip-components=1
	echo "$src_id" >"$tree.new/.osim-source"
	mv "$tree.new" "$tree"
fi

# The config is generated beside the tree's .config and only replaces it
# when it differs, so an unchanged config keeps every object.
cd "$tree"
new=.config.osim
make -s KCONFIG_CONFIG=$new allnoconfig >/dev/null
sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' "$fragment" | while read -r o; do
	scripts/config --file $new -e "${o#CONFIG_}"
done
sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$fragment" | while read -r o; do
	scripts/config --file $new -d "${o#CONFIG_}"
done
scripts/config --file $new --set-str LOCALVERSION -osim-debug
make -s KCONFIG_CONFIG=$new olddefconfig >/dev/null
bad=$(grep -E '^(CONFIG_[A-Z0-9_]*=y|# CONFIG_[A-Z0-9_]* is not set)$' "$fragment" |
	grep -vxF -f $new || true)
[ -z "$bad" ] || die "options that do not stick (missing dependency?): $bad"
if ! cmp -s $new .config; then
	say "config changed"
	mv -f $new .config
else
	rm -f $new
fi

say "building in $tree (log: $log)"
start=$(date +%s)
# One retry: a parallel build of this tree failed once in lib/math for no
# reason a serial re-run could find.
if ! make -j"$(nproc)" vmlinux modules >"$log" 2>&1 &&
	! make -j"$(nproc)" vmlinux modules >>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	die "build failed, see $log"
fi
say "$(make -s kernelrelease) built in $(($(date +%s) - start)) s"
echo "$tree"
