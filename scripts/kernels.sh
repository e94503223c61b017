# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced helper: which Debian kernels offloadsim builds and tests for.

# osim_kernels [PREFIX...]: installed kernel releases, newest first, that have
# both headers and an image; "6.1" matches 6.1.x but not 6.12.x. Without a
# prefix, the newest release of each supported series (6.12, 6.1).
osim_kernels()
{
	local prefixes="${*:-6.12 6.1}" p rel all

	all=$(for d in /usr/src/linux-headers-*-amd64; do
		rel=${d#/usr/src/linux-headers-}
		case $rel in *-cloud-amd64 | *-rt-amd64) continue ;; esac
		[ -f "/boot/vmlinuz-$rel" ] && [ -d "/lib/modules/$rel" ] && echo "$rel"
	done | sort -V -r)

	for p in $prefixes; do
		for rel in $all; do
			case $rel in
			"$p" | "$p".* | "$p"-* | "$p"+*)
				echo "$rel"
				break
				;;
			esac
		done
	done
}
