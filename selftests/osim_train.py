#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Craft TCP segment trains, send them with AF_PACKET, capture what arrives.

Usage:
  osim_train.py send    --dev DEV [OPTIONS] TRAIN...
  osim_train.py capture --dev DEV [OPTIONS] [--expect-bytes N]
  osim_train.py run     --cap-dev DEV --send-ns NS --send-dev DEV [OPTIONS]
                        [--model gro|lro] TRAIN...
  osim_train.py model   --model gro|lro [OPTIONS] TRAIN...
  osim_train.py batch   --cap-dev DEV --send-ns NS --send-dev DEV
                        --model gro|lro --out DIR [OPTIONS] CASEFILE...

send     builds the train and writes it, frame by frame, to an AF_PACKET
         SOCK_RAW socket on DEV (destination MAC: --dst-mac).
capture  reads AF_PACKET frames arriving on DEV (PACKET_VNET_HDR, so GSO
         size and checksum state of every skb are visible) and prints one
         line per TCP/UDP frame of the flow; stops --idle seconds after the
         last frame, or --settle seconds after --expect-bytes of payload.
run      both at once: opens the capture socket in the current network
         namespace (run it with "ip netns exec RXNS"), joins the namespace
         SEND_NS (/run/netns/SEND_NS) to send the train from SEND_DEV to the
         capture device's MAC, then captures. With --model also prints the
         model's expectation, each line prefixed "model ".
batch    "run" for every line "TAG|4 or 6|TRAIN" of the case files, each
         train in one NAPI poll of DEV (ethtool -C DEV rx-usecs 100000
         rx-frames <its length>): writes DIR/TAG.cap (what arrived),
         DIR/TAG.model (the model's expectation) and DIR/TAG.delta (the
         rx_queue_* counters of ethtool -S DEV that moved, summed over the
         queues, "NAME DELTA"); DIR/TAG.err if the case could not run.
model    prints what software GRO (tcp_gro_receive / inet_gro_receive, one
         NAPI poll; "gro") or the offloadsim LRO engine ("lro", the loose
         rules of the receive-engine contract) delivers for the train.

Output lines (capture and model alike; sequence and ack relative to
--seq / --ack):
  seq=S len=L flags=F ack=A win=W gso=G csum=C
flags: letters of C E U A P R S F that are set ("-" for none); gso: the
skb's gso_size (0: not GSO); csum: partial@CSUM_START (CHECKSUM_PARTIAL,
csum_start from the frame's first byte), valid (CHECKSUM_UNNECESSARY) or
none; " ipcsum=bad" follows when the IPv4 header checksum is wrong. The model expects merged aggregates
partial (gro) or valid (lro), single frames valid unless their checksum
is broken (none): the receiver verifies checksums. A last line
"summary frames=N bytes=B aggs=A aggsegs=S" (aggs: delivered skbs made of
two or more segments, aggsegs: the segments in them).

OPTIONS:
  -6                 IPv6 (default IPv4)
  --proto tcp|udp    (default tcp; udp: every element is one datagram)
  --src IP --dst IP  (default 192.0.2.1 -> 192.0.2.2, 2001:db8::1 -> ::2)
  --sport N --dport N  (default 40000 -> 7)
  --seq N --ack N    first sequence / ack number (default 1000000 / 5000)
  --win N            TCP window (default 1000)
  --ttl N --tos N    IPv4 TTL / TOS, IPv6 hop limit / traffic class (64/0)
  --no-ts            no TCP options (default: NOP NOP TIMESTAMP on every
                     segment)
  --dst-mac MAC      (send) destination MAC (default 02:00:00:00:00:02)

TRAIN: elements "[Nx]LEN[/MOD...]", N copies of a segment of LEN payload
bytes with the modifiers. Modifiers apply to the element's first segment;
those that change state (ack, win, ts, opt, ttl, tos, idjump, nodf, gap)
stay changed for all later segments, as in a real stream:
  psh fin urg rst syn cwr ece  set that TCP flag on this segment
  noack              this segment without the ACK flag
  ack                ack number += 1000        win    window += 1
  ts                 TSval += 1                opt    options NOP NOP TS ->
                                                      TS NOP NOP (same bytes
                                                      otherwise)
  ttl                TTL/hop limit -= 1        tos    TOS/class ^= 0x02 (ECT0)
  idjump             IPv4 ID += 1000           nodf   clear IPv4 DF
  ipopt              this segment with IPv4 options (NOP NOP NOP EOL) /
                     an IPv6 hop-by-hop header
  gap                skip 1000 sequence bytes before this segment
  badcsum            this segment with a wrong TCP/UDP checksum
  badipcsum          this segment with a wrong IPv4 header checksum
  zerocsum           (udp) checksum 0
"""

import ctypes
import os
import select
import socket
import re
import struct
import subprocess
import sys

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
SOL_PACKET = 263
PACKET_VNET_HDR = 15
PACKET_IGNORE_OUTGOING = 23
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33
CLONE_NEWNET = 0x40000000

F_FIN, F_SYN, F_RST, F_PSH, F_ACK, F_URG, F_ECE, F_CWR = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
FLAG_BITS = {"psh": F_PSH, "fin": F_FIN, "urg": F_URG, "rst": F_RST,
             "syn": F_SYN, "cwr": F_CWR, "ece": F_ECE}
STATE_MODS = {"ack", "win", "ts", "opt", "ttl", "tos", "idjump", "nodf",
              "gap"}
ONESHOT_MODS = {"noack", "ipopt", "badcsum", "badipcsum", "zerocsum"}


def die(msg, code=2):
    sys.stderr.write("osim_train: %s\n" % msg)
    sys.exit(code)


def flag_str(f):
    s = "".join(c for c, b in (("C", F_CWR), ("E", F_ECE), ("U", F_URG),
                                ("A", F_ACK), ("P", F_PSH), ("R", F_RST),
                                ("S", F_SYN), ("F", F_FIN)) if f & b)
    return s or "-"


def csum16(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


##############################################################################
# The train

class Seg:
    """One crafted segment and the header values it carries."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def parse_train(tokens):
    elems = []
    for tok in tokens:
        for el in tok.replace(",", " ").split():
            n = 1
            parts = el.split("/")
            head = parts[0]
            if "x" in head:
                a, head = head.split("x", 1)
                n = int(a)
            ln = int(head)
            mods = parts[1:]
            for m in mods:
                if m not in FLAG_BITS and m not in STATE_MODS and \
                   m not in ONESHOT_MODS:
                    die("unknown modifier '%s' in '%s'" % (m, el))
            elems.append((n, ln, mods))
    if not elems:
        die("empty train")
    return elems


def build_segments(opts, elems):
    st = dict(seq=opts.seq, ack=opts.ack, win=opts.win, tsval=100,
              optswap=False, ttl=opts.ttl, tos=opts.tos, ipid=1, df=True)
    segs = []
    for n, ln, mods in elems:
        for i in range(n):
            m = mods if i == 0 else []
            flags = F_ACK
            for x in m:
                if x in FLAG_BITS:
                    flags |= FLAG_BITS[x]
            if "noack" in m:
                flags &= ~F_ACK
            if "ack" in m:
                st["ack"] += 1000
            if "win" in m:
                st["win"] += 1
            if "ts" in m:
                st["tsval"] += 1
            if "opt" in m:
                st["optswap"] = True
            if "ttl" in m:
                st["ttl"] -= 1
            if "tos" in m:
                st["tos"] ^= 0x02
            if "idjump" in m:
                st["ipid"] += 1000
            if "nodf" in m:
                st["df"] = False
            if "gap" in m:
                st["seq"] += 1000
            if opts.no_ts:
                topt = b""
            else:
                ts = struct.pack("!BBII", 8, 10, st["tsval"], 50)
                topt = ts + b"\x01\x01" if st["optswap"] else \
                    b"\x01\x01" + ts
            segs.append(Seg(seq=st["seq"], ack=st["ack"], win=st["win"],
                            flags=flags, len=ln, topt=topt, ttl=st["ttl"],
                            tos=st["tos"], ipid=st["ipid"] & 0xFFFF,
                            df=st["df"], ipopt="ipopt" in m,
                            badcsum="badcsum" in m,
                            badipcsum="badipcsum" in m,
                            zerocsum="zerocsum" in m))
            st["ipid"] += 1
            if opts.proto == "tcp":
                st["seq"] = (st["seq"] + ln +
                             (1 if flags & (F_SYN | F_FIN) else 0)) \
                    & 0xFFFFFFFF
    return segs


def payload(seg):
    return bytes((seg.seq + i) & 0xFF for i in range(seg.len))


def build_frame(opts, seg, src_mac, dst_mac):
    v6 = opts.v6
    src = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET,
                           opts.src)
    dst = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET,
                           opts.dst)
    data = payload(seg)
    if opts.proto == "tcp":
        proto = 6
        doff = (20 + len(seg.topt)) // 4
        l4 = struct.pack("!HHIIBBHHH", opts.sport, opts.dport, seg.seq,
                         seg.ack, doff << 4, seg.flags, seg.win, 0,
                         1 if seg.flags & F_URG else 0) + seg.topt + data
        coff = 16
    else:
        proto = 17
        l4 = struct.pack("!HHHH", opts.sport, opts.dport, 8 + len(data),
                         0) + data
        coff = 6
    if v6:
        pseudo = src + dst + struct.pack("!IxxxB", len(l4), proto)
    else:
        pseudo = src + dst + struct.pack("!xBH", proto, len(l4))
    c = csum16(pseudo + l4)
    if proto == 17 and c == 0:
        c = 0xFFFF
    if seg.badcsum:
        c ^= 0x5A5A
    if seg.zerocsum:
        c = 0
    l4 = l4[:coff] + struct.pack("!H", c) + l4[coff + 2:]

    if v6:
        nh = proto
        ext = b""
        if seg.ipopt:
            # hop-by-hop: next header, length 0, PadN of 4 bytes
            ext = struct.pack("!BB", proto, 0) + b"\x01\x04\0\0\0\0"
            nh = 0
        vtf = (6 << 28) | (seg.tos << 20)
        ip = struct.pack("!IHBB", vtf, len(ext) + len(l4), nh, seg.ttl) + \
            src + dst + ext + l4
        etype = ETH_P_IPV6
    else:
        ipo = b"\x01\x01\x01\x00" if seg.ipopt else b""
        ihl = (20 + len(ipo)) // 4
        hdr = struct.pack("!BBHHHBBH", 0x40 | ihl, seg.tos,
                          20 + len(ipo) + len(l4), seg.ipid,
                          0x4000 if seg.df else 0, seg.ttl, proto, 0) + \
            src + dst + ipo
        c = csum16(hdr)
        if seg.badipcsum:
            c ^= 0x5A5A
        ip = hdr[:10] + struct.pack("!H", c) + hdr[12:] + l4
        etype = ETH_P_IP
    return dst_mac + src_mac + struct.pack("!H", etype) + ip


##############################################################################
# Models of what the receiver delivers, for one flow and one NAPI poll

class Agg:
    def __init__(self, seg, iphl):
        self.head = seg
        self.count = 1
        self.len = seg.len
        self.flags = seg.flags
        self.ack = seg.ack
        self.win = seg.win
        self.iplen = iphl + 20 + len(seg.topt) + seg.len
        self.fixedid = False
        self.iphl = iphl

    def out(self, mode):
        merged = self.count > 1
        iphl = self.iphl
        csum = "partial@%d" % (14 + iphl) if merged and mode == "gro" \
            else "valid"
        return (self.head.seq, self.len, self.flags, self.ack, self.win,
                self.head.len if merged else 0, csum, self.count)


def passthrough(opts, seg):
    """Frames neither engine nor software GRO merges with the flow."""
    if seg.badcsum or seg.ipopt or seg.badipcsum:
        return True
    return False


def model(opts, segs, mode):
    iphl = 40 if opts.v6 else 20
    out = []
    p = None
    final_bits = F_URG | F_PSH | F_RST | F_SYN | F_FIN

    def single(s):
        csum = "none" if s.badcsum or s.badipcsum else "valid"
        if s.badipcsum:
            csum += " ipcsum=bad"
        return (s.seq, s.len, s.flags, s.ack, s.win, 0, csum, 1)

    for s in segs:
        if passthrough(opts, s):
            # The LRO engine parses an IPv4 segment with options (but no
            # segment whose checksum failed): it cannot join the held
            # aggregate of its connection, which is delivered first.
            if mode == "lro" and p is not None and s.ipopt and \
               not opts.v6 and not s.badcsum and not s.badipcsum:
                out.append(p.out(mode))
                p = None
            out.append(single(s))
            continue
        if p is None:
            if s.len == 0 or s.flags & final_bits:
                out.append(single(s))
            else:
                p = Agg(s, iphl)
            continue
        h = p.head
        flush = False
        if s.flags & F_CWR:
            flush = True
        if (s.flags ^ h.flags) & ~(F_CWR | F_FIN | F_PSH):
            flush = True
        if s.topt != h.topt:
            flush = True
        if s.ttl != h.ttl or s.tos != h.tos or (not opts.v6 and
                                                s.df != h.df):
            flush = True
        if s.seq != (h.seq + p.len) & 0xFFFFFFFF:
            flush = True
        if s.len == 0:
            flush = True
        if p.iplen + s.len >= 65536:
            flush = True
        if mode == "gro":
            if s.win != h.win or s.ack != h.ack:
                flush = True
            if s.len > h.len:
                flush = True
            if not opts.v6 and not flush:
                off = (s.ipid - h.ipid) & 0xFFFF
                if p.count == 1 and s.df and off == 0:
                    p.fixedid = True
                if off != (0 if p.fixedid else p.count):
                    flush = True
        else:
            if p.count >= 64:
                flush = True
        if flush:
            out.append(p.out(mode))
            p = None
            if s.len == 0 or s.flags & final_bits:
                out.append(single(s))
            else:
                p = Agg(s, iphl)
            continue
        p.count += 1
        p.len += s.len
        p.iplen += s.len
        p.flags |= s.flags & (F_FIN | F_PSH)
        if mode == "lro":
            p.ack, p.win = s.ack, s.win
        if s.flags & final_bits or (mode == "gro" and s.len < h.len):
            out.append(p.out(mode))
            p = None
    if p is not None:
        out.append(p.out(mode))
    return out


def fmt(opts, seq, ln, flags, ack, win, gso, csum):
    return "seq=%d len=%d flags=%s ack=%d win=%d gso=%d csum=%s" % (
        (seq - opts.seq) & 0xFFFFFFFF, ln, flag_str(flags),
        (ack - opts.ack) & 0xFFFFFFFF, win, gso, csum)


def model_lines(opts, segs):
    out = model(opts, segs, opts.model)
    aggs = [o for o in out if o[7] > 1]
    return [fmt(opts, *o[:7]) for o in out] + [
        "summary frames=%d bytes=%d aggs=%d aggsegs=%d" % (
            len(out), sum(o[1] for o in out), len(aggs),
            sum(o[7] for o in aggs))]


def print_model(opts, segs, prefix=""):
    for ln in model_lines(opts, segs):
        print(prefix + ln)


##############################################################################
# Sockets

def packet_socket(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((dev, ETH_P_ALL))
    return s


def send_socket(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((dev, 0))
    return s


def send_train(opts, segs, s, dst_mac):
    """All frames are built before the first is sent: the train must
    arrive within the receiver's rx-usecs."""
    src_mac = s.getsockname()[4]
    frames = [build_frame(opts, seg, src_mac, dst_mac) for seg in segs]
    for f in frames:
        s.send(f)


def open_capture(dev):
    s = packet_socket(dev)
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    try:
        s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    except OSError:
        pass
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    return s


def parse_frame(opts, buf):
    """One captured frame (vnet header first) -> output line or None."""
    vflags, vgtype, _hl, gso, cstart = struct.unpack_from("<BBHHH", buf, 0)
    csum = "partial@%d" % cstart if vflags & 1 else \
        ("valid" if vflags & 2 else "none")
    if not vgtype:
        gso = 0
    f = buf[10:]
    if len(f) < 14:
        return None
    etype = struct.unpack_from("!H", f, 12)[0]
    ip = f[14:]
    if etype == ETH_P_IP and not opts.v6:
        if len(ip) < 20:
            return None
        ihl = (ip[0] & 0xF) * 4
        if csum16(bytes(ip[:ihl])):
            csum += " ipcsum=bad"
        tot = struct.unpack_from("!H", ip, 2)[0]
        proto = ip[9]
        src, dst = ip[12:16], ip[16:20]
        l4 = ip[ihl:tot]
        fam = socket.AF_INET
    elif etype == ETH_P_IPV6 and opts.v6:
        if len(ip) < 40:
            return None
        plen = struct.unpack_from("!H", ip, 4)[0]
        proto = ip[6]
        src, dst = ip[8:24], ip[24:40]
        l4 = ip[40:40 + plen]
        if proto == 0 and len(l4) >= 8:
            proto = l4[0]
            l4 = l4[(l4[1] + 1) * 8:]
        fam = socket.AF_INET6
    else:
        return None
    if src != socket.inet_pton(fam, opts.src) or \
       dst != socket.inet_pton(fam, opts.dst):
        return None
    if opts.proto == "tcp":
        if proto != 6 or len(l4) < 20:
            return None
        sp, dp, seq, ack, doff, flags, win = struct.unpack_from(
            "!HHIIBBH", l4, 0)
        if (sp, dp) != (opts.sport, opts.dport):
            return None
        ln = len(l4) - (doff >> 4) * 4
        return fmt(opts, seq, ln, flags, ack, win, gso, csum), ln
    if proto != 17 or len(l4) < 8:
        return None
    sp, dp, ulen = struct.unpack_from("!HHH", l4, 0)
    if (sp, dp) != (opts.sport, opts.dport):
        return None
    return "udp len=%d gso=%d csum=%s" % (ulen - 8, gso, csum), ulen - 8


def capture(opts, s, expect_bytes):
    lines, got = capture_lines(opts, s, expect_bytes)
    for ln in lines:
        print(ln)
    print("summary frames=%d bytes=%d" % (len(lines), got))
    sys.stdout.flush()


def capture_lines(opts, s, expect_bytes):
    lines = []
    got = 0
    while True:
        wait = opts.idle
        if expect_bytes is not None and got >= expect_bytes:
            wait = opts.settle
        r, _, _ = select.select([s], [], [], wait)
        if not r:
            break
        try:
            buf, addr = s.recvfrom(1 << 18)
        except OSError as e:
            lines.append("error=%s" % e.strerror)
            continue
        if addr[2] == PACKET_OUTGOING:
            continue
        res = parse_frame(opts, buf)
        if res is None:
            continue
        lines.append(res[0])
        got += res[1]
    return lines, got


def drain(s):
    while select.select([s], [], [], 0)[0]:
        try:
            s.recv(1 << 18)
        except OSError:
            pass


def setns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    path = name if "/" in name else "/run/netns/" + name
    fd = os.open(path, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        die("setns %s: %s" % (path, os.strerror(e)), 3)
    os.close(fd)


def rxq_counters(dev):
    """ethtool -S DEV: rx_queue_N_NAME summed over the queues."""
    res = subprocess.run(["ethtool", "-S", dev], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True)
    c = {}
    for ln in res.stdout.splitlines():
        m = re.match(r"\s*rx_queue_\d+_(\w+):\s*(\d+)", ln)
        if m:
            c[m.group(1)] = c.get(m.group(1), 0) + int(m.group(2))
    return c


def batch(o, files):
    """Run every case of the case files, one train each in one NAPI poll."""
    if not (o.cap_dev and o.send_dev and o.send_ns and o.model and o.out):
        die("batch needs --cap-dev, --send-ns, --send-dev, --model, --out")
    cases = []
    for fn in files:
        with open(fn) as f:
            for ln in f:
                ln = ln.strip()
                if ln and not ln.startswith("#"):
                    cases.append(ln.split("|", 2))
    cap = open_capture(o.cap_dev)
    dst_mac = cap.getsockname()[4]
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    setns(o.send_ns)
    snd = send_socket(o.send_dev)
    setns("/proc/self/fd/%d" % home)
    os.close(home)
    for tag, fam, train in cases:
        o.v6 = fam == "6"
        o.src = "2001:db8::1" if o.v6 else "192.0.2.1"
        o.dst = "2001:db8::2" if o.v6 else "192.0.2.2"
        segs = build_segments(o, parse_train([train]))
        base = os.path.join(o.out, tag)
        with open(base + ".model", "w") as f:
            f.write("".join(ln + "\n" for ln in model_lines(o, segs)))
        res = subprocess.run(["ethtool", "-C", o.cap_dev, "rx-usecs",
                              "100000", "rx-frames", str(len(segs))],
                             stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT,
                             universal_newlines=True)
        if res.returncode:
            with open(base + ".err", "w") as f:
                f.write("ethtool -C failed: %s" % res.stdout)
            continue
        drain(cap)
        before = rxq_counters(o.cap_dev)
        send_train(o, segs, snd, dst_mac)
        lines, got = capture_lines(o, cap, sum(s.len for s in segs))
        after = rxq_counters(o.cap_dev)
        with open(base + ".cap", "w") as f:
            f.write("".join(ln + "\n" for ln in lines))
            f.write("summary frames=%d bytes=%d\n" % (len(lines), got))
        with open(base + ".delta", "w") as f:
            for k in sorted(after):
                if after[k] != before.get(k, 0):
                    f.write("%s %d\n" % (k, after[k] - before.get(k, 0)))
    return 0


##############################################################################

class Opts:
    pass


def parse_args(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        sys.exit(0 if argv else 2)
    o = Opts()
    o.cmd = argv[0]
    if o.cmd not in ("send", "capture", "run", "model", "batch"):
        die("unknown command %s" % o.cmd)
    o.v6 = False
    o.proto = "tcp"
    o.src = o.dst = None
    o.sport, o.dport = 40000, 7
    o.seq, o.ack, o.win = 1000000, 5000, 1000
    o.ttl, o.tos = 64, 0
    o.no_ts = False
    o.dev = o.cap_dev = o.send_dev = o.send_ns = None
    o.dst_mac = "02:00:00:00:00:02"
    o.model = None
    o.out = None
    o.idle, o.settle = 3.0, 0.2
    o.expect_bytes = None
    train = []
    ints = {"--sport": "sport", "--dport": "dport", "--seq": "seq",
            "--ack": "ack", "--win": "win", "--ttl": "ttl", "--tos": "tos",
            "--expect-bytes": "expect_bytes"}
    strs = {"--src": "src", "--dst": "dst", "--dev": "dev",
            "--cap-dev": "cap_dev", "--send-dev": "send_dev",
            "--send-ns": "send_ns", "--dst-mac": "dst_mac",
            "--model": "model", "--proto": "proto", "--out": "out"}
    floats = {"--idle": "idle", "--settle": "settle"}
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "-6":
            o.v6 = True
        elif a == "--no-ts":
            o.no_ts = True
        elif a in ints or a in strs or a in floats:
            if i + 1 >= len(argv):
                die("%s needs a value" % a)
            v = argv[i + 1]
            try:
                if a in ints:
                    setattr(o, ints[a], int(v, 0))
                elif a in floats:
                    setattr(o, floats[a], float(v))
                else:
                    setattr(o, strs[a], v)
            except ValueError:
                die("bad value for %s: %s" % (a, v))
            i += 1
        elif a.startswith("-") and a != "-":
            die("unknown option %s" % a)
        else:
            train.append(a)
        i += 1
    if o.proto not in ("tcp", "udp"):
        die("--proto tcp|udp")
    if o.model not in (None, "gro", "lro"):
        die("--model gro|lro")
    if o.src is None:
        o.src = "2001:db8::1" if o.v6 else "192.0.2.1"
    if o.dst is None:
        o.dst = "2001:db8::2" if o.v6 else "192.0.2.2"
    return o, train


def main(argv):
    o, train = parse_args(argv)
    if o.cmd == "batch":
        return batch(o, train)
    if o.cmd == "capture":
        if not o.dev:
            die("capture needs --dev")
        capture(o, open_capture(o.dev), o.expect_bytes)
        return 0
    segs = build_segments(o, parse_train(train))
    if o.cmd == "model":
        if not o.model:
            die("model needs --model gro|lro")
        print_model(o, segs)
        return 0
    if o.cmd == "send":
        if not o.dev:
            die("send needs --dev")
        send_train(o, segs, send_socket(o.dev), mac_bytes(o.dst_mac))
        return 0
    if not (o.cap_dev and o.send_dev and o.send_ns):
        die("run needs --cap-dev, --send-ns and --send-dev")
    cap = open_capture(o.cap_dev)
    dst_mac = cap.getsockname()[4]
    setns(o.send_ns)
    send_train(o, segs, send_socket(o.send_dev), dst_mac)
    capture(o, cap, sum(s.len for s in segs))
    if o.model:
        print_model(o, segs, "model ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
