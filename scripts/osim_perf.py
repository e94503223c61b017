#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Throughput measurements of make demo and make bench (in the test VM).

Usage:
  osim_perf.py run --out FILE --tx NS:DEV --rx NS:DEV --addr ADDR
                   [--seconds N] [--streams P] [--label TEXT] [--live]
                   [--meta KEY=VALUE]...
  osim_perf.py demo-report DIR
  osim_perf.py bench-report DIR

run           one iperf3 measurement: server in the receiver's namespace,
              client in the sender's, the devices' counters (ethtool -S,
              summed over the queues, and ip -s link) and features
              (ethtool -k) and offloadsim knobs read before and after; all
              of it, with iperf3's JSON, in FILE. With --live, the receiving
              device's rx_bytes is sampled every second and shown as a live
              progress line (on one line with \\r when stdout is a tty).
demo-report   the closing table of make demo from DIR/raw/*.json: one line
              per phase, a diagnosis per phase computed from the numbers,
              DIR/demo.json (everything) and DIR/throughput.png.
bench-report  the report of make bench from DIR/raw/*.json: the ratios with
              their goals, median/min/max per row; DIR/bench.json,
              DIR/bench.csv, DIR/runs.csv, DIR/report.md and DIR/*.png.

Throughput is iperf3's receiver figure (goodput), in Mbit/s.
"""

import argparse
import csv
import ctypes
import datetime
import fcntl
import glob
import json
import os
import platform
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def cmd(args):
    """Run args, return stdout ("" on failure)."""
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return r.stdout if r.returncode == 0 else ""


###########################################################################
# Network namespaces and devices, in this process: every exec costs a few
# hundred ms in the TCG guest, so counters are read with ioctls and /proc
# from inside the namespace (setns) instead of ethtool and ip.

CLONE_NEWNET = 0x40000000
SIOCETHTOOL = 0x8946
SIOCGIFMTU = 0x8921
ETHTOOL_GSTRINGS, ETHTOOL_GSTATS = 0x1b, 0x1d
ETHTOOL_GSSET_INFO, ETHTOOL_GFEATURES = 0x37, 0x3a
ETH_SS_STATS, ETH_SS_FEATURES = 1, 4
ETH_GSTRING_LEN = 32

_libc = ctypes.CDLL(None, use_errno=True)


class Netns:
    """A named network namespace (/run/netns/NAME) and a socket in it."""

    home = None

    def __init__(self, name):
        if Netns.home is None:
            Netns.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.name = name
        self.fd = os.open("/run/netns/" + name, os.O_RDONLY)
        with self:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    @staticmethod
    def _setns(fd):
        if _libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns")

    def __enter__(self):
        self._setns(self.fd)
        return self

    def __exit__(self, *exc):
        self._setns(Netns.home)

    def enter_child(self):
        """preexec_fn: the child runs in this namespace."""
        self._setns(self.fd)

    def read(self, path):
        with self, open(path) as f:
            return f.read()

    def ethtool(self, dev, buf):
        ifr = struct.pack("16sQ16x", dev.encode(), ctypes.addressof(buf))
        fcntl.ioctl(self.sock, SIOCETHTOOL, ifr)

    def strings(self, dev, sset):
        info = ctypes.create_string_buffer(
            struct.pack("IIQI", ETHTOOL_GSSET_INFO, 0, 1 << sset, 0))
        self.ethtool(dev, info)
        mask, n = struct.unpack_from("QI", info.raw, 8)
        if not mask or not n:
            return []
        buf = ctypes.create_string_buffer(
            struct.pack("III", ETHTOOL_GSTRINGS, sset, n) +
            bytes(n * ETH_GSTRING_LEN))
        self.ethtool(dev, buf)
        return [buf.raw[12 + i * ETH_GSTRING_LEN:
                        12 + (i + 1) * ETH_GSTRING_LEN].split(b"\0")[0]
                .decode() for i in range(n)]

    def ethtool_stats(self, dev, names):
        buf = ctypes.create_string_buffer(    # with room to spare
            struct.pack("II", ETHTOOL_GSTATS, len(names)) +
            bytes(8 * (len(names) + 256)))
        self.ethtool(dev, buf)
        return struct.unpack_from("%dQ" % len(names), buf.raw, 8)

    def features(self, dev):
        """Active features by their kernel names (tx-tcp-segmentation...)."""
        names = self.strings(dev, ETH_SS_FEATURES)
        nb = (len(names) + 31) // 32
        buf = ctypes.create_string_buffer(
            struct.pack("II", ETHTOOL_GFEATURES, nb) + bytes(16 * nb))
        self.ethtool(dev, buf)
        active = [struct.unpack_from("I", buf.raw, 8 + 16 * b + 8)[0]
                  for b in range(nb)]
        return {n: "on" if active[i // 32] >> (i % 32) & 1 else "off"
                for i, n in enumerate(names) if n}

    def mtu(self, dev):
        r = fcntl.ioctl(self.sock, SIOCGIFMTU, struct.pack("16s24x",
                                                           dev.encode()))
        return struct.unpack_from("i", r, 16)[0]

    def link_stats(self, dev):
        """/proc/net/dev of the namespace, as link_rx_bytes, ..."""
        keys = ["bytes", "packets", "errors", "dropped", "fifo", "frame",
                "compressed", "multicast"]
        txkeys = ["bytes", "packets", "errors", "dropped", "fifo",
                  "collisions", "carrier", "compressed"]
        for line in self.read("/proc/self/net/dev").splitlines()[2:]:
            name, _, vals = line.partition(":")
            if name.strip() == dev:
                v = [int(x) for x in vals.split()]
                out = {"link_rx_" + k: x for k, x in zip(keys, v[:8])}
                out.update({"link_tx_" + k: x for k, x in zip(txkeys, v[8:])})
                return out
        return {}

    def tcp_counters(self):
        """The namespace's Tcp and TcpExt SNMP counters, named as nstat
        names them (TcpRetransSegs, TcpExtTCPTimeouts, ...)."""
        out = {}
        for f in ("/proc/self/net/snmp", "/proc/self/net/netstat"):
            lines = self.read(f).splitlines()
            for hdr, val in zip(lines[::2], lines[1::2]):
                pfx, _, names = hdr.partition(":")
                if pfx not in ("Tcp", "TcpExt"):
                    continue
                for n, v in zip(names.split(), val.partition(":")[2].split()):
                    out[pfx + n] = int(v)
        return out

    def listening(self, port):
        hexport = ":%04X" % port
        for f in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
            for line in self.read(f).splitlines()[1:]:
                c = line.split()
                if c[1].endswith(hexport) and c[3] == "0A":
                    return True
        return False


class Dev:
    """One end of the measurement: a device in a namespace."""

    def __init__(self, text, nsmap):
        name, _, self.dev = text.partition(":")
        self.ns = nsmap.setdefault(name, Netns(name))
        try:
            self.stat_names = self.ns.strings(self.dev, ETH_SS_STATS)
        except OSError:
            self.stat_names = []    # lo has no ethtool statistics

    def snapshot(self):
        """ethtool -S (rx_queue_N_X / tx_queue_N_X summed into rx_X /
        tx_X) and the link counters."""
        out = self.ns.link_stats(self.dev)
        vals = (self.ns.ethtool_stats(self.dev, self.stat_names)
                if self.stat_names else [])
        for key, val in zip(self.stat_names, vals):
            m = re.match(r"(rx|tx)_queue_\d+_(.+)$", key)
            if m:
                key = m.group(1) + "_" + m.group(2)
            out[key] = out.get(key, 0) + val
        out.update(self.ns.tcp_counters())
        return out

    def state(self):
        try:
            feats = self.ns.features(self.dev)
        except OSError:
            feats = {}
        return {"ns": self.ns.name, "dev": self.dev,
                "mtu": self.ns.mtu(self.dev), "features": feats}

    def rx_bytes(self):
        return self.ns.link_stats(self.dev).get("link_rx_bytes", 0)


###########################################################################
# run

PORT = 5201


def wait_listening(rx, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if rx.ns.listening(PORT):
            return True
        time.sleep(0.05)
    return False


def progress(label, elapsed, mbit, tty):
    line = "  %-30s %4.0f s  %8.1f Mbit/s" % (label, elapsed, mbit)
    if tty:
        sys.stdout.write("\r" + line + "   ")
    else:
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def sample_live(cli, args, rx):
    """Sample rx_bytes of the receiver every second while cli runs."""
    tty = sys.stdout.isatty()
    samples = []
    t0 = prev_t = time.monotonic()
    prev_b = rx.rx_bytes()
    tick = 1
    while True:
        try:
            cli.wait(timeout=max(0.0, t0 + tick - time.monotonic()))
            break
        except subprocess.TimeoutExpired:
            pass
        b, now = rx.rx_bytes(), time.monotonic()
        mbit = (b - prev_b) * 8 / max(now - prev_t, 1e-3) / 1e6
        samples.append([round(now - t0, 2), round(mbit, 2)])
        progress(args.label, now - t0, mbit, tty)
        prev_b, prev_t = b, now
        tick += 1
    if tty:
        sys.stdout.write("\r" + " " * 70 + "\r")
    return samples


def stop(proc, timeout):
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cmd_run(args):
    nsmap = {}
    tx, rx = Dev(args.tx, nsmap), Dev(args.rx, nsmap)
    meta = dict(m.split("=", 1) for m in args.meta)
    state = {"sender": tx.state(), "receiver": rx.state()}
    before = {"sender": tx.snapshot(), "receiver": rx.snapshot()}
    srv = subprocess.Popen(["iperf3", "-s", "-1", "-B", args.addr, "-p",
                            str(PORT)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL,
                           preexec_fn=rx.ns.enter_child)
    samples = []
    with tempfile.TemporaryFile(mode="w+") as out:
        if wait_listening(rx):
            cli = subprocess.Popen(
                ["iperf3", "-c", args.addr, "-p", str(PORT), "-t",
                 str(args.seconds), "-P", str(args.streams), "-i", "1", "-J"],
                stdout=out, stderr=subprocess.STDOUT,
                preexec_fn=tx.ns.enter_child)
            if args.live:
                samples = sample_live(cli, args, rx)
            stop(cli, args.seconds + 60)
        out.seek(0)
        text = out.read()
    stop(srv, 10)
    try:
        iperf = json.loads(text)
    except ValueError:
        iperf = {"error": "iperf3 printed no JSON: " + text[-500:]}
    after = {"sender": tx.snapshot(), "receiver": rx.snapshot()}
    rec = {"meta": meta, "label": args.label, "seconds": args.seconds,
           "streams": args.streams, "addr": args.addr, "state": state,
           "before": before, "after": after, "live": samples,
           "iperf3": iperf}
    rec["summary"] = summarize(rec)
    with open(args.out, "w") as f:
        json.dump(rec, f, indent=1)
    s = rec["summary"]
    if s["error"]:
        print("  %-30s iperf3 failed: %s" % (args.label, s["error"]))
    else:
        print("  %-30s %8.1f Mbit/s, %d retransmits%s" % (
            args.label, s["mbit"], s["retrans"],
            ", %d wire drops" % s["wire_drops"] if s["wire_drops"] else ""))
    sys.stdout.flush()


###########################################################################
# Figures of one run

def ratio(a, b):
    return a / b if a is not None and b else None


def summarize(rec):
    ip = rec["iperf3"]
    end = ip.get("end", {})
    recv, sent = end.get("sum_received", {}), end.get("sum_sent", {})
    cpu = end.get("cpu_utilization_percent", {})

    def delta(side, key):
        a, b = rec["after"][side], rec["before"][side]
        return a[key] - b.get(key, 0) if key in a else None

    s = {
        "error": ip.get("error"),
        "mbit": recv.get("bits_per_second", 0) / 1e6,
        "mbit_sent": sent.get("bits_per_second", 0) / 1e6,
        "retrans": sent.get("retransmits", 0),
        "cpu_sender": cpu.get("host_total"),
        "cpu_receiver": cpu.get("remote_total"),
        "wire_drops": delta("sender", "tx_wire_mtu_drops"),
        "lso_mtu_frames": delta("sender", "tx_lso_mtu_frames"),
        "tso_packets": delta("sender", "tx_tso_packets"),
        "tso_frames": delta("sender", "tx_tso_frames"),
        "lro_packets": delta("receiver", "rx_lro_packets"),
        "lro_segments": delta("receiver", "rx_lro_segments"),
        "hw_gro_packets": delta("receiver", "rx_hw_gro_packets"),
        "hw_gro_segments": delta("receiver", "rx_hw_gro_segments"),
        "rx_missed": delta("receiver", "rx_missed"),
        "tcp_timeouts": delta("sender", "TcpExtTCPTimeouts"),
        "tcp_loss_probes": delta("sender", "TcpExtTCPLossProbes"),
        "series": [round(i["sum"]["bits_per_second"] / 1e6, 2)
                   for i in ip.get("intervals", [])],
        "series_end": [round(i["sum"]["end"], 3)
                       for i in ip.get("intervals", [])],
    }
    s["frames_per_tso"] = ratio(s["tso_frames"], s["tso_packets"])
    s["segs_per_lro"] = ratio(s["lro_segments"], s["lro_packets"])
    s["segs_per_hw_gro"] = ratio(s["hw_gro_segments"], s["hw_gro_packets"])
    return s


def load_runs(d):
    runs = []
    for p in sorted(glob.glob(os.path.join(d, "raw", "*.json"))):
        with open(p) as f:
            runs.append(json.load(f))
    if not runs:
        sys.exit("osim_perf: no runs in %s/raw" % d)
    return runs


def environment():
    def read(p):
        try:
            with open(p) as f:
                return f.read().strip()
        except OSError:
            return None
    iperf = cmd(["iperf3", "--version"]).split("\n")[0]
    return {"date": datetime.datetime.now().astimezone().isoformat(
                timespec="seconds"),
            "kernel": platform.release(), "cpus": os.cpu_count(),
            "iperf3": iperf,
            "offloadsim_version": read("/sys/module/offloadsim/version"),
            "verify": read("/sys/module/offloadsim/parameters/verify")}


def fmt(v, spec="%.1f", none="-"):
    return none if v is None else spec % v


def gnuplot(path, script):
    with open(path, "w") as f:
        f.write(script)
    r = subprocess.run(["gnuplot", path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        print("osim_perf: gnuplot %s failed:\n%s" % (path, r.stdout))


def gp_str(s):
    return '"%s"' % s.replace('"', "'")


###########################################################################
# demo-report

def diagnose(s, base, st, is_base):
    """One line of plain words for a phase, from its numbers."""
    pct = 100 * s["mbit"] / base["mbit"] if base["mbit"] else 0
    lso, wire = int(st.get("lso_mtu", 0)), int(st.get("wire_mtu", 0))
    tso = st["features"].get("tx-tcp-segmentation") == "on"
    if s["error"]:
        return "no measurement: iperf3 failed (%s)" % s["error"]
    if s["wire_drops"]:
        what = ("LSO engine cuts %d-byte frames" % lso if lso and tso
                else "frames larger than the switch")
        txt = ("%s for a %d-byte switch: %d frames dropped silently, "
               "throughput %.0f%% of healthy" %
               (what, wire, s["wire_drops"], pct))
        if lso and tso and s["tso_packets"] and \
                s["wire_drops"] >= s["tso_packets"]:
            txt += ("; every TSO packet died at the switch, so the stream "
                    "moves only in retransmissions TCP cuts to one MSS, "
                    "outside TSO")
        if s["retrans"]:
            txt += " (%d retransmits, %s retransmit timeouts, %s loss " \
                   "probes)" % (s["retrans"], fmt(s.get("tcp_timeouts"), "%d"),
                                fmt(s.get("tcp_loss_probes"), "%d"))
        return txt
    if is_base:
        txt = "healthy baseline: %.0f Mbit/s, no wire drops" % s["mbit"]
        if s["frames_per_tso"]:
            txt += (", the engine cuts each TSO packet into %.0f "
                    "MSS-sized frames" % s["frames_per_tso"])
        if s["retrans"]:
            txt += ", but %d retransmits: loss somewhere" % s["retrans"]
        return txt
    how = "TSO off, the stack segments" if not tso else "TSO on"
    txt = "%s: no wire drops, throughput %.0f%% of healthy" % (how, pct)
    if s["cpu_sender"] is not None and base["cpu_sender"] is not None:
        txt += ", sender CPU %.0f%% (healthy %.0f%%)" % (
            s["cpu_sender"], base["cpu_sender"])
    if wire and lso and not tso:
        txt += ("; the workaround works" if pct >= 50 else
                "; the workaround only partly restores throughput")
    elif pct < 50:
        txt += "; something else is slow"
    return txt


def demo_plot(d, runs, env):
    blocks, arrows, labels = [], [], []
    off = 0.0
    for i, r in enumerate(runs):
        s = r["summary"]
        pts, t0 = [], 0.0
        for t, v in zip(s["series_end"], s["series"]):
            pts += ["%g %g" % (off + t0, v), "%g %g" % (off + t, v)]
            t0 = t
        blocks.append("\n".join(pts) or "%g 0" % off)
        span = s["series_end"][-1] if s["series_end"] else r["seconds"]
        labels.append('set label %d %s at %g, graph 0.95 center' %
                      (i + 1, gp_str(r["meta"].get("title", r["label"])),
                       off + span / 2))
        if i:
            arrows.append("set arrow from %g, graph 0 to %g, graph 1 "
                          "nohead dt 2 lc rgb 'gray40'" % (off, off))
        off += span
    plots = ", ".join("$d index %d using 1:2 with lines lw 2 title %s" % (
        i, gp_str(r["meta"].get("title", r["label"])))
        for i, r in enumerate(runs))
    png = os.path.join(d, "throughput.png")
    gnuplot(os.path.join(d, "throughput.gp"), """\
set terminal pngcairo size 1000,500 font ",10"
set output %s
set title %s
set xlabel "time (s)"
set ylabel "Mbit/s (iperf3, per second)"
set grid
set yrange [0:*]
set xrange [0:%g]
set offsets 0, 0, graph 0.12, 0
set key bottom right
%s
%s
$d << EOD
%s
EOD
plot %s
""" % (gp_str(png), gp_str("offloadsim demo: iperf3 through an offloadsim "
                            "pair, MTU 1500 (Linux %s)" % env["kernel"]),
       off, "\n".join(arrows), "\n".join(labels), "\n\n\n".join(blocks), plots))
    return png


def cmd_demo_report(args):
    d = args.dir
    runs = load_runs(d)
    env = environment()
    base = next((r for r in runs if r["meta"].get("phase") == "healthy"),
                runs[0])
    bs = base["summary"]
    phases = []
    for r in runs:
        s = r["summary"]
        s["vs_healthy"] = ratio(s["mbit"], bs["mbit"])
        r["diagnosis"] = diagnose(s, bs, {**r["meta"], **r["state"]["sender"]},
                                  r is base)
        phases.append(r)

    print()
    for head in (("", "", "% of", "TCP", "wire", "TSO", "TSO", "frames",
                  "CPU %", "CPU %"),
                 ("phase", "Mbit/s", "healthy", "retrans", "drops", "packets",
                  "frames", "/TSO", "send", "recv")):
        print("%-22s %8s %7s %8s %8s %9s %10s %7s %5s %5s" % head)
    for r in phases:
        s = r["summary"]
        print("%-22s %8.1f %7s %8d %8s %9s %10s %7s %5s %5s" % (
            r["meta"].get("title", r["label"]), s["mbit"],
            fmt(s["vs_healthy"] and 100 * s["vs_healthy"], "%.0f"),
            s["retrans"], fmt(s["wire_drops"], "%d"),
            fmt(s["tso_packets"], "%d"), fmt(s["tso_frames"], "%d"),
            fmt(s["frames_per_tso"]), fmt(s["cpu_sender"], "%.0f"),
            fmt(s["cpu_receiver"], "%.0f")))
    print()
    for r in phases:
        print("%-11s %s" % (r["meta"].get("phase", r["label"]) + ":",
                            r["diagnosis"]))

    png = demo_plot(d, phases, env)
    path = os.path.join(d, "demo.json")
    with open(path, "w") as f:
        json.dump({"kind": "offloadsim demo", "environment": env,
                   "phases": phases}, f, indent=1)
    print()
    print("results: %s (everything: per-phase summary, per-second series, "
          "counters)" % path)
    print("plot:    %s" % png)


###########################################################################
# bench-report

# (label, numerator row, denominator row, goal: (op, value) or None)
RATIOS = [
    ("offloadsim ÷ veth (defaults, GRO on)", "osim-1500", "veth-1500-gro",
     (">=", 0.9)),
    ("offloadsim TSO on ÷ TSO off", "osim-1500", "osim-1500-tso-off",
     (">=", 1.5)),
    ("veth TSO on ÷ TSO off (reference)", "veth-1500-gro",
     "veth-1500-gro-tso-off", None),
    ("LSO mismatch ÷ healthy", "osim-1500-lso-bug", "osim-1500",
     ("<=", 0.05)),
    ("`tso off` workaround ÷ healthy", "osim-1500-lso-bug-tso-off",
     "osim-1500", (">=", 0.5)),
    ("offloadsim LRO on ÷ GRO only", "osim-1500-lro", "osim-1500", None),
    ("offloadsim ÷ loopback (the ceiling)", "osim-1500", "lo", None),
]

ROW_FIELDS = ["row", "device", "mtu", "streams", "offloads", "knobs", "runs",
              "mbit_median", "mbit_min", "mbit_max", "retrans_median",
              "cpu_sender_median", "cpu_receiver_median", "frames_per_tso",
              "segs_per_lro", "segs_per_hw_gro", "wire_drops_median",
              "errors"]


def median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def bench_rows(runs):
    rows = {}
    for r in runs:
        m = r["meta"]
        row = rows.setdefault(m["row"], {
            "row": m["row"], "order": int(m.get("order", 0)),
            "device": m.get("device"), "mtu": int(m.get("mtu", 0)),
            "streams": r["streams"], "offloads": m.get("offloads", ""),
            "knobs": m.get("knobs", ""), "run_list": []})
        row["run_list"].append(r)
    out = sorted(rows.values(), key=lambda x: x["order"])
    for row in out:
        ok = [r["summary"] for r in row["run_list"]
              if not r["summary"]["error"]]
        mb = [s["mbit"] for s in ok]
        row.update({
            "runs": len(row["run_list"]),
            "errors": len(row["run_list"]) - len(ok),
            "mbit_median": median(mb), "mbit_min": min(mb, default=None),
            "mbit_max": max(mb, default=None),
            "retrans_median": median([s["retrans"] for s in ok]),
            "cpu_sender_median": median([s["cpu_sender"] for s in ok]),
            "cpu_receiver_median": median([s["cpu_receiver"] for s in ok]),
            "frames_per_tso": median([s["frames_per_tso"] for s in ok]),
            "segs_per_lro": median([s["segs_per_lro"] for s in ok]),
            "segs_per_hw_gro": median([s["segs_per_hw_gro"] for s in ok]),
            "wire_drops_median": median([s["wire_drops"] for s in ok]),
        })
    return out


def bench_ratios(rows):
    by = {r["row"]: r for r in rows}
    out = []
    for label, num, den, goal in RATIOS:
        a, b = by.get(num), by.get(den)
        res = {"ratio": label, "numerator": num, "denominator": den,
               "goal": "%s %g" % goal if goal else "informational",
               "value": None, "min": None, "max": None}
        if a and b and a["mbit_median"] is not None and b["mbit_median"]:
            res["value"] = a["mbit_median"] / b["mbit_median"]
            if b["mbit_max"] and b["mbit_min"]:
                res["min"] = a["mbit_min"] / b["mbit_max"]
                res["max"] = a["mbit_max"] / b["mbit_min"]
        if res["value"] is None:
            res["verdict"] = "n/a (row not measured)"
        elif not goal:
            res["verdict"] = "-"
        elif goal[0] == ">=":
            res["verdict"] = "PASS" if res["value"] >= goal[1] else "MISS"
        else:
            res["verdict"] = "PASS" if res["value"] <= goal[1] else "MISS"
        out.append(res)
    return out


def md_table(head, lines):
    t = ["| " + " | ".join(head) + " |",
         "|" + "|".join("---" for _ in head) + "|"]
    t += ["| " + " | ".join(str(c) for c in line) + " |" for line in lines]
    return "\n".join(t)


def bench_markdown(env, params, rows, ratios):
    rline = []
    for r in ratios:
        rng = ("%.2f–%.2f" % (r["min"], r["max"])
               if r["min"] is not None else "")
        rline.append([r["ratio"], "`%s` ÷ `%s`" % (r["numerator"],
                                                 r["denominator"]),
                      fmt(r["value"], "%.3f"), rng, r["goal"],
                      "**%s**" % r["verdict"] if r["verdict"] in
                      ("PASS", "MISS") else r["verdict"]])
    tline = []
    for r in rows:
        tline.append([
            "`%s`" % r["row"], r["device"], r["mtu"], r["streams"],
            r["offloads"] or "defaults", r["knobs"] or "",
            "%s (%s–%s)" % (fmt(r["mbit_median"]), fmt(r["mbit_min"]),
                            fmt(r["mbit_max"])),
            fmt(r["retrans_median"], "%g"),
            fmt(r["cpu_sender_median"], "%.0f"),
            fmt(r["cpu_receiver_median"], "%.0f"),
            fmt(r["frames_per_tso"]), fmt(r["segs_per_lro"]),
            fmt(r["segs_per_hw_gro"]), fmt(r["wire_drops_median"], "%g")
            + (" (%d failed)" % r["errors"] if r["errors"] else "")])
    miss = sum(r["verdict"] == "MISS" for r in ratios)
    return "\n".join([
        "# offloadsim benchmark",
        "",
        "%s; Linux %s, %s vCPUs (QEMU TCG), %s; offloadsim %s (verify=%s)."
        % (env["date"], env["kernel"], env["cpus"], env["iperf3"],
           env["offloadsim_version"] or "?", env["verify"] or "?"),
        "iperf3 TCP, %d s per run, %d runs per row, rows interleaved (run 1 "
        "of every row, then run 2, ...) in one boot, so drift hits all rows "
        "alike%s." % (params["seconds"], params["runs"],
                      "; rows matching `%s`" % params["rows"]
                      if params["rows"] else ""),
        "Throughput is the receiver's (goodput), Mbit/s, median of the "
        "runs (min–max).",
        "",
        "## Ratios measured in the same run",
        "",
        md_table(["ratio", "rows", "median", "min–max", "goal", "verdict"],
                 rline),
        "",
        "%d goal(s) missed." % miss if miss else "Every goal met.",
        "",
        "## Every row",
        "",
        md_table(["row", "device", "MTU", "streams", "ethtool -K (both ends)",
                  "knobs (sender)", "Mbit/s", "retrans", "CPU snd %",
                  "CPU rcv %", "frames/TSO", "segs/LRO", "segs/hw-GRO",
                  "wire drops"], tline),
        "",
        "- offloadsim rows use one pair (osim0 → osim1, 192.0.2.0/24), veth "
        "rows a veth pair (198.51.100.0/24), each end in its own network "
        "namespace; `lo` is iperf3 over loopback inside one namespace, the "
        "ceiling of the machine.",
        "- retrans: TCP retransmits (iperf3); CPU: iperf3's "
        "cpu_utilization_percent, host_total (sender) and remote_total "
        "(receiver).",
        "- frames/TSO: tx_tso_frames ÷ tx_tso_packets of the sending "
        "offloadsim device; segs/LRO and segs/hw-GRO: segments per "
        "aggregated packet of the receiving one; wire drops: "
        "tx_wire_mtu_drops (frames the simulated switch dropped).",
        "- knobs: `lso_mtu`/`wire_mtu` of the sender; the LSO mismatch rows "
        "are lso_mtu 9000 with a 1500-byte switch.",
        "",
        "![throughput per row](throughput.png)",
        "",
        "![ratios and goals](ratios.png)",
        ""])


def bench_plots(d, rows, ratios, env):
    colors = {"offloadsim": 1, "veth": 2}
    data = "\n".join('%s %g %g %g %d' % (
        gp_str(r["row"]), r["mbit_median"] or 0, r["mbit_min"] or 0,
        r["mbit_max"] or 0, colors.get(r["device"], 3)) for r in rows)
    gnuplot(os.path.join(d, "throughput.gp"), """\
set terminal pngcairo size %d,600 font ",10"
set output %s
set title %s
set ylabel "Mbit/s (median, min-max)"
set label "offloadsim: blue, veth: orange, loopback: grey" at graph 0.01, graph 0.97
set style fill solid 0.6 border -1
set boxwidth 0.7
set grid ytics
set yrange [0:*]
set xtics rotate by -45 left
set bmargin 10
unset key
$d << EOD
%s
EOD
set linetype 1 lc rgb "#4477aa"
set linetype 2 lc rgb "#ee7733"
set linetype 3 lc rgb "#999999"
plot $d using 0:2:5:xtic(1) with boxes lc variable, \\
     $d using 0:2:3:4 with yerrorbars lc rgb "black" pt 7 ps 0.4
""" % (max(800, 45 * len(rows) + 200),
       gp_str(os.path.join(d, "throughput.png")),
       gp_str("offloadsim benchmark: throughput per row (Linux %s)" %
              env["kernel"]), data))

    rdata = "\n".join('%s %g %s' % (
        gp_str(r["ratio"].replace("`", "").replace("÷", "/")),
        r["value"] if r["value"] is not None else 0,
        r["goal"].split()[1] if r["goal"] != "informational" else "NaN")
        for r in ratios)
    gnuplot(os.path.join(d, "ratios.gp"), """\
set terminal pngcairo size 1000,600 font ",10"
set output %s
set title "offloadsim benchmark: ratios (bars) and their goals (points)"
set style fill solid 0.6 border -1
set boxwidth 0.6
set grid ytics
set yrange [0:*]
set xtics rotate by -30 left
set bmargin 12
set rmargin 22
set key top right
$d << EOD
%s
EOD
plot $d using 0:2:xtic(1) with boxes lc rgb "#44aa77" title "measured", \\
     $d using 0:3 with points pt 7 ps 1.5 lc rgb "red" title "goal"
""" % (gp_str(os.path.join(d, "ratios.png")), rdata))


def csv_round(d):
    return {k: round(v, 3) if isinstance(v, float) else v
            for k, v in d.items()}


def cmd_bench_report(args):
    d = args.dir
    runs = load_runs(d)
    env = environment()
    params = {"seconds": runs[0]["seconds"],
              "runs": max(int(r["meta"].get("run", 1)) for r in runs),
              "rows": runs[0]["meta"].get("filter", "")}
    rows = bench_rows(runs)
    ratios = bench_ratios(rows)

    with open(os.path.join(d, "bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, ROW_FIELDS, extrasaction="ignore")
        w.writeheader()
        w.writerows(csv_round(r) for r in rows)
    run_fields = ["row", "run", "mbit", "mbit_sent", "retrans", "cpu_sender",
                  "cpu_receiver", "tso_packets", "tso_frames",
                  "frames_per_tso", "lro_packets", "lro_segments",
                  "hw_gro_packets", "hw_gro_segments", "wire_drops",
                  "lso_mtu_frames", "rx_missed", "error"]
    with open(os.path.join(d, "runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, run_fields, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            for r in row["run_list"]:
                w.writerow(csv_round({"row": row["row"],
                                      "run": r["meta"].get("run"),
                                      **r["summary"]}))
    with open(os.path.join(d, "bench.json"), "w") as f:
        json.dump({"kind": "offloadsim bench", "environment": env,
                   "params": params, "ratios": ratios, "rows": rows}, f,
                  indent=1)
    md = bench_markdown(env, params, rows, ratios)
    with open(os.path.join(d, "report.md"), "w") as f:
        f.write(md)
    bench_plots(d, rows, ratios, env)
    print()
    print(md.split("\n![")[0].rstrip())
    print()
    print("results: %s/ (report.md, bench.csv, runs.csv, bench.json, "
          "throughput.png, ratios.png, raw/)" % d)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--out", required=True)
    r.add_argument("--tx", required=True, help="NS:DEV of the sender")
    r.add_argument("--rx", required=True, help="NS:DEV of the receiver")
    r.add_argument("--addr", required=True, help="the receiver's address")
    r.add_argument("--seconds", type=int, default=10)
    r.add_argument("--streams", type=int, default=1)
    r.add_argument("--label", default="iperf3")
    r.add_argument("--live", action="store_true")
    r.add_argument("--meta", action="append", default=[])
    for name in ("demo-report", "bench-report"):
        sub.add_parser(name).add_argument("dir")
    args = p.parse_args()
    {"run": cmd_run, "demo-report": cmd_demo_report,
     "bench-report": cmd_bench_report}[args.cmd](args)


if __name__ == "__main__":
    main()
