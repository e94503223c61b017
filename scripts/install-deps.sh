#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what offloadsim needs to build, boot test VMs and run its selftests
# on a Debian 12 host. Idempotent: packages already present are not touched,
# and apt is only consulted when something is missing.
#
# Kernel packages are resolved from the archive at run time: Debian replaces
# the ABI-numbered linux-image/linux-headers packages on every security
# update, so a pinned name would stop resolving within weeks.
#
#   6.1  : linux-image-amd64 + linux-headers-amd64 (the bookworm metapackages)
#   6.12 : the newest linux-{image,headers}-6.12.*+deb12-amd64 pair
#
# Usage: scripts/install-deps.sh [--check]
#   --check   only report what is missing; exit 1 if anything is.

set -eu

TOOLS_PKGS="qemu-system-x86 busybox-static kmod iproute2 ethtool iperf3 tcpdump
socat iputils-ping procps sparse xz-utils zstd cpio make gcc bc flex bison
libelf-dev python3 python3-yaml gnuplot-nox linux-source-6.12"

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

export DEBIAN_FRONTEND=noninteractive

apt_updated=0
apt_update_once()
{
	[ "$apt_updated" = 1 ] && return 0
	echo "install-deps: apt-get update"
	apt-get update -qq
	apt_updated=1
}

is_installed()
{
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Newest "linux-<kind>-6.12.N+deb12-amd64" whose image AND headers exist.
resolve_612()
{
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-headers-//' | sort -V -r |
		while read -r abi; do
			if apt-cache show "linux-image-$abi" >/dev/null 2>&1; then
				echo "$abi"
				break
			fi
		done
}

have_612()
{
	ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1 &&
		ls /boot/vmlinuz-6.12.*+deb12-amd64 >/dev/null 2>&1
}

have_61()
{
	is_installed linux-image-amd64 && is_installed linux-headers-amd64
}

missing=""
for p in $TOOLS_PKGS; do
	is_installed "$p" || missing="$missing $p"
done
have_61 || missing="$missing linux-image-amd64 linux-headers-amd64"
have_612 || missing="$missing linux-6.12"

if [ -z "$missing" ]; then
	echo "install-deps: everything present"
	exit 0
fi

if [ "$check_only" = 1 ]; then
	echo "install-deps: missing:$missing"
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi

apt_update_once
pkgs=""
for p in $missing; do
	case "$p" in
	linux-6.12)
		abi=$(resolve_612)
		if [ -z "$abi" ]; then
			echo "install-deps: no linux-headers-6.12.*+deb12-amd64 in the archive" >&2
			exit 1
		fi
		pkgs="$pkgs linux-image-$abi linux-headers-$abi"
		;;
	*)
		pkgs="$pkgs $p"
		;;
	esac
done

echo "install-deps: installing:$pkgs"
# Recommends would drag in firmware and bootloader bits the test VM never uses.
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs
echo "install-deps: done"
