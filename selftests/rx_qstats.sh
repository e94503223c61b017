#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-queue counters the netdev netlink family reports (qstats-get,
# kernels with netdev_stat_ops) equal what ethtool -S shows, per queue and
# summed over the device, including queues ethtool -L has since retired.
#
#   +---- ns_a ----+                      +------ ns_b ------+
#   |   osim_a     |<==== offloadsim ====>|    osim_b        |
#   | socat client | ---- 8 MB TCP -----> | 2 channels, RSS  |
#   | (TSO, csum)  |                      | all to queue 1,  |
#   |              |                      | rx-gro-hw on     |
#   +--------------+                      +------------------+
#
# ynl's cli.py and the netdev spec come from Debian's linux-source-6.12
# (scripts/source-tools.sh unpacks them into .tools/ynl).

source "$(dirname "$0")/lib.sh"

YNL_DIR=$OSIM_TOP/.tools/ynl
YNL_CLI=$YNL_DIR/tools/net/ynl/cli.py
YNL_SPEC=$YNL_DIR/Documentation/netlink/specs/netdev.yaml

osim_setup
require_cmd socat python3
[ -f "$YNL_CLI" ] || ktap_skip_all "no ynl (scripts/source-tools.sh)"

ktap_header
# Counters must move only with the test's own traffic: IPv4 only, quiet.
setup_ns ns_a ns_b
osim_ipv4_pair "$ns_a" "$ns_b" || ktap_bail "pair setup failed"

# qstats NS DEV [SCOPE]: the qstats-get dump for DEV as JSON.
qstats()
{
	local ifindex json

	ifindex=$(in_ns "$1" cat "/sys/class/net/$2/ifindex") || return 1
	json="{\"ifindex\": $ifindex${3:+, \"scope\": \"$3\"}}"
	in_ns "$1" python3 "$YNL_CLI" --spec "$YNL_SPEC" --no-schema \
		--output-json --dump qstats-get --json "$json"
}

if ! qstats "$ns_b" osim_b >/dev/null 2>&1; then
	ktap_skip_all "this kernel has no netdev queue stats (netdev_stat_ops, v6.10)"
fi
ktap_plan 6

# Everything to queue 1, so that retiring it later shows in the totals.
in_ns "$ns_b" ethtool -L osim_b combined 2 >/dev/null
in_ns "$ns_b" ethtool -X osim_b weight 0 1 >/dev/null
in_ns "$ns_b" ethtool -K osim_b rx-gro-hw on >/dev/null
data=$(osim_random_file 8)
want=$(sha256sum <"$data" | cut -d' ' -f1)
got=$(osim_tcp_transfer "$ns_a" "$ns_b" "$OSIM_IP4_B" "$data")
check "8 MB transfer byte-exact" test "$got" = "$want"

# Frames longer than osim_b's MTU: the receiver drops them as length
# errors, which qstats counts in rx-hw-drops.
oversize_dropped()
{
	in_ns "$ns_a" ip link set osim_a mtu 3000 || return 1
	in_ns "$ns_a" ping -q -c 3 -i 0.2 -W 1 -M do -s 2500 "$OSIM_IP4_B"
	in_ns "$ns_a" ip link set osim_a mtu 1500 || return 1
	[ "$(osim_rxq_stat "$ns_b" osim_b length_errors)" = 3 ]
}
check "3 oversize frames counted as length errors" oversize_dropped

# compare NS DEV SIDE FIELD=COUNTER...: for every real queue, the qstats
# field equals the ethtool -S counter (a "+"-joined sum of counters).
compare()
{
	local ns=$1 dev=$2 side=$3 stats q n field names name want got
	shift 3

	stats=$(qstats "$ns" "$dev" queue) || return 1
	n=$(in_ns "$ns" ls -d "/sys/class/net/$dev/queues/${side}-"* | wc -l)
	for ((q = 0; q < n; q++)); do
		for pair in "$@"; do
			field=${pair%%=*}
			names=${pair#*=}
			want=0
			for name in ${names//+/ }; do
				want=$((want + $(osim_ethtool_stat "$ns" "$dev" \
					"${side}_queue_${q}_$name")))
			done
			got=$(python3 -c '
import json, sys
for s in json.loads(sys.argv[1]):
    if s.get("queue-type") == sys.argv[2] and s.get("queue-id") == int(sys.argv[3]):
        print(s.get(sys.argv[4], "unset"))
' "$stats" "$side" "$q" "$field")
			echo "# $dev $side queue $q: $field $got, ethtool $want"
			[ "$got" = "$want" ] || return 1
		done
	done
}

check "RX queue stats equal ethtool -S" compare "$ns_b" osim_b rx \
	rx-packets=packets rx-bytes=bytes rx-hw-drops=missed+length_errors \
	rx-hw-drop-overruns=missed \
	rx-csum-unnecessary=csum_good+csum_trusted rx-csum-bad=csum_bad \
	rx-csum-none=csum_none rx-hw-gro-packets=hw_gro_packets \
	rx-hw-gro-wire-packets=hw_gro_segments

check "TX queue stats equal ethtool -S" compare "$ns_a" osim_a tx \
	tx-packets=packets tx-bytes=bytes tx-needs-csum=csum_offload \
	tx-hw-gso-packets=tso_packets+uso_packets \
	tx-hw-gso-wire-packets=tso_frames+uso_frames

hw_gro_moved()
{
	[ "$(osim_rxq_stat "$ns_b" osim_b hw_gro_packets)" -gt 0 ]
}
check "rx-gro-hw aggregated the stream" hw_gro_moved

# Device totals still count what queue 1 saw after ethtool -L retires it.
totals_keep_retired_queue()
{
	local before after

	before=$(qstats "$ns_b" osim_b | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["rx-packets"])')
	in_ns "$ns_b" ethtool -X osim_b default || return 1
	in_ns "$ns_b" ethtool -L osim_b combined 1 || return 1
	after=$(qstats "$ns_b" osim_b | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["rx-packets"])')
	echo "# rx-packets before $before, after ethtool -L combined 1: $after"
	[ "$(osim_ethtool_stat "$ns_b" osim_b rx_queue_0_packets)" -lt "$before" ] &&
		[ "$after" -ge "$before" ]
}
check "device totals include retired queues" totals_keep_retired_queue

ktap_finish
