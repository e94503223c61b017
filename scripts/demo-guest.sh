#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, as it runs inside the test VM (scripts/demo.sh boots it):
#
#   +---- demo_a ----+                      +---- demo_b ----+
#   |     osim0      |<==== offloadsim ====>|     osim1      |
#   |  192.0.2.1/24  |                      |  192.0.2.2/24  |
#   | iperf3 client  | -------- TCP ------> | iperf3 server  |
#   +----------------+                      +----------------+
#
# Usage: demo-guest.sh MODULE.ko

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
ko=${1:-$top/kernel/offloadsim.ko}
secs=${DEMO_SECONDS:-10}
export IP_LIB_DIR=$top/tools/iproute2

step()
{
	printf '\n=== %s\n' "$*"
}

cleanup()
{
	ip netns del demo_a 2>/dev/null || true
	ip netns del demo_b 2>/dev/null || true
}
trap cleanup EXIT

step "insmod $(basename "$ko") on $(uname -r)"
insmod "$ko"
modinfo -F version "$ko" | sed 's/^/offloadsim version /'

step "ip link add osim0 type offloadsim peer name osim1"
ip netns add demo_a
ip netns add demo_b
ip link add osim0 type offloadsim peer name osim1
ip link set osim0 netns demo_a
ip link set osim1 netns demo_b
for ns in demo_a demo_b; do
	ip -n $ns link set lo up
done
ip -n demo_a addr add 192.0.2.1/24 dev osim0
ip -n demo_b addr add 192.0.2.2/24 dev osim1
ip -n demo_a link set osim0 up
ip -n demo_b link set osim1 up
ip -n demo_a -d link show osim0

step "ethtool -i osim0"
ip netns exec demo_a ethtool -i osim0

step "ethtool -k osim0 (what is not [fixed])"
ip netns exec demo_a ethtool -k osim0 | grep -v 'off \[fixed\]'

step "ping -c 3 192.0.2.2"
sleep 1
ip netns exec demo_a ping -c 3 -i 0.3 192.0.2.2

step "iperf3 -t $secs, demo_a -> demo_b"
ip netns exec demo_b iperf3 -s -1 -D -B 192.0.2.2 >/dev/null
sleep 1
json=$(ip netns exec demo_a iperf3 -c 192.0.2.2 -t "$secs" -J)
echo "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for i in r["intervals"]:
    s = i["sum"]
    print("  %5.1f-%5.1f s  %8.1f Mbit/s" % (s["start"], s["end"], s["bits_per_second"] / 1e6))
e = r["end"]
print("  sender   %8.1f Mbit/s, %d retransmits" %
      (e["sum_sent"]["bits_per_second"] / 1e6, e["sum_sent"].get("retransmits", 0)))
print("  receiver %8.1f Mbit/s" % (e["sum_received"]["bits_per_second"] / 1e6))
print("  CPU: sender %.0f%%, receiver %.0f%%" %
      (e["cpu_utilization_percent"]["host_total"],
       e["cpu_utilization_percent"]["remote_total"]))'

step "ip -s link show osim0"
ip -n demo_a -s link show osim0

step "ethtool -S osim1"
ip netns exec demo_b ethtool -S osim1

step "rmmod offloadsim"
rmmod offloadsim
echo "done"
