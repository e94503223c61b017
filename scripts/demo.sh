#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the LSO-MTU story, measured. Boots the default kernel in a
# throw-away QEMU VM, joins two network namespaces with an offloadsim pair
# and runs iperf3 through it in three phases: healthy, the LSO engine MTU
# bug (lso_mtu 9000, a 1500-byte switch), and the workaround (TSO off).
# A live progress line per phase, then a table with a diagnosis per phase;
# everything in results/demo-<stamp>/ (demo.json, throughput.png).
# scripts/demo-guest.sh is what runs inside.
#
# Usage: scripts/demo.sh
# Environment: KERNEL=6.12 (or 6.1, or a full release), DEMO_SECONDS=10
# (per phase).

set -eu
. "$(dirname "$0")/perf-lib.sh"

perf_vm demo 600 scripts/demo-guest.sh -s "${DEMO_SECONDS:-10}"
