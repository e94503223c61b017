#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Creating and deleting offloadsim pairs, in the initial namespace.
#
#   +-------------------- init netns ---------------------+
#   |   osimT0  <========= offloadsim pair =========>  osimT1   |
#   +------------------------------------------------------+
#
# Named and unnamed creation, deletion from either end, MAC addresses,
# ethtool -i, the MTU range and the offloads this version advertises.

source "$(dirname "$0")/lib.sh"

osim_setup
ktap_header
ktap_plan 15

A=osimT0
B=osimT1

# --- creation with names
check "create a named pair" osim_pair_add $A $B
check "both ends exist" link_exists $B
linked()
{
	local ia ib la lb

	ia=$(cat /sys/class/net/$A/ifindex) && ib=$(cat /sys/class/net/$B/ifindex) &&
		la=$(cat /sys/class/net/$A/iflink) && lb=$(cat /sys/class/net/$B/iflink) ||
		return 1
	echo "ifindex $ia/$ib iflink $la/$lb"
	[ "$la" = "$ib" ] && [ "$lb" = "$ia" ]
}
check "ends are linked (iflink)" linked
check "kind is offloadsim" bash -c "ip -d link show $A | grep -qw offloadsim"

mac_ok()
{
	local a b

	a=$(cat /sys/class/net/$A/address)
	b=$(cat /sys/class/net/$B/address)
	echo "macs: $a $b"
	[ "$a" != "$b" ] || return 1
	# unicast (bit 0 clear) and locally administered (bit 1 set)
	[ $((0x${a%%:*} & 3)) -eq 2 ] && [ $((0x${b%%:*} & 3)) -eq 2 ]
}
check "random, distinct, local unicast MACs" mac_ok

drvinfo_ok()
{
	local info

	info=$(ethtool -i $A)
	echo "$info"
	echo "$info" | grep -qx 'driver: offloadsim' &&
		echo "$info" | grep -q '^version: [0-9]'
}
check "ethtool -i names driver and version" drvinfo_ok

# The receive offloads: checksumming and hashing on, LRO and hardware GRO
# off, all of them toggleable.
rx_offloads()
{
	local k

	k=$(ethtool -k $A)
	echo "$k" | grep -E 'receive-offload|rx-checksumming|receive-hashing|gro-hw'
	echo "$k" | grep -qx 'rx-checksumming: on' &&
		echo "$k" | grep -qx 'receive-hashing: on' &&
		echo "$k" | grep -qx 'large-receive-offload: off' &&
		echo "$k" | grep -qx 'rx-gro-hw: off'
}
check "RX offloads: rx-checksumming, receive-hashing on; LRO, rx-gro-hw off; not fixed" \
	rx_offloads

# --- MTU range 68..65535
check "MTU 68 accepted" ip link set $A mtu 68
check "MTU 65535 accepted" ip link set $A mtu 65535
check_fail "MTU 67 rejected" ip link set $A mtu 67
check_fail "MTU 65536 rejected" ip link set $A mtu 65536

# --- deletion from either end removes both
del_first()
{
	ip link del $A && ! link_exists $A && ! link_exists $B
}
check "delete from the first end removes both" del_first

del_second()
{
	ip link add $A type offloadsim peer name $B &&
		ip link del $B && ! link_exists $A && ! link_exists $B
}
check "delete from the peer end removes both" del_second

# --- unnamed creation: both ends take osim%d names
unnamed()
{
	local before after new

	before=$(osim_links | sort)
	ip link add type offloadsim || return 1
	after=$(osim_links | sort)
	new=$(comm -13 <(echo "$before") <(echo "$after"))
	echo "new devices: $new"
	for d in $new; do
		defer ip link del "$d"
	done
	[ "$(echo "$new" | grep -c '^osim[0-9]\+$')" -eq 2 ]
}
check "create without names: two osim<N> devices" unnamed

half_named()
{
	local peer

	ip link add $A type offloadsim || return 1
	defer ip link del $A
	peer=$(ip -o link show $A | sed -n 's/^[0-9]*: [^@]*@\([^:]*\):.*/\1/p')
	echo "peer: $peer"
	[[ $peer =~ ^osim[0-9]+$ ]]
}
check "create with a name but no peer name" half_named

ktap_finish
