#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Toeplitz RSS hash reference for the offloadsim selftests.

The hash input is what Microsoft's RSS specification (and ethtool's
rx-flow-hash "sdfn") names: source address, destination address, source
port, destination port, all in network byte order; the 2-tuple ("sd")
stops after the addresses. The key is given as ethtool -x prints it,
"6d:5a:56:...". The queue of a hash is indir[hash % len(indir)].

Subcommands (exit status 0 = the check passed, 1 = it failed, 2 = usage):

  selftest
      check the implementation against Microsoft's published verification
      vectors ("Verifying the RSS Hash Calculation").
  hash KEY SRC DST [SPORT DPORT]
      print the hash of one tuple (the 2-tuple without ports).
  x-key FILE / x-table FILE
      print the key / the indirection table (one line) parsed from the
      saved output of `ethtool -x DEV`.
  verify FILE {equal|differ} [--sd PROTO,...]
      read osim_rxhash lines on stdin; with "equal" every line's rxhash
      must equal the Toeplitz hash under FILE's key (4-tuple, or 2-tuple
      for the protocols listed after --sd, e.g. --sd udp4); with "differ"
      none may. There must be at least one line.
  spread FILE SRC DST SPORT0 COUNT DPORT [--sd]
      print the number of flows SRC:P -> DST:DPORT, P in
      flow_ports(SPORT0, COUNT), that land on each queue 0..N-1 (N: the
      ring count in FILE's header), as "q0 q1 ...".
  ports SPORT0 COUNT
      print flow_ports(SPORT0, COUNT), one line.

flow_ports(SPORT0, COUNT) are COUNT distinct source ports from SPORT0 on,
scattered (not consecutive: over an aligned run of consecutive ports the
linear Toeplitz hash spreads flows evenly whatever the key or the byte
order, which would prove little).
"""

import re
import socket
import sys

MS_KEY = ("6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:"
          "ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa")

# (source, source port, destination, destination port,
#  hash of the 2-tuple, hash of the 4-tuple)
MS_VECTORS = [
    ("66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178),
    ("199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea),
    ("24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a),
    ("38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f),
    ("153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2),
    ("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
     0x2cc18cd5, 0x40207d3d),
    ("3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
     0x0f0c461c, 0xdde51bbf),
    ("3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
     "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef),
]


def flow_ports(sport0, count):
    """COUNT distinct, scattered ports from SPORT0 on (COUNT <= 20011)."""
    return [sport0 + i * 7919 % 20011 for i in range(count)]


def parse_key(text):
    """ "6d:5a:..." -> bytes"""
    return bytes(int(b, 16) for b in text.strip().split(":"))


def toeplitz(key, data):
    """The 32-bit Toeplitz hash of bytes data under bytes key."""
    if len(key) * 8 < len(data) * 8 + 32:
        raise ValueError("key too short for %d input bytes" % len(data))
    k = int.from_bytes(key, "big")
    klen = len(key) * 8
    result = 0
    bit = 0
    for byte in data:
        for i in range(7, -1, -1):
            if byte >> i & 1:
                result ^= (k >> (klen - 32 - bit)) & 0xffffffff
            bit += 1
    return result


def ip_packed(addr):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    return socket.inet_pton(fam, addr)


def tuple_bytes(src, dst, sport=None, dport=None):
    data = ip_packed(src) + ip_packed(dst)
    if sport is not None:
        data += int(sport).to_bytes(2, "big") + int(dport).to_bytes(2, "big")
    return data


def rss_hash(key, src, dst, sport=None, dport=None):
    return toeplitz(key, tuple_bytes(src, dst, sport, dport))


def parse_ethtool_x(text):
    """(nrings, indirection table, key) from `ethtool -x` output."""
    m = re.search(r"with (\d+) RX ring", text)
    nrings = int(m.group(1)) if m else None
    table = []
    key = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*(\d+):((\s+\d+)+)\s*$", line)
        if m:
            if int(m.group(1)) != len(table):
                raise ValueError("table row %s out of order" % m.group(1))
            table += [int(v) for v in m.group(2).split()]
        elif line.startswith("RSS hash key:") and i + 1 < len(lines):
            key = parse_key(lines[i + 1])
    return nrings, table, key


def read_x(path):
    with open(path) as f:
        return parse_ethtool_x(f.read())


def selftest():
    key = parse_key(MS_KEY)
    bad = 0
    for src, sport, dst, dport, h2, h4 in MS_VECTORS:
        for name, got, want in (
                ("2-tuple", rss_hash(key, src, dst), h2),
                ("4-tuple", rss_hash(key, src, dst, sport, dport), h4)):
            if got != want:
                bad += 1
                print("%s %s:%d -> %s:%d: 0x%08x, want 0x%08x" %
                      (name, src, sport, dst, dport, got, want))
    print("%d vectors, %d wrong" % (2 * len(MS_VECTORS), bad))
    return 1 if bad else 0


LINE_RE = re.compile(r"proto=(\w+) src=(\S+) dst=(\S+) sport=(\d+) "
                     r"dport=(\d+) rxhash=0x([0-9a-f]{8})$")


def verify(path, mode, sd):
    _, _, key = read_x(path)
    if key is None:
        print("no key in %s" % path)
        return 1
    n = bad = 0
    for line in sys.stdin:
        line = line.strip()
        m = LINE_RE.match(line)
        if not m:
            continue
        proto, src, dst, sport, dport, got = m.groups()
        if proto in sd:
            want = rss_hash(key, src, dst)
        else:
            want = rss_hash(key, src, dst, sport, dport)
        n += 1
        if (int(got, 16) == want) != (mode == "equal"):
            bad += 1
            print("%s: Toeplitz 0x%08x" % (line, want))
    print("%d frames, %d not %s to Toeplitz" %
          (n, bad, "equal" if mode == "equal" else "different"))
    return 0 if n and not bad else 1


def spread(path, src, dst, sport0, count, dport, sd):
    nrings, table, key = read_x(path)
    if key is None or not table or not nrings:
        print("cannot parse %s" % path, file=sys.stderr)
        return 1
    counts = [0] * nrings
    for sport in flow_ports(sport0, count):
        if sd:
            h = rss_hash(key, src, dst)
        else:
            h = rss_hash(key, src, dst, sport, dport)
        counts[table[h % len(table)]] += 1
    print(" ".join(str(c) for c in counts))
    return 0


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "selftest" and not args:
        return selftest()
    if cmd == "ports" and len(args) == 2:
        print(" ".join(str(p) for p in flow_ports(int(args[0]), int(args[1]))))
        return 0
    if cmd == "hash" and len(args) in (3, 5):
        key = parse_key(args[0])
        print("0x%08x" % rss_hash(key, *args[1:]))
        return 0
    if cmd in ("x-key", "x-table") and len(args) == 1:
        _, table, key = read_x(args[0])
        if cmd == "x-key":
            if key is None:
                return 1
            print(":".join("%02x" % b for b in key))
        else:
            if not table:
                return 1
            print(" ".join(str(v) for v in table))
        return 0
    if cmd == "verify" and len(args) in (2, 4) and args[1] in ("equal",
                                                               "differ"):
        sd = []
        if len(args) == 4:
            if args[2] != "--sd":
                return 2
            sd = args[3].split(",")
        return verify(args[0], args[1], sd)
    if cmd == "spread" and len(args) in (6, 7):
        sd = len(args) == 7
        if sd and args[6] != "--sd":
            return 2
        return spread(args[0], args[1], args[2], int(args[3]), int(args[4]),
                      int(args[5]), sd)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
