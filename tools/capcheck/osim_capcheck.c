// SPDX-License-Identifier: GPL-2.0
/*
 * osim_capcheck - capture the frames of one device and check every
 * IPv4/IPv6 TCP or UDP frame: sizes against an MSS, IP and L4 checksums,
 * IPv4 id sequences, TCP flags, and optionally the osim_inject payload
 * pattern.  It replaces "tcpdump -vv | grep" in the selftests.
 *
 * Usage: osim_capcheck --dev IFNAME [--seconds S] [--count N] [--port P]
 *                      [--mss M] [--dir in|out|any] [--verify-payload]
 *                      [--ready FILE] [--verbose]
 *
 * The capture uses an AF_PACKET socket (ETH_P_ALL, PACKET_AUXDATA, 8 MB
 * receive buffer) on IFNAME in the current network namespace.  It stops
 * after S seconds (fractions allowed), after N checked frames, or on
 * SIGINT/SIGTERM, whichever comes first; with neither --seconds nor
 * --count only a signal stops it.  --ready FILE creates FILE once the
 * socket captures, for scripts that start the capture in the background.
 *
 * A frame is checked when it is IPv4/IPv6 (VLAN tags allowed, in-band or
 * offloaded), not a fragment, TCP or UDP, and has --port P (when given) as
 * source or destination port; everything else is only counted as
 * other_frames (or malformed / ip_frags).  --dir picks the direction
 * (default any, like tcpdump: "in" leaves out what the host sends).
 *
 * Output, one key=value per line on stdout, in this order:
 *   frames             checked frames
 *   tcp_frames, udp_frames
 *   other_frames       non-IP, other L4 protocols, other ports
 *   malformed          IP/TCP/UDP headers or lengths inconsistent or cut
 *   ip_frags           IPv4/IPv6 fragments of TCP/UDP (not checked)
 *   vlan_frames        checked frames with an 802.1Q/802.1ad tag
 *   max_frame          largest checked frame: L2 header (VLAN tag
 *                      included, even when offloaded) + L3 + L4, no FCS
 *   max_payload        largest L4 payload of one checked frame
 *   over_mss           TCP frames with more payload than --mss (0 without)
 *   ip_csum_bad        IPv4 header checksum wrong
 *   l4_csum_bad        TCP/UDP checksum (pseudo-header + L4) wrong
 *   csum_partial       TP_STATUS_CSUMNOTREADY: CHECKSUM_PARTIAL, the L4
 *                      checksum is not filled in (not verified, not bad)
 *   csum_partial_bad   ... of those, the checksum field does not hold the
 *                      pseudo-header sum the completion needs
 *   csum_hw_valid      TP_STATUS_CSUM_VALID (still verified in software)
 *   udp_csum_zero      IPv4 UDP without checksum (IPv6: l4_csum_bad)
 *   ipid_flows         IPv4 TCP flows (addresses and ports, per direction)
 *                      with payload
 *   ipid_nonincreasing frames with payload whose IP id is not the id of
 *                      the flow's previous frame + 1 (mod 65536)
 *   syn, fin, rst, psh, urg, ece, cwr   TCP frames with that flag
 *   payload_checked    frames with payload checked (--verify-payload)
 *   payload_bad        ... not matching the osim_inject pattern: byte j of
 *                      a TCP payload = ((seq + j) * 7) % 251, seq 32-bit;
 *                      UDP: byte j = (byte 0 + 7 * j) % 251
 *   capture_trunc      frames larger than the 1 MB capture buffer
 *   capture_drops      frames the socket dropped (PACKET_STATISTICS)
 * --verbose adds one line per checked frame on stderr.
 *
 * Exit status: 0 done, 2 usage error, 3 socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#define OSIM_PROG	"osim_capcheck"
#include "../lib/osim_tool.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23
#endif

#define RCVBUF_SIZE	(8 << 20)
#define CAP_BUF_SIZE	(1 << 20)
#define MAX_FLOWS	4096

enum { EXIT_OK, EXIT_UNUSED, EXIT_USAGE, EXIT_SOCKET };
enum { DIR_ANY, DIR_IN, DIR_OUT };

static struct {
	unsigned long frames, tcp_frames, udp_frames, other_frames;
	unsigned long malformed, ip_frags, vlan_frames;
	unsigned long max_frame, max_payload, over_mss;
	unsigned long ip_csum_bad, l4_csum_bad;
	unsigned long csum_partial, csum_partial_bad, csum_hw_valid;
	unsigned long udp_csum_zero;
	unsigned long ipid_flows, ipid_nonincreasing;
	unsigned long syn, fin, rst, psh, urg, ece, cwr;
	unsigned long payload_checked, payload_bad;
	unsigned long capture_trunc, capture_drops;
} st;

static struct {
	const char *dev;
	double seconds;
	unsigned long count;
	int port;		/* -1: any */
	unsigned int mss;
	int dir;
	int verify;
	const char *ready;
	int verbose;
} cfg = {
	.port = -1,
};

struct flow {
	uint8_t saddr[4], daddr[4];
	uint16_t sport, dport;
	uint16_t last_id;
	uint8_t state;		/* FLOW_* */
};

#define FLOW_SEEN	0x1	/* last_id is valid */
#define FLOW_PAYLOAD	0x2	/* counted in ipid_flows */

static struct flow flows[MAX_FLOWS];
static unsigned int nflows;
static uint8_t buf[CAP_BUF_SIZE];
static volatile sig_atomic_t stop;

/* what the checks of one frame need to know */
struct pkt {
	const uint8_t *l3, *l4;
	size_t l4len;		/* from the IP header, options included */
	size_t thlen;
	int ipv6, tcp;
	unsigned int tp_status;
	int vlan;
	int out;
	size_t wire_len;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: osim_capcheck --dev IFNAME [--seconds S] [--count N] [--port P]\n"
		"                     [--mss M] [--dir in|out|any] [--verify-payload]\n"
		"                     [--ready FILE] [--verbose]\n"
		"Capture on IFNAME until S seconds passed, N TCP/UDP frames were checked\n"
		"or SIGINT/SIGTERM; print the checks' counters as key=value lines.\n"
		"Exit: 0 done, 2 usage error, 3 socket error.\n");
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t pseudo_sum(const struct pkt *k)
{
	return pseudo_hdr_sum(k->l3 + (k->ipv6 ? 8 : 12),
			      k->l3 + (k->ipv6 ? 24 : 16), k->ipv6,
			      k->tcp ? IPPROTO_TCP : IPPROTO_UDP, k->l4len);
}

static int payload_ok(const struct pkt *k)
{
	const uint8_t *p = k->l4 + k->thlen;
	size_t j, n = k->l4len - k->thlen;
	uint32_t seq;

	if (k->tcp) {
		seq = get32(k->l4 + 4);
		for (j = 0; j < n; j++)
			if (p[j] != payload_byte(seq + (uint32_t)j))
				return 0;
		return 1;
	}
	if (p[0] >= 251)
		return 0;
	for (j = 1; j < n; j++)
		if (p[j] != (p[0] + 7 * (j % 251)) % 251)
			return 0;
	return 1;
}

static struct flow *flow_get(const uint8_t *ip, const uint8_t *th)
{
	struct flow *fl;
	unsigned int i;

	for (i = 0; i < nflows; i++) {
		fl = &flows[i];
		if (!memcmp(fl->saddr, ip + 12, 4) &&
		    !memcmp(fl->daddr, ip + 16, 4) &&
		    fl->sport == get16(th) && fl->dport == get16(th + 2))
			return fl;
	}
	if (nflows == MAX_FLOWS)
		return NULL;
	fl = &flows[nflows++];
	memcpy(fl->saddr, ip + 12, 4);
	memcpy(fl->daddr, ip + 16, 4);
	fl->sport = get16(th);
	fl->dport = get16(th + 2);
	fl->state = 0;
	return fl;
}

/*
 * IPv4 TCP ids: every frame of a flow updates its last id (the sender's
 * counter also moves for pure ACKs), only frames with payload are judged.
 */
static void check_ipid(const struct pkt *k, size_t paylen)
{
	unsigned int id = get16(k->l3 + 4);
	struct flow *fl = flow_get(k->l3, k->l4);

	if (!fl)
		return;
	if (paylen) {
		if ((fl->state & FLOW_SEEN) &&
		    id != ((fl->last_id + 1) & 0xffff))
			st.ipid_nonincreasing++;
		if (!(fl->state & FLOW_PAYLOAD)) {
			fl->state |= FLOW_PAYLOAD;
			st.ipid_flows++;
		}
	}
	fl->last_id = id;
	fl->state |= FLOW_SEEN;
}

static void print_frame(const struct pkt *k, size_t paylen, const char *csum)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	static const char fl[] = "FSRPAUEC";
	char flags[9] = "";
	int i, n = 0;

	inet_ntop(k->ipv6 ? AF_INET6 : AF_INET, k->l3 + (k->ipv6 ? 8 : 12),
		  src, sizeof(src));
	inet_ntop(k->ipv6 ? AF_INET6 : AF_INET, k->l3 + (k->ipv6 ? 24 : 16),
		  dst, sizeof(dst));
	fprintf(stderr, "%s %zu %s%c %s.%u > %s.%u", k->out ? "out" : "in",
		k->wire_len, k->tcp ? "tcp" : "udp", k->ipv6 ? '6' : '4',
		src, get16(k->l4), dst, get16(k->l4 + 2));
	if (!k->ipv6)
		fprintf(stderr, " id %u", get16(k->l3 + 4));
	if (k->tcp) {
		for (i = 0; i < 8; i++)
			if (k->l4[13] & (1 << i))
				flags[n++] = fl[i];
		flags[n] = '\0';
		fprintf(stderr, " seq %u flags [%s]", get32(k->l4 + 4), flags);
	}
	fprintf(stderr, " len %zu%s csum %s\n", paylen, k->vlan ? " vlan" : "",
		csum);
}

/* Checks of a frame whose headers were found consistent. */
static void check_l4(struct pkt *k, int ip_csum_bad)
{
	size_t paylen = k->l4len - k->thlen;
	unsigned int csum_off = k->tcp ? 16 : 6, field, seed;
	const char *csum = "ok";

	st.frames++;
	if (k->tcp)
		st.tcp_frames++;
	else
		st.udp_frames++;
	if (k->vlan)
		st.vlan_frames++;
	if (k->wire_len > st.max_frame)
		st.max_frame = k->wire_len;
	if (paylen > st.max_payload)
		st.max_payload = paylen;
	if (k->tcp && cfg.mss && paylen > cfg.mss)
		st.over_mss++;
	if (ip_csum_bad)
		st.ip_csum_bad++;

	field = get16(k->l4 + csum_off);
	if (k->tp_status & TP_STATUS_CSUMNOTREADY) {
		st.csum_partial++;
		csum = "partial";
		seed = csum_fold(pseudo_sum(k));
		if (field != seed && !(field == 0 && seed == 0xffff) &&
		    !(field == 0xffff && seed == 0)) {
			st.csum_partial_bad++;
			csum = "partial-bad";
		}
	} else if (!k->tcp && !k->ipv6 && !field) {
		st.udp_csum_zero++;
		csum = "none";
	} else if (!field && !k->tcp) {
		st.l4_csum_bad++;	/* IPv6 UDP must have a checksum */
		csum = "bad";
	} else if (csum_fold(csum_add(pseudo_sum(k), k->l4, k->l4len)) !=
		   0xffff) {
		st.l4_csum_bad++;
		csum = "bad";
	}
	if (k->tp_status & TP_STATUS_CSUM_VALID)
		st.csum_hw_valid++;

	if (k->tcp) {
		unsigned int flags = k->l4[13];

		st.syn += !!(flags & TCP_SYN);
		st.fin += !!(flags & TCP_FIN);
		st.rst += !!(flags & TCP_RST);
		st.psh += !!(flags & TCP_PSH);
		st.urg += !!(flags & TCP_URG);
		st.ece += !!(flags & TCP_ECE);
		st.cwr += !!(flags & TCP_CWR);
		if (!k->ipv6)
			check_ipid(k, paylen);
	}
	if (cfg.verify && paylen) {
		st.payload_checked++;
		if (!payload_ok(k))
			st.payload_bad++;
	}
	if (cfg.verbose)
		print_frame(k, paylen, csum);
}

/* IPv6 extension headers up to the transport; 0 for a non-first fragment */
static int ip6_skip_ext(const uint8_t *ip, size_t end, size_t *off,
			unsigned int *nh)
{
	size_t hl;

	for (;;) {
		switch (*nh) {
		case 0:		/* Hop-by-Hop */
		case 43:	/* Routing */
		case 60:	/* Destination options */
		case 51:	/* AH */
		case 44:	/* Fragment */
			break;
		default:
			return 1;
		}
		if (*off + 8 > end)
			return -1;
		if (*nh == 44) {
			if (get16(ip + *off + 2) & 0xfff9)
				return 0;
			hl = 8;
		} else if (*nh == 51) {
			hl = (ip[*off + 1] + 2) * 4;
		} else {
			hl = (ip[*off + 1] + 1) * 8;
		}
		*nh = ip[*off];
		*off += hl;
		if (*off > end)
			return -1;
	}
}

static void check_frame(const uint8_t *p, size_t len, unsigned int tp_status,
			int vlan_offloaded, int out)
{
	struct pkt k = { .tp_status = tp_status, .out = out };
	size_t off = ETH_HLEN, l3len, ihl, hoff, tot;
	unsigned int etype, proto, ports;
	const uint8_t *ip;
	int ip_csum_bad = 0, ret;

	k.vlan = vlan_offloaded;
	k.wire_len = len + (vlan_offloaded ? 4 : 0);
	if (len < ETH_HLEN) {
		st.other_frames++;
		return;
	}
	etype = get16(p + 12);
	while ((etype == ETH_P_8021Q || etype == ETH_P_8021AD) &&
	       off + 4 <= len) {
		k.vlan = 1;
		etype = get16(p + off + 2);
		off += 4;
	}
	if (etype != ETH_P_IP && etype != ETH_P_IPV6) {
		st.other_frames++;
		return;
	}
	ip = p + off;
	l3len = len - off;
	k.l3 = ip;

	if (etype == ETH_P_IP) {
		if (l3len < 20 || ip[0] >> 4 != 4) {
			st.malformed++;
			return;
		}
		ihl = (ip[0] & 0xf) * 4;
		tot = get16(ip + 2);
		if (!tot && l3len > 0xffff)
			tot = l3len;	/* BIG TCP */
		if (ihl < 20 || ihl > l3len || tot < ihl || tot > l3len) {
			st.malformed++;
			return;
		}
		ip_csum_bad = csum_fold(csum_add(0, ip, ihl)) != 0xffff;
		proto = ip[9];
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) {
			st.other_frames++;
			return;
		}
		if (get16(ip + 6) & 0x3fff) {
			st.ip_frags++;
			return;
		}
		hoff = ihl;
	} else {
		if (l3len < 40 || ip[0] >> 4 != 6) {
			st.malformed++;
			return;
		}
		tot = get16(ip + 4) + 40;
		if (tot == 40 && l3len > 0xffff + 40)
			tot = l3len;	/* BIG TCP */
		if (tot > l3len) {
			st.malformed++;
			return;
		}
		k.ipv6 = 1;
		hoff = 40;
		proto = ip[6];
		ret = ip6_skip_ext(ip, tot, &hoff, &proto);
		if (ret < 0) {
			st.malformed++;
			return;
		}
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) {
			st.other_frames++;
			return;
		}
		if (!ret) {
			st.ip_frags++;
			return;
		}
	}
	k.tcp = proto == IPPROTO_TCP;
	k.l4 = ip + hoff;
	k.l4len = tot - hoff;

	if (k.l4len < 4) {
		st.malformed++;
		return;
	}
	ports = cfg.port;
	if (cfg.port >= 0 && get16(k.l4) != ports && get16(k.l4 + 2) != ports) {
		st.other_frames++;
		return;
	}
	if (k.tcp) {
		if (k.l4len < 20) {
			st.malformed++;
			return;
		}
		k.thlen = (k.l4[12] >> 4) * 4;
		if (k.thlen < 20 || k.thlen > k.l4len) {
			st.malformed++;
			return;
		}
	} else {
		k.thlen = 8;
		if (k.l4len < 8 || get16(k.l4 + 4) != k.l4len) {
			st.malformed++;
			return;
		}
	}
	check_l4(&k, ip_csum_bad);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_socket(unsigned int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	struct tpacket_stats tps;
	socklen_t sl = sizeof(tps);
	int fd, one = 1, size = RCVBUF_SIZE;

	/* protocol 0 until bound: no frames of other devices sneak in */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("osim_capcheck: socket(AF_PACKET)");
		exit(EXIT_SOCKET);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		perror("osim_capcheck: warning: SO_RCVBUF");
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
		perror("osim_capcheck: PACKET_AUXDATA");
		exit(EXIT_SOCKET);
	}
	if (cfg.dir == DIR_IN)
		/* an optimisation only: pkttype is checked as well */
		setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			   sizeof(one));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("osim_capcheck: bind");
		exit(EXIT_SOCKET);
	}
	/* reading the statistics resets them */
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &tps, &sl);
	return fd;
}

/* Receive what is queued; 0 when it would block, -1 on error. */
static int drain(int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg;
	struct cmsghdr *cm;

	for (;;) {
		unsigned int status = 0;
		int vlan = 0, out;
		ssize_t n;

		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = &ctl;
		msg.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			perror("osim_capcheck: recvmsg");
			return -1;
		}
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			struct tpacket_auxdata aux;

			if (cm->cmsg_level != SOL_PACKET ||
			    cm->cmsg_type != PACKET_AUXDATA ||
			    cm->cmsg_len < CMSG_LEN(sizeof(aux)))
				continue;
			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			status = aux.tp_status;
			vlan = !!(status & TP_STATUS_VLAN_VALID);
		}
		out = from.sll_pkttype == PACKET_OUTGOING;
		if ((cfg.dir == DIR_IN && out) || (cfg.dir == DIR_OUT && !out))
			continue;
		if ((size_t)n > sizeof(buf)) {
			st.capture_trunc++;
			continue;
		}
		check_frame(buf, n, status, vlan, out);
		if (cfg.count && st.frames >= cfg.count)
			return 0;
	}
}

static void report(void)
{
#define P(name, field) printf(name "=%lu\n", st.field)
	P("frames", frames);
	P("tcp_frames", tcp_frames);
	P("udp_frames", udp_frames);
	P("other_frames", other_frames);
	P("malformed", malformed);
	P("ip_frags", ip_frags);
	P("vlan_frames", vlan_frames);
	P("max_frame", max_frame);
	P("max_payload", max_payload);
	P("over_mss", over_mss);
	P("ip_csum_bad", ip_csum_bad);
	P("l4_csum_bad", l4_csum_bad);
	P("csum_partial", csum_partial);
	P("csum_partial_bad", csum_partial_bad);
	P("csum_hw_valid", csum_hw_valid);
	P("udp_csum_zero", udp_csum_zero);
	P("ipid_flows", ipid_flows);
	P("ipid_nonincreasing", ipid_nonincreasing);
	P("syn", syn);
	P("fin", fin);
	P("rst", rst);
	P("psh", psh);
	P("urg", urg);
	P("ece", ece);
	P("cwr", cwr);
	P("payload_checked", payload_checked);
	P("payload_bad", payload_bad);
	P("capture_trunc", capture_trunc);
	P("capture_drops", capture_drops);
#undef P
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev",	    required_argument, NULL, 'd' },
		{ "seconds",	    required_argument, NULL, 's' },
		{ "count",	    required_argument, NULL, 'c' },
		{ "port",	    required_argument, NULL, 'p' },
		{ "mss",	    required_argument, NULL, 'm' },
		{ "dir",	    required_argument, NULL, 'D' },
		{ "verify-payload", no_argument,       NULL, 'P' },
		{ "ready",	    required_argument, NULL, 'r' },
		{ "verbose",	    no_argument,       NULL, 'v' },
		{ "help",	    no_argument,       NULL, 'h' },
		{ NULL,		    0,		       NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct tpacket_stats tps;
	socklen_t sl = sizeof(tps);
	double deadline = 0;
	unsigned int ifindex;
	char *end;
	int fd, c;

	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.dev = optarg;
			break;
		case 's':
			errno = 0;
			cfg.seconds = strtod(optarg, &end);
			if (errno || end == optarg || *end ||
			    !isfinite(cfg.seconds) || cfg.seconds <= 0 ||
			    cfg.seconds > 1e6)
				usage_error("invalid --seconds \"%s\"", optarg);
			break;
		case 'c':
			cfg.count = parse_ul("--count", optarg, ULONG_MAX);
			break;
		case 'p':
			cfg.port = parse_ul("--port", optarg, 0xffff);
			break;
		case 'm':
			cfg.mss = parse_ul("--mss", optarg, UINT_MAX);
			break;
		case 'D':
			if (!strcmp(optarg, "in"))
				cfg.dir = DIR_IN;
			else if (!strcmp(optarg, "out"))
				cfg.dir = DIR_OUT;
			else if (!strcmp(optarg, "any"))
				cfg.dir = DIR_ANY;
			else
				usage_error("invalid --dir \"%s\"", optarg);
			break;
		case 'P':
			cfg.verify = 1;
			break;
		case 'r':
			cfg.ready = optarg;
			break;
		case 'v':
			cfg.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	if (!cfg.dev)
		usage_error("%s is required", "--dev");
	ifindex = if_nametoindex(cfg.dev);
	if (!ifindex) {
		fprintf(stderr, "osim_capcheck: no device \"%s\"\n", cfg.dev);
		return EXIT_SOCKET;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fd = open_socket(ifindex);
	if (cfg.ready) {
		int rfd = open(cfg.ready, O_WRONLY | O_CREAT | O_TRUNC |
			       O_CLOEXEC, 0644);

		if (rfd < 0) {
			fprintf(stderr, "osim_capcheck: %s: %s\n", cfg.ready,
				strerror(errno));
			return EXIT_USAGE;
		}
		close(rfd);
	}
	if (cfg.seconds)
		deadline = now() + cfg.seconds;

	while (!stop && !(cfg.count && st.frames >= cfg.count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = -1;

		if (deadline) {
			double left = deadline - now();

			if (left <= 0)
				break;
			timeout = (int)(left * 1000) + 1;
		}
		if (poll(&pfd, 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			perror("osim_capcheck: poll");
			return EXIT_SOCKET;
		}
		if (pfd.revents & (POLLERR | POLLNVAL)) {
			fprintf(stderr, "osim_capcheck: socket error on %s\n",
				cfg.dev);
			return EXIT_SOCKET;
		}
		if ((pfd.revents & POLLIN) && drain(fd) < 0)
			return EXIT_SOCKET;
	}

	if (!getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &tps, &sl))
		st.capture_drops = tps.tp_drops;
	close(fd);
	report();
	return EXIT_OK;
}
