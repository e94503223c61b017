#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the offloadsim test VM, started by the initramfs /init (see
# scripts/vm-initramfs.sh) after it switch_root'ed into the overlay of the
# host root. Not meant to be run on the host.
#
# It sets up the guest (pseudo file systems, the shared directory at its
# host path, lo, hostname, PATH, modprobe), runs the command vm.sh passed
# in /run/osim-vm/{cmd,cwd,env} with stdout/stderr on the virtio consoles
# hvc0/hvc1, reports "started <uptime>" and "rc <exit status>" on the
# virtio serial port "osim.status" and powers off. Before that it sends the
# whole kernel log (dmesg) over the port "osim.kmsg": the serial console
# only carries warnings and worse.
#
# Its own stdout/stderr is /dev/console (ttyS0), i.e. the kernel log file on
# the host. PID 1 must never exit (that panics the kernel), so errors are
# logged and the VM is powered off without reporting an exit status.
#
# Speed matters: under TCG every exec of a dynamically linked host binary
# costs 0.1-0.5 s of 9p round trips (ld.so, libraries, locale files). So
# this script sticks to bash builtins and uses the static busybox the
# initramfs left in /run/osim-vm for everything else.

set -u

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export TERM=dumb
# The C locale is built into libc: no locale files to read at every exec.
export LANG=C
unset LC_ALL
# stdout is a tty: keep pagers from waiting for a keyboard.
export PAGER=cat GIT_PAGER=cat SYSTEMD_PAGER=cat
umask 022

RUN=/run/osim-vm
BB=$RUN/busybox

# Messages go to the kernel log (timestamped) and so to the host's log file.
log()
{
	echo "osim-init: $*" >/dev/kmsg 2>/dev/null || echo "osim-init: $*"
}

# bb APPLET ARGS...: run a busybox applet, or the host tool without it.
bb()
{
	if [ -x "$BB" ]; then
		"$BB" "$@"
	else
		"$@"
	fi
}

poweroff_now()
{
	bb sync
	echo o >/proc/sysrq-trigger
	# ACPI power off should never fail on the QEMU pc machine; if it does,
	# reboot, which -no-reboot turns into a QEMU exit as well.
	bb sleep 5
	echo b >/proc/sysrq-trigger
	while :; do bb sleep 1; done
}

die()
{
	log "FATAL: $*"
	poweroff_now
}

declare -A mounted=()
read_mounts()
{
	local dir rest

	mounted=()
	[ -r /proc/self/mounts ] || return 0
	while read -r _ dir rest; do
		mounted[$dir]=1
	done </proc/self/mounts
}

# mnt FSTYPE DIR [OPTIONS]: mount a pseudo file system unless already there.
mnt()
{
	[ -n "${mounted[$2]:-}" ] && return 0
	[ -d "$2" ] || bb mkdir -p "$2"
	bb mount -t "$1" -o "${3:-defaults}" "$1" "$2" && mounted[$2]=1
}

log "started"
read_mounts
mnt proc /proc nosuid,nodev,noexec || die "cannot mount /proc"
read_mounts
mnt sysfs /sys nosuid,nodev,noexec || die "cannot mount /sys"
mnt devtmpfs /dev nosuid,mode=0755 || die "cannot mount /dev"
mnt devpts /dev/pts nosuid,noexec,gid=5,mode=0620,ptmxmode=0666
mnt tmpfs /dev/shm nosuid,nodev,mode=1777
mnt tmpfs /run nosuid,nodev,mode=0755 || die "cannot mount /run"
mnt tmpfs /tmp nosuid,nodev,mode=1777
mnt tmpfs /var/tmp nosuid,nodev,mode=1777
mnt debugfs /sys/kernel/debug
mnt tracefs /sys/kernel/tracing
mnt cgroup2 /sys/fs/cgroup nsdelegate
# No bpffs: every mount of it runs request_module("bpf_preload"), i.e. a
# modprobe over 9p (~0.4 s). bpftool, tc and ip mount it when they need it.
log "pseudo file systems mounted"
[ -e /dev/fd ] || bb ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || bb ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || bb ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || bb ln -s /proc/self/fd/2 /dev/stderr
[ -d /run/netns ] || bb mkdir -p /run/lock /run/netns

# The shared directory, at the same path as on the host. The initramfs
# mounted it aside: the tmpfs mounts above could have hidden it.
share=$(<"$RUN/share")
[ -d "$share" ] || bb mkdir -p "$share"
bb mount -o move "$RUN/mnt" "$share" || die "cannot mount $share"

echo offloadsim-vm >/proc/sys/kernel/hostname
bb ip link set lo up || log "cannot bring up lo"

# request_module() runs /proc/sys/kernel/modprobe; the host's kmod and
# /lib/modules/<version> are visible through the overlay.
kver=$(</proc/sys/kernel/osrelease)
# A kernel booted from its build tree brought its modules.builtin along.
if [ -d "$RUN/kmods/lib/modules/$kver" ] && [ ! -e "/lib/modules/$kver" ]; then
	bb cp -a "$RUN/kmods/lib/modules/$kver" /lib/modules/ ||
		log "cannot install /lib/modules/$kver"
fi
modprobe_path=$(</proc/sys/kernel/modprobe)
[ -x "$modprobe_path" ] ||
	log "no $modprobe_path, module autoloading will not work"
[ -e "/lib/modules/$kver/modules.dep" ] ||
	log "no /lib/modules/$kver/modules.dep, modprobe will not work"

# find_port NAME: print the /dev node of the virtio serial port NAME.
find_port()
{
	local f name

	for f in /sys/class/virtio-ports/*/name; do
		[ -r "$f" ] || continue
		read -r name <"$f" || continue
		if [ "$name" = "$1" ]; then
			f=${f%/name}
			echo "/dev/${f##*/}"
			return 0
		fi
	done
	return 1
}

# Command output goes to two virtio consoles (ttys, so programs line-buffer
# their output like on a terminal): QEMU announces "osim.stdout" (hvc0)
# before "osim.stderr" (hvc1). They show up asynchronously once
# virtio_console has talked to QEMU. fds 3 and 4 stay open for good, or the
# tty settings would be reset at the last close.
out=/dev/hvc0
err=/dev/hvc1
status=
for _ in {1..100}; do
	[ -c "$out" ] && [ -c "$err" ] && status=$(find_port osim.status) &&
		[ -c "$status" ] && break
	bb usleep 50000
done
# Blocking writes to a virtio serial port return once QEMU has the data,
# so what is written here survives an immediate power off.
if [ -n "$status" ] && [ -c "$status" ]; then
	exec 5>"$status"
else
	log "no virtio serial port osim.status, exit status cannot be reported"
	exec 5>/dev/null
fi
if [ -c "$out" ] && [ -c "$err" ] && { : >"$out"; } 2>/dev/null; then
	exec 3>"$out" 4>"$err"
	# Raw: no \n -> \r\n translation, no echo.
	bb stty raw -echo <&3
	bb stty raw -echo <&4
else
	log "virtio consoles missing, command output goes to the kernel log"
	exec 3>/dev/console 4>/dev/console
fi

mapfile -d '' cmd <"$RUN/cmd" || die "cannot read $RUN/cmd"
[ "${#cmd[@]}" -gt 0 ] || die "empty command"
cwd=$(<"$RUN/cwd")
# shellcheck disable=SC1091
[ -r "$RUN/env" ] && . "$RUN/env"
export OSIM_IN_VM=1

cd "$cwd" 2>/dev/null || cd / || die "no working directory"

read -r uptime _ </proc/uptime
echo "started $uptime" >&5

# The command runs in a child so PID 1 survives whatever it does. stdin is
# /dev/null, stdout/stderr are ttys but not its controlling terminal.
(exec "${cmd[@]}") </dev/null >&3 2>&4 3>&- 4>&- 5>&-
rc=$?

# The full kernel log, then the exit status.
if kmsg=$(find_port osim.kmsg) && [ -c "$kmsg" ]; then
	bb dmesg >"$kmsg" || log "cannot send the kernel log"
fi
echo "rc $rc" >&5 || log "cannot report exit status"
poweroff_now
