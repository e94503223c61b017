#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts/demo-guest.sh and scripts/bench-guest.sh (inside the
# test VM): the module, namespaces and devices, offload settings, and one
# measured iperf3 run (scripts/osim_perf.py run). Also sourced on the host
# by scripts/demo.sh and scripts/bench.sh for perf_vm.

perf_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PERF_PY=$perf_top/scripts/osim_perf.py
: "${IP_LIB_DIR:=$perf_top/tools/iproute2}"
export IP_LIB_DIR

# Addresses, inside the namespaces only (documentation ranges).
PERF_OSIM_A=192.0.2.1
PERF_OSIM_B=192.0.2.2
PERF_VETH_A=198.51.100.1
PERF_VETH_B=198.51.100.2

# Feature settings every row starts from (what a fresh device has; veth's
# GRO is off by default).
PERF_FEAT_offloadsim="tx on rx on sg on tso on gso on gro on lro off rx-gro-hw off"
PERF_FEAT_veth="tx on rx on sg on tso on gso on gro off"

perf_ns_made=()
perf_links_made=()
perf_loaded=0

perf_cleanup()
{
	local x

	for x in "${perf_links_made[@]}"; do
		# shellcheck disable=SC2086 # "NS DEV"
		ip -n ${x% *} link del "${x#* }" 2>/dev/null || true
	done
	for x in "${perf_ns_made[@]}"; do
		ip netns del "$x" 2>/dev/null || true
	done
	if [ "$perf_loaded" = 1 ]; then
		rmmod offloadsim 2>/dev/null || true
	fi
}

# perf_die MSG: fail with a usage error.
perf_die()
{
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# perf_load KO: insmod KO with the segmentation oracle off (it is slow),
# unless offloadsim is loaded already (by the selftest runner, say): then
# that one is used as it is, and left loaded.
perf_load()
{
	[ -d /sys/module/offloadsim ] && return 0
	[ -f "$1" ] || perf_die "module not found: $1"
	insmod "$1" verify=0
	perf_loaded=1
}

# perf_ns NS...: create the namespaces that do not exist yet, with lo up;
# those created here are deleted at exit. TCP does not remember a
# destination's ssthresh across connections in them
# (tcp_no_metrics_save), so each run starts as a fresh connection to a
# fresh host would, whatever the run before it (the LSO bug's losses, say)
# left in the metrics cache.
perf_ns()
{
	local ns

	for ns in "$@"; do
		[ -e "/run/netns/$ns" ] && continue
		ip netns add "$ns"
		perf_ns_made+=("$ns")
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1
	done
}

# perf_pair KIND NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B: an offloadsim or veth
# pair, DEV_A in NS_A and DEV_B in NS_B, /24 addresses, up and pingable.
perf_pair()
{
	local kind=$1 ns_a=$2 a=$3 addr_a=$4 ns_b=$5 b=$6 addr_b=$7

	perf_ns "$ns_a" "$ns_b"
	ip link add "$a" netns "$ns_a" type "$kind" peer name "$b" netns "$ns_b"
	perf_links_made+=("$ns_a $a")
	ip -n "$ns_a" addr add "$addr_a/24" dev "$a"
	ip -n "$ns_b" addr add "$addr_b/24" dev "$b"
	ip -n "$ns_a" link set "$a" up
	ip -n "$ns_b" link set "$b" up
	perf_ping "$ns_a" "$addr_b"
}

# perf_ping NS ADDR: wait up to 10 s for ADDR to answer from NS.
perf_ping()
{
	local i

	for i in 1 2 3 4 5 6 7 8 9 10; do
		ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
	done
	echo "$(basename "$0"): $2 does not answer from $1" >&2
	return 1
}

# perf_features KIND NS DEV [FEATURE on|off]...: ethtool -K DEV with the
# features of a fresh KIND device, then the ones given.
perf_features()
{
	local base="PERF_FEAT_$1" ns=$2 dev=$3 f
	local -A val=()
	local -a order=() args=()

	shift 3
	# shellcheck disable=SC2086 # words
	set -- ${!base} "$@"
	while [ $# -ge 2 ]; do
		[ -n "${val[$1]+x}" ] || order+=("$1")
		val[$1]=$2
		shift 2
	done
	for f in "${order[@]}"; do
		args+=("$f" "${val[$f]}")
	done
	ip netns exec "$ns" ethtool -K "$dev" "${args[@]}" >/dev/null ||
		echo "$(basename "$0"): ethtool -K $dev ${args[*]} failed" >&2
}

# perf_knobs NS DEV LSO_MTU WIRE_MTU: the offloadsim knobs of DEV.
perf_knobs()
{
	ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/offloadsim/lso_mtu &&
		echo $4 >/sys/class/net/$2/offloadsim/wire_mtu"
}

# perf_mtu MTU NS DEV [NS DEV]...
perf_mtu()
{
	local mtu=$1

	shift
	while [ $# -ge 2 ]; do
		ip -n "$1" link set dev "$2" mtu "$mtu"
		shift 2
	done
}

# perf_run OUT.json TX_NS:DEV RX_NS:DEV ADDR SECONDS STREAMS [ARGS...]: one
# iperf3 run from TX to ADDR on RX; ARGS go to osim_perf.py run.
perf_run()
{
	python3 "$PERF_PY" run --out "$1" --tx "$2" --rx "$3" --addr "$4" \
		--seconds "$5" --streams "$6" "${@:7}"
}

# perf_warmup TX_NS RX_NS ADDR: 2 s of unmeasured iperf3 from TX_NS to ADDR
# in RX_NS. QEMU translates guest code the first time it runs; without
# this, the first measured run pays for translating the whole TCP path.
perf_warmup()
{
	ip netns exec "$2" iperf3 -s -1 -D -B "$3" -p 5299 >/dev/null 2>&1 || return 0
	sleep 0.5
	ip netns exec "$1" iperf3 -c "$3" -p 5299 -t 2 >/dev/null 2>&1 || true
}

# perf_banner: one line about where this runs.
perf_banner()
{
	echo "offloadsim $(cat /sys/module/offloadsim/version 2>/dev/null || echo ?)" \
		"on Linux $(uname -r), $(nproc) CPUs," \
		"verify=$(cat /sys/module/offloadsim/parameters/verify)"
}

# perf_vm NAME TIMEOUT GUEST [ARGS...] (host side): install what is
# missing, build the tools and the module for $KERNEL (default 6.12), and
# run GUEST -k MODULE -o results/NAME-<stamp> ARGS in the test VM.
perf_vm()
{
	local name=$1 timeout=$2 guest=$3 rel out

	shift 3
	cd "$perf_top"
	scripts/install-deps.sh
	. scripts/kernels.sh
	rel=$(osim_kernels "${KERNEL:-6.12}")
	[ -n "$rel" ] || perf_die "no kernel matches ${KERNEL:-6.12}"
	make -s tools
	scripts/build-matrix.sh "$rel"
	out=$perf_top/results/$name-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$out"
	# One vCPU: QEMU runs every vCPU of the guest on one host thread
	# (scripts/vm.sh: single-threaded TCG), so a second one adds no
	# compute, only scheduling noise: where iperf3's client, server and
	# the softirqs land moved one row's runs by +-40 % with two vCPUs
	# (4 runs of osim-1500: 308-416 Mbit/s; with one: 353-377).
	scripts/vm.sh --kernel "$rel" --cpus 1 --timeout "$timeout" -- \
		"$guest" -k ".build/$rel/offloadsim.ko" -o "$out" "$@"
}
