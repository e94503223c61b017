#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "ip link add type offloadsim" with bad arguments fails cleanly: an error,
# an extack message where the kernel has one, no device left behind, and
# no kernel report (the runner checks the log after every test).
#
#   +------------------ init netns ------------------+
#   |   osimE0  <== offloadsim (attempts) ==>  osimE1  |
#   +-------------------------------------------------+

source "$(dirname "$0")/lib.sh"

osim_setup
ktap_header
ktap_plan 11

before=$(osim_links | sort)
nl=$OSIM_NEWLINK

# fails_with ERRNO CMD...: CMD exits 1 and osim_newlink reports -ERRNO.
fails_with()
{
	local want=$1 out
	shift

	out=$("$@")
	echo "$out"
	[[ $out == "error: -$want "* ]]
}

check "peer name of 16 characters: ERANGE" \
	fails_with 34 $nl --name osimE0 --peer-name osimE1_abcdefghij
check "peer name of 64 characters: ERANGE" \
	fails_with 34 $nl --name osimE0 \
	--peer-name "$(printf 'x%.0s' $(seq 64))"
check "peer name taken (lo): EEXIST" fails_with 17 $nl --name osimE0 --peer-name lo
check "device name taken (lo): EEXIST" fails_with 17 $nl --name lo --peer-name osimE1
check "peer MTU 67: EINVAL" fails_with 22 $nl --name osimE0 --peer-name osimE1 --peer-mtu 67
check "peer MTU 65536: EINVAL" fails_with 22 $nl --name osimE0 --peer-name osimE1 --peer-mtu 65536
check "MTU 67: EINVAL" fails_with 22 $nl --name osimE0 --peer-name osimE1 --mtu 67
check_fail "ip rejects a too-long peer name" \
	ip link add osimE0 type offloadsim peer name osimE1_abcdefghij
check_fail "ip link add with 17 TX queues" \
	ip link add osimE0 numtxqueues 17 type offloadsim peer name osimE1
check_fail "ip link add with an all-zero peer MAC" \
	ip link add osimE0 type offloadsim peer name osimE1 address 00:00:00:00:00:00

nothing_left()
{
	local after

	after=$(osim_links | sort)
	echo "before: $before"
	echo "after: $after"
	[ "$before" = "$after" ] && ! link_exists osimE0 && ! link_exists osimE1
}
check "no device left behind" nothing_left

ktap_finish
