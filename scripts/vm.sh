#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command as root inside a throw-away QEMU VM booting one of the
# installed Debian kernels, virtme style: the guest sees the host's whole
# root file system read-only through 9p with a tmpfs overlay on top (so all
# host tools are there and writes stay in guest RAM), and the repository
# directory read-write at the same absolute path.
#
# Usage:
#   scripts/vm.sh [--kernel VER|PREFIX] [--timeout SEC] [--mem MB]
#                 [--cpus N] [--log FILE] [--] CMD [ARGS...]
#
#   --kernel   full version (6.12.117+deb12-amd64) or a prefix (6.12, 6.1):
#              newest /boot/vmlinuz-PREFIX[.-]*-amd64 that has
#              /lib/modules/<version>. Default: 6.12. Or a kernel build
#              tree (a path with a "/"; scripts/debug-kernel.sh builds one):
#              its vmlinux, with the root drivers built in.
#   --timeout  hard limit for the whole run in seconds (default 600).
#   --mem      guest RAM in MB (default 2048).
#   --cpus     guest vCPUs (default 2).
#   --log      file receiving the guest kernel log (kept). Default: a
#              temporary file under the cache directory, deleted on success
#              and printed on failure.
#
# The command runs as root in the current directory when that is inside the
# shared directory, else at its top. Its stdin is /dev/null; its stdout and
# stderr are ttys in the guest (so output is line buffered) relayed live to
# vm.sh's stdout and stderr. The guest has no network besides lo.
#
# Kernel messages never go to the command's output, only to the log file:
# the serial console writes warnings and worse there as they happen (that
# survives a crash); after the command the guest sends its whole dmesg,
# which then replaces the console excerpt. To get every message live on the
# console (slower), use OSIM_VM_APPEND=loglevel=8.
#
# Exit status:
#   N     the command's exit status, when it failed (N != 0)
#   0     the command succeeded and the kernel log is clean
#   2     the guest died without reporting an exit status (panic, oops with
#         oops=panic, ...); the kernel log tail is printed
#   3     the command succeeded but the kernel log has warnings (WARNING:,
#         BUG:, Oops, KASAN, UBSAN, lockdep, refcount_t, kmemleak, ...);
#         the offending lines are printed. They are printed, too, when the
#         command failed, but its status is kept.
#   124   timeout: QEMU was killed after --timeout seconds
#   125   vm.sh itself failed (bad usage, no kernel, QEMU error, ...)
#   129/130/143  interrupted by SIGHUP/SIGINT/SIGTERM
#
# Environment:
#   OSIM_VM_SHARE   directory shared read-write (default: the git top level
#                   of the current directory, else of this script)
#   OSIM_VM_CPU     QEMU -cpu model (default "max,la57=off": 5-level paging
#                   is slower under TCG and rare on real machines; for a
#                   build tree with KASAN "qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt",
#                   since KASAN kernels were seen to report a wild memory
#                   access at boot under "-cpu max")
#   OSIM_VM_TCG_THREAD  "single" (default) or "multi". QEMU 7.2's
#                   multi-threaded TCG occasionally runs stale code after the
#                   kernel live-patches itself ("Oops: int3" in
#                   sched_clock_tick and the like, more often on a loaded
#                   host); single-threaded TCG interleaves the vCPUs on one
#                   host thread and does not, at little cost on 2 cores.
#   OSIM_VM_APPEND  extra kernel command line arguments
#   OSIM_VM_BIOS    firmware (default qboot.rom when installed, which boots
#                   faster than SeaBIOS; "seabios" forces SeaBIOS)
#   OSIM_VM_PVH=0   boot the vmlinuz as is instead of the cached vmlinux
#   OSIM_VM_MODSIG=1  keep module signatures in the initramfs (see
#                   scripts/vm-initramfs.sh)
#   OSIM_VM_QEMU    QEMU binary (default qemu-system-x86_64)
#   XDG_CACHE_HOME  cache root (default /var/tmp): boot files (vmlinux,
#                   initramfs) go to <root>/offloadsim-vm/<version>/, logs to
#                   <root>/offloadsim-vm/logs/ (kept a week), per-run files
#                   to <root>/offloadsim-vm/run.XXXXXX/ (removed on exit)
# CI, V and all OSIM_* variables are passed on to the command; the guest
# sets OSIM_IN_VM=1.
#
# TCG only: KVM does not work here. At the end one line on stderr gives the
# boot time (QEMU start to command start) and the total time.

set -eu

EXIT_DIED=2
EXIT_KWARN=3
EXIT_TIMEOUT=124
EXIT_SELF=125

# Kernel log lines that fail a run (extended regular expressions).
# kmemleak only counts when it reports leaks: kmemleak-enabled kernels
# mention it at every boot.
KLOG_PATTERNS='WARNING:|BUG:|Oops|KASAN|UBSAN|possible circular locking|lockdep is turned off|refcount_t|unregister_netdevice: waiting for|kmemleak:.*(suspected memory leak|unreferenced object)|unreferenced object 0x|Kernel panic|general protection fault|RIP:'

me=vm
scripts=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)

die()
{
	echo "$me: $*" >&2
	exit $EXIT_SELF
}

# usage [STATUS]: print the usage text, to stderr unless STATUS is 0.
usage()
{
	local st=${1:-$EXIT_SELF}

	if [ "$st" = 0 ]; then
		sed -n '/^# Usage:/,/^#  *and printed on failure/{s/^# \{0,1\}//;p}' "$0"
	else
		sed -n '/^# Usage:/,/^#  *and printed on failure/{s/^# \{0,1\}//;p}' "$0" >&2
	fi
	exit "$st"
}

kernel=6.12
timeout=600
mem=2048
cpus=2
log=

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)	[ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--kernel=*)	kernel=${1#*=}; shift ;;
	--timeout)	[ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--timeout=*)	timeout=${1#*=}; shift ;;
	--mem)		[ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--mem=*)	mem=${1#*=}; shift ;;
	--cpus)		[ $# -ge 2 ] || usage; cpus=$2; shift 2 ;;
	--cpus=*)	cpus=${1#*=}; shift ;;
	--log)		[ $# -ge 2 ] || usage; log=$2; shift 2 ;;
	--log=*)	log=${1#*=}; shift ;;
	-h|--help)	usage 0 ;;
	--)		shift; break ;;
	-*)		echo "$me: unknown option $1" >&2; usage ;;
	*)		break ;;
	esac
done
[ $# -gt 0 ] || usage

for n in "$timeout" "$mem" "$cpus"; do
	case "$n" in
	''|*[!0-9]*|0) die "--timeout, --mem and --cpus need a positive integer" ;;
	esac
done

# pick_kernel SPEC: print the newest installed version matching SPEC.
pick_kernel()
{
	local spec=$1 f v

	for f in /boot/vmlinuz-*; do
		v=${f#/boot/vmlinuz-}
		if [ ! -r "$f" ] || [ ! -r "/lib/modules/$v/modules.dep" ]; then
			continue
		fi
		if [ "$v" = "$spec" ]; then
			echo "$v"
			return 0
		fi
		case "$v" in
		"$spec".*-amd64|"$spec"-*-amd64) echo "$v" ;;
		esac
	done | sort -V | tail -n 1
}

cpu_model="max,la57=off"
case "$kernel" in
*/*)
	kernel=$(cd "$kernel" 2>/dev/null && pwd -P) ||
		die "no kernel tree $kernel"
	[ -r "$kernel/vmlinux" ] && [ -r "$kernel/include/config/kernel.release" ] ||
		die "$kernel: not a built kernel tree (no vmlinux)"
	ver=$(<"$kernel/include/config/kernel.release")
	if grep -q '^CONFIG_KASAN=y' "$kernel/.config"; then
		cpu_model="qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt"
	fi
	echo "$me: kernel $ver from $kernel" >&2
	;;
*)
	ver=$(pick_kernel "$kernel")
	[ -n "$ver" ] ||
		die "no kernel matching '$kernel' with modules (have: $(cd /boot && echo vmlinuz-*))"
	echo "$me: kernel $ver" >&2
	kernel=$ver
	;;
esac

qemu=${OSIM_VM_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-x86)"

# Shared directory and the guest's working directory.
if [ -n "${OSIM_VM_SHARE:-}" ]; then
	share=$OSIM_VM_SHARE
elif ! share=$(git rev-parse --show-toplevel 2>/dev/null); then
	share=$(git -C "$scripts" rev-parse --show-toplevel 2>/dev/null) ||
		share=$(dirname "$scripts")
fi
share=$(cd "$share" && pwd -P) || die "cannot access share directory"
[ "$share" != / ] || die "refusing to share / read-write"
cwd=$(pwd -P)
case "$cwd/" in
"$share"/*) ;;
*) cwd=$share ;;
esac

cache=${XDG_CACHE_HOME:-/var/tmp}/offloadsim-vm
mkdir -p "$cache/logs" || die "cannot create $cache"
# Logs of failed runs are kept for a week; run directories only outlive
# their run when vm.sh was SIGKILLed.
find "$cache/logs" -name '*.log' -mtime +7 -delete 2>/dev/null || true
find "$cache" -maxdepth 1 -name 'run.*' -mtime +1 -exec rm -rf {} + 2>/dev/null || true

boot=$("$scripts"/vm-initramfs.sh "$kernel" "$cache") ||
	die "cannot prepare the boot files for $ver"
kimg=${boot%%$'\n'*}
initrd=${boot#*$'\n'}

# Per-run state, all in $tmp: the initramfs extended with the per-run
# files, and FIFOs relaying the guest's stdout, stderr and status port.
tmp=$(mktemp -d "$cache/run.XXXXXX")
keep_log=1
if [ -z "$log" ]; then
	log=$(mktemp "$cache/logs/$ver.$(date +%Y%m%d-%H%M%S).XXXXXX.log")
	keep_log=0
fi
qpid=
spid=
rpids=
status=$EXIT_SELF

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup()
{
	local p

	trap - EXIT INT TERM HUP
	case "$status" in
	129|130|143) echo "$me: interrupted, kernel log: $log" >&2 ;;
	esac
	for p in $qpid $spid $rpids; do
		kill "$p" 2>/dev/null || true
	done
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		sleep 1
		kill -KILL "$qpid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	rm -rf "$tmp"
	if [ "$keep_log" = 0 ] && [ "$status" = 0 ]; then
		rm -f "$log"
	fi
}
trap 'cleanup; exit $status' EXIT
trap 'status=130; exit' INT
trap 'status=143; exit' TERM
trap 'status=129; exit' HUP

# Per-run files, appended to the cached initramfs as a second cpio archive
# (the kernel unpacks concatenated archives); /init copies them to
# /run/osim-vm/ for vm-init.sh.
mkdir "$tmp"/extra "$tmp"/extra/osim
printf '%s\n' "$share" >"$tmp"/extra/osim/share
printf '%s\n' "$scripts/vm-init.sh" >"$tmp"/extra/osim/init
printf '%s\n' "$cwd" >"$tmp"/extra/osim/cwd
printf '%s\0' "$@" >"$tmp"/extra/osim/cmd
env -0 | while IFS= read -r -d '' kv; do
	k=${kv%%=*}
	case "$k" in
	CI|V|OSIM_*) ;;
	*) continue ;;
	esac
	[[ "$k" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
	printf 'export %s=%q\n' "$k" "${kv#*=}"
done >"$tmp"/extra/osim/env
{
	cat "$initrd"
	(cd "$tmp"/extra && find osim | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0)
} >"$tmp"/initrd || die "cannot write $tmp/initrd"
mkfifo "$tmp"/stdout "$tmp"/stderr "$tmp"/status

# QEMU option values escape ',' as ',,'.
q()
{
	printf '%s' "${1//,/,,}"
}

case "${OSIM_VM_BIOS:-}" in
'')
	bios=/usr/share/qemu/qboot.rom
	[ -r "$bios" ] || bios=
	;;
seabios) bios= ;;
*) bios=$OSIM_VM_BIOS ;;
esac

# Boot parameters. panic=-1 + oops=panic + -no-reboot: any oops ends QEMU
# at once. loglevel=5: the serial console is slow under TCG (~0.7 s for a
# boot at loglevel 7), so it only gets warnings and worse, and vm-init.sh
# sends the full dmesg at the end; log_buf_len keeps that complete. The
# rest is for speed: mitigations=off (the emulated CPU claims no hardware
# fixes, and KPTI page table switches are slow), acpi=noirq (virtio uses
# MSI-X; evaluating the ACPI PCI interrupt links costs ~1 s; the kernel
# then warns "can't find IRQ for PCI INT A", harmless), cryptomgr.notests
# (boot-time crypto self tests) and less probing of legacy hardware.
append="console=ttyS0 loglevel=5 log_buf_len=4M printk.time=1 panic=-1 oops=panic"
append="$append mitigations=off acpi=noirq cryptomgr.notests"
append="$append 8250.nr_uarts=1 i8042.noaux i8042.nomux i8042.nopnp"
append="$append i8042.dumbkbd ${OSIM_VM_APPEND:-}"

set -- \
	-accel "tcg,thread=${OSIM_VM_TCG_THREAD:-single}" -machine pc \
	-cpu "${OSIM_VM_CPU:-$cpu_model}" -smp "$cpus" -m "$mem" \
	-nodefaults -no-user-config -display none -no-reboot \
	${bios:+-bios "$bios"} \
	-kernel "$kimg" -initrd "$tmp/initrd" -append "$append" \
	-chardev "file,id=con,path=$(q "$log")" -serial chardev:con \
	-device virtio-serial-pci,id=vser \
	-chardev "file,id=out,path=$(q "$tmp/stdout")" \
	-device virtconsole,bus=vser.0,nr=0,chardev=out,name=osim.stdout \
	-chardev "file,id=err,path=$(q "$tmp/stderr")" \
	-device virtconsole,bus=vser.0,nr=1,chardev=err,name=osim.stderr \
	-chardev "file,id=st,path=$(q "$tmp/status")" \
	-device virtserialport,bus=vser.0,nr=2,chardev=st,name=osim.status \
	-chardev "file,id=km,path=$(q "$tmp/kmsg")" \
	-device virtserialport,bus=vser.0,nr=3,chardev=km,name=osim.kmsg \
	-fsdev local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=fsroot,mount_tag=osimroot \
	-fsdev "local,id=fsshare,path=$(q "$share"),security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=fsshare,mount_tag=osimshare

# Relays. Status lines get the host time of arrival prepended.
cat "$tmp"/stdout &
rpids="$!"
cat "$tmp"/stderr >&2 &
rpids="$rpids $!"
while IFS= read -r line; do
	echo "$EPOCHREALTIME $line"
done <"$tmp"/status >"$tmp"/status.log &
rpids="$rpids $!"

# Should vm.sh be SIGKILLed, the kernel kills QEMU and the timer for us.
orphankill=
if setpriv --pdeathsig KILL true 2>/dev/null; then
	orphankill="setpriv --pdeathsig KILL"
fi

t0=$EPOCHREALTIME
$orphankill "$qemu" "$@" </dev/null 2>"$tmp"/qemu.err &
qpid=$!
$orphankill sleep "$timeout" &
spid=$!

qstatus=0
wait -n -p done_pid "$qpid" "$spid" || qstatus=$?
timed_out=0
if [ "${done_pid:-}" != "$qpid" ]; then
	timed_out=1
	kill "$qpid" 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
else
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
fi
qpid=
spid=
t1=$EPOCHREALTIME

# Let the relays drain. A FIFO QEMU never opened (early failure) still
# blocks its reader in open(): an O_RDWR open never blocks and unblocks it.
for f in "$tmp"/stdout "$tmp"/stderr "$tmp"/status; do
	exec {fd}<>"$f"
	exec {fd}>&-
done
# shellcheck disable=SC2086
wait $rpids 2>/dev/null || true
rpids=

# Guest console output uses CRLF.
klog()
{
	tr -d '\r' <"$log"
}

print_log_tail()
{
	klog | tail -n "$1" | sed "s/^/$me: kernel log: /" >&2
}

# QEMU's own complaints, except the one about our kill on timeout.
if [ -s "$tmp"/qemu.err ]; then
	grep -v 'terminating on signal' "$tmp"/qemu.err |
		sed "s/^/$me: qemu: /" >&2 || true
fi

if [ "$timed_out" = 1 ]; then
	echo "$me: timeout after $timeout s" >&2
	print_log_tail 40
	echo "$me: kernel log: $log" >&2
	status=$EXIT_TIMEOUT
	exit
fi

rc=
tstart=
while read -r t what val; do
	case "$what" in
	started) tstart=$t ;;
	rc) rc=$val ;;
	esac
done <"$tmp"/status.log
case "$rc" in
''|*[!0-9]*) rc= ;;
esac

if [ -z "$rc" ] && [ "$qstatus" != 0 ] && [ ! -s "$log" ]; then
	echo "$me: QEMU failed (status $qstatus)" >&2
	status=$EXIT_SELF
	exit
fi

# A clean run sent the whole dmesg: it supersedes the console excerpt.
if [ -n "$rc" ] && [ -s "$tmp"/kmsg ]; then
	cp "$tmp"/kmsg "$log"
fi

# Kernel log scan; a few lines of context around each hit.
hits=$(klog | grep -n -E -B 2 -A 6 -e "$KLOG_PATTERNS" | head -n 300) || true
if [ -n "$hits" ]; then
	printf '%s\n' "$hits" | sed "s/^/$me: kernel log: /" >&2
fi

if [ -z "$rc" ]; then
	echo "$me: guest died without reporting an exit status" >&2
	print_log_tail 30
	status=$EXIT_DIED
elif [ "$rc" != 0 ]; then
	status=$rc
elif [ -n "$hits" ]; then
	status=$EXIT_KWARN
else
	status=0
fi

awk -v me="$me" -v t0="$t0" -v ts="$tstart" -v t1="$t1" -v r="$status" 'BEGIN {
	boot = ts == "" ? "n/a" : sprintf("%.1fs", ts - t0)
	printf "%s: boot %s, total %.1fs, exit %d\n", me, boot, t1 - t0, r
}' >&2
[ "$status" = 0 ] || echo "$me: kernel log: $log" >&2
exit
