#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod while pairs exist and traffic flows removes everything cleanly;
# the module loads again afterwards.
#
#   +---- ns_a ----+                      +---- ns_b ----+
#   |   osim_a     |<==== offloadsim ====>|    osim_b    |
#   | socat client | ----  TCP flood ---> | socat server |
#   +--------------+                      +--------------+
#   + two idle pairs in the initial namespace

source "$(dirname "$0")/lib.sh"

osim_setup
require_cmd socat ss
ktap_header
ktap_plan 6

setup_ns ns_a ns_b
osim_pair_ns "$ns_a" "$ns_b" || ktap_bail "pair setup failed"
ip link add osimR0 type offloadsim peer name osimR1 || ktap_bail "pair"
ip link add osimR2 type offloadsim peer name osimR3 || ktap_bail "pair"
ip link set osimR0 up
ip link set osimR1 up

port=5301
bg_ns "$ns_b" socat -u "TCP-LISTEN:$port,reuseaddr" OPEN:/dev/null
wait_for 10 osim_listening "$ns_b" $port || ktap_bail "no listener"
bg_ns "$ns_a" socat -u OPEN:/dev/zero "TCP:$OSIM_IP4_B:$port" 2>/dev/null
cli=$OSIM_BG_PID
bg_ns "$ns_a" ping -f -c 100000 -W 1 "$OSIM_IP4_B" >/dev/null 2>&1
pinger=$OSIM_BG_PID

flowing()
{
	local b0 b1

	b0=$(osim_link_stat "$ns_b" osim_b rx_bytes)
	sleep 1
	b1=$(osim_link_stat "$ns_b" osim_b rx_bytes)
	echo "osim_b rx_bytes $b0 -> $b1"
	[ "$b1" -gt "$b0" ]
}
check "traffic is flowing" flowing
check "rmmod offloadsim during the transfer" rmmod offloadsim

gone()
{
	! osim_module_loaded && ! link_exists osimR0 && ! link_exists osimR3 &&
		! link_exists "$ns_a" osim_a && ! link_exists "$ns_b" osim_b
}
check "module and all its devices are gone" gone

# The sockets see the link vanish; the flows die with an error, no hang.
flows_end()
{
	kill $pinger 2>/dev/null
	wait $pinger 2>/dev/null
	kill $cli 2>/dev/null
	wait $cli 2>/dev/null
	true
}
check "traffic generators can be stopped" flows_end

check "module loads again" insmod "$OSIM_KO" verify="${OSIM_VERIFY:-1}"
reuse()
{
	ip link add osimR0 type offloadsim peer name osimR1 &&
		ip link del osimR0
}
check "a new pair can be created and deleted" reuse

ktap_finish
