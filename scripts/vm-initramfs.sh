#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse from cache) the boot files scripts/vm.sh needs for one
# installed kernel.
#
# Usage: scripts/vm-initramfs.sh KERNEL_VERSION|KERNEL_TREE CACHE_DIR
#
# KERNEL_TREE is a kernel build directory (scripts/debug-kernel.sh makes
# one): its vmlinux boots as is, the root modules must be built in, and the
# initramfs carries a /lib/modules/<release> made from its modules.builtin
# so that modprobe of a built-in driver succeeds in the guest.
#
# Prints two lines on stdout: the kernel image to boot and the initramfs.
#
# Kernel image: /boot/vmlinuz-<version> decompressed to its vmlinux ELF,
# which QEMU boots directly through the PVH entry point. Under TCG the
# in-guest decompressor needs ~3 s for a Debian kernel, the extraction on
# the host well under one and it is done once. Falls back to the vmlinuz
# itself when the payload cannot be extracted or has no PVH note, or when
# OSIM_VM_PVH=0.
#
# Initramfs: busybox-static, the modules needed to reach the host root over
# virtio-9p and stack an overlayfs on it (whatever of virtio_pci,
# virtio_console, 9pnet_virtio, 9p and overlay plus dependencies is not
# built into the kernel, decompressed, in load order) and /init. vm.sh
# appends a second cpio archive with the per-run files in /osim/ (share,
# init, cmd, cwd, env). /init mounts the host root read-only as the lower
# layer of an overlayfs with a tmpfs upper layer, mounts the shared
# (repository) directory read-write, hands over /dev, /proc and a tmpfs /run
# holding busybox, the per-run files and the share, then switch_root's into
# the overlay and execs scripts/vm-init.sh there, which moves the share to
# its absolute host path. The archive is not compressed: under TCG
# unpacking costs more than reading it.
#
# Both are cached in CACHE_DIR/<version>/, keyed on this script, the kernel
# image, the module tree and busybox, so they are rebuilt whenever any of
# them changes. Cache directories of kernels no longer installed are
# removed.

set -eu
# Byte semantics for grep -P on binary data.
export LC_ALL=C

ver=${1:?usage: vm-initramfs.sh KERNEL_VERSION CACHE_DIR}
cache=${2:?usage: vm-initramfs.sh KERNEL_VERSION CACHE_DIR}

# Root modules; dependencies are resolved by modprobe. virtio_console
# carries the command's output, without it that ends up in the kernel log.
MODS_REQUIRED="virtio_pci 9pnet_virtio 9p overlay"
MODS_OPTIONAL="virtio_console"

BUSYBOX=${OSIM_VM_BUSYBOX:-/bin/busybox}
APPLETS="sh mount umount insmod mkdir cat cp echo sleep switch_root"

die()
{
	echo "vm-initramfs: $*" >&2
	exit 1
}

self=$(readlink -f "$0")
tree=
if [ -d "$ver" ]; then
	tree=$(cd "$ver" && pwd -P)
	ver=$(cat "$tree/include/config/kernel.release") ||
		die "$tree is not a built kernel tree"
	moddir=$tree
	kimg=$tree/vmlinux
	moddep=$tree/modules.order
else
	moddir=/lib/modules/$ver
	kimg=/boot/vmlinuz-$ver
	moddep=$moddir/modules.dep
fi

[ -r "$kimg" ] || die "no kernel image $kimg"
[ -r "$moddep" ] || die "no $moddep"
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (apt-get install busybox-static)"
if ! "$BUSYBOX" --list 2>/dev/null | grep -qx switch_root; then
	die "$BUSYBOX lacks switch_root"
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is dynamically linked (need busybox-static)"
fi

key=$( {
	sha256sum "$self"
	echo "modsig=${OSIM_VM_MODSIG:-0}"
	stat -L -c '%n %s %Y' "$kimg" "$moddep" \
		"$moddir/modules.builtin" "$BUSYBOX"
} | sha256sum | cut -c1-16)

dir=$cache/$ver
initrd=$dir/initramfs-$key.cpio
vmlinux=$dir/vmlinux-$key
novmlinux=$dir/vmlinux-$key.none

# publish TMP DEST: atomically move a finished build into place and drop
# stale builds of the same kind.
publish()
{
	local f

	mv -f "$1" "$2"
	for f in "${2%-*}"-*; do
		case "$f" in
		"$2"|"$2".*) ;;
		*) rm -f "$f" ;;
		esac
	done
}

# extract_vmlinux OUT: decompress the payload of $kimg (the way the kernel's
# scripts/extract-vmlinux does) and check it is a PVH-bootable ELF.
extract_vmlinux()
{
	local out=$1 magic tool re off

	for magic in zstd xz gzip; do
		case $magic in
		zstd) tool="zstd -qdc";	re='\x28\xb5\x2f\xfd' ;;
		xz)   tool="xz -qdc";	re='\xfd7zXZ\x00' ;;
		gzip) tool="gzip -qdc";	re='\x1f\x8b\x08' ;;
		esac
		command -v "${tool%% *}" >/dev/null || continue
		off=$(grep -abo -m1 -P "$re" "$kimg" | head -n 1 | cut -d: -f1)
		[ -n "$off" ] || continue
		# Trailing data after the stream makes the decompressors
		# complain; the result is checked instead.
		tail -c +$((off + 1)) "$kimg" | $tool >"$out" 2>/dev/null || true
		[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] ||
			continue
		# ELF note "Xen", XEN_ELFNOTE_PHYS32_ENTRY (18).
		if grep -aqP '\x04\x00\x00\x00[\x04\x08]\x00\x00\x00\x12\x00\x00\x00Xen\x00' "$out"; then
			return 0
		fi
	done
	return 1
}

mkdir -p "$dir"

# VMs start side by side (make check's kernels, make check-debug's
# shards): one at a time through here, so none removes or rewrites what
# another is about to boot.
exec {lock}>"$cache/.lock"
flock "$lock"

# Forget kernels that are gone (Debian replaces ABI versions on updates).
for d in "$cache"/*/initramfs-*.cpio; do
	d=${d%/*}
	if [ -s "$d/tree" ]; then
		[ -e "$(<"$d/tree")/vmlinux" ] || rm -rf "$d"
		continue
	fi
	[ -e "$d/tree" ] || [ -e "/boot/vmlinuz-${d##*/}" ] || rm -rf "$d"
done
if [ -n "$tree" ] && [ "$(cat "$dir/tree" 2>/dev/null)" != "$tree" ]; then
	echo "$tree" >"$dir/tree.new"
	mv -f "$dir/tree.new" "$dir/tree"
fi

if [ -n "$tree" ]; then
	# A build tree's vmlinux is the ELF already.
	boot=$kimg
elif [ "${OSIM_VM_PVH:-1}" = 0 ]; then
	boot=$kimg
elif [ -s "$vmlinux" ]; then
	boot=$vmlinux
elif [ -e "$novmlinux" ]; then
	boot=$kimg
else
	tmp=$(mktemp "$dir/vmlinux.XXXXXX")
	if extract_vmlinux "$tmp"; then
		chmod 644 "$tmp"
		publish "$tmp" "$vmlinux"
		boot=$vmlinux
	else
		rm -f "$tmp"
		echo "vm-initramfs: cannot extract a PVH vmlinux from $kimg, booting it as is" >&2
		: >"$novmlinux"
		boot=$kimg
	fi
fi

if [ -s "$initrd" ]; then
	printf '%s\n%s\n' "$boot" "$initrd"
	exit 0
fi

work=$(mktemp -d "$dir/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

root=$work/root
mkdir -p "$root"/bin "$root"/lib/modules "$root"/dev "$root"/proc \
	"$root"/lower "$root"/rw "$root"/newroot
cp "$BUSYBOX" "$root"/bin/busybox
for a in $APPLETS; do
	ln -s busybox "$root/bin/$a"
done

# Collect "insmod <path>" lines in dependency order, de-duplicated.
order=$work/order
# builtin MODULE: true if the build tree has MODULE built in.
builtin()
{
	grep -q -e "/$1\.ko\$" -e "/${1//_/-}\.ko\$" "$tree/modules.builtin"
}

: >"$order"
for m in $MODS_REQUIRED $MODS_OPTIONAL; do
	if [ -n "$tree" ]; then
		builtin "$m" && continue
		case " $MODS_OPTIONAL " in
		*" $m "*) continue ;;
		esac
		die "$tree: $m must be built in (=y)"
	fi
	if ! deps=$(modprobe --show-depends --set-version "$ver" "$m" 2>/dev/null); then
		case " $MODS_OPTIONAL " in
		*" $m "*) continue ;;
		esac
		die "module $m neither built in nor available for $ver"
	fi
	printf '%s\n' "$deps" | awk '$1 == "insmod" { print $2 }' >>"$order"
done

: >"$root"/lib/modules/load-order
# strip_sig FILE: drop the appended module signature. Checking it costs
# ~0.1 s per module under TCG; the kernel then says "module verification
# failed" and taints itself 'E', as any unsigned out-of-tree module does.
strip_sig()
{
	local f=$1 size len

	[ "$(tail -c 28 "$f")" = "~Module signature appended~" ] || return 0
	size=$(stat -c %s "$f")
	# struct module_signature (12 bytes) ends with the __be32 sig_len.
	len=$(tail -c 32 "$f" | head -c 4 | od -An -tu1 |
		awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
	truncate -s $((size - 28 - 12 - len)) "$f"
}

awk '!seen[$0]++' "$order" | while read -r ko; do
	base=${ko##*/}
	case "$base" in
	*.ko.xz)  name=${base%.xz};  xz -dc "$ko" >"$root/lib/modules/$name" ;;
	*.ko.zst) name=${base%.zst}; zstd -qdc "$ko" >"$root/lib/modules/$name" ;;
	*.ko.gz)  name=${base%.gz};  gzip -dc "$ko" >"$root/lib/modules/$name" ;;
	*.ko)     name=$base;        cp "$ko" "$root/lib/modules/$name" ;;
	*)        die "unexpected module file $ko" ;;
	esac
	[ "${OSIM_VM_MODSIG:-0}" = 1 ] || strip_sig "$root/lib/modules/$name"
	echo "$name" >>"$root"/lib/modules/load-order
done

# A build tree's /lib/modules/<release>: what modprobe needs to know that a
# module is built in. /init hands it to vm-init.sh, which installs it.
if [ -n "$tree" ]; then
	mkdir -p "$root/kmods/lib/modules/$ver"
	cp "$tree"/modules.builtin "$tree"/modules.builtin.modinfo \
		"$tree"/modules.order "$root/kmods/lib/modules/$ver/"
	depmod -b "$root/kmods" "$ver" || die "depmod for $tree failed"
fi

# /init: busybox sh, PID 1 inside the initramfs. Progress markers go to
# /dev/kmsg so they are timestamped in the kernel log.
cat >"$root"/init <<'EOF'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# offloadsim VM initramfs init (generated by scripts/vm-initramfs.sh)

export PATH=/bin

mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc

mark()
{
	echo "osim-init: $*" >/dev/kmsg
}

fail()
{
	mark "FATAL: $*"
	# No exit status is reported, so the host says "guest died" (exit 2).
	echo o >/proc/sysrq-trigger
	sleep 30
	exit 1
}

[ -r /osim/init ] || fail "no per-run files in /osim (see scripts/vm.sh)"
IFS= read -r share </osim/share
IFS= read -r init </osim/init

for m in $(cat /lib/modules/load-order); do
	insmod "/lib/modules/$m" || fail "insmod $m"
	mark "insmod $m"
done
mark "modules loaded"

o9p="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$o9p,ro,cache=loose" osimroot /lower ||
	fail "cannot mount host root (9p tag osimroot)"
mount -t tmpfs -o mode=0755 osimrw /rw || fail "tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	osimroot /newroot || fail "cannot mount overlay root"
mark "overlay mounted"

# /run/osim-vm: the per-run files, this static busybox (vm-init.sh uses it
# instead of dynamically linked host tools, which are slow to start over 9p
# under TCG) and the shared directory, which vm-init.sh moves to its place
# once /tmp and friends are mounted (it may well live below /tmp).
mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs /newroot/run || fail "tmpfs /run"
mkdir -p /newroot/run/osim-vm/mnt
cp /bin/busybox /osim/* /newroot/run/osim-vm/ || fail "cannot fill /run/osim-vm"
if [ -d /kmods ]; then
	cp -a /kmods /newroot/run/osim-vm/kmods || fail "cannot copy /kmods"
fi
mount -t 9p -o "$o9p,rw,cache=mmap" osimshare /newroot/run/osim-vm/mnt ||
	fail "cannot mount shared directory $share (9p tag osimshare)"
mark "share mounted"
mark "root ready, starting $init"
mount -o move /proc /newroot/proc || fail "cannot move /proc"
mount -o move /dev /newroot/dev || fail "cannot move /dev"
exec switch_root /newroot /bin/bash "$init"
fail "switch_root failed"
EOF
chmod 755 "$root"/init

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) >"$work"/initramfs.cpio
publish "$work"/initramfs.cpio "$initrd"
printf '%s\n%s\n' "$boot" "$initrd"
