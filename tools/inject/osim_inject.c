// SPDX-License-Identifier: GPL-2.0
/*
 * osim_inject - inject crafted Ethernet + IPv4/IPv6 + TCP/UDP frames into
 * a device through an AF_PACKET SOCK_RAW socket bound to its ifindex,
 * optionally with a struct virtio_net_hdr in front (PACKET_VNET_HDR) so
 * that the kernel builds a GSO and/or CHECKSUM_PARTIAL skb, as a guest
 * or the local stack would, for the device's ndo_start_xmit.
 *
 * Selftests use it to feed the offloadsim segmentation engine well-formed
 * GSO packets of known content, and malformed ones (--bad) that must be
 * dropped and counted, never read out of bounds.
 *
 * Usage: osim_inject --dev IFNAME [--count N] [--seed S] [--interval USEC]
 *                    [--proto tcp4|tcp6|udp4|udp6] [--payload BYTES]
 *                    [--first-payload BYTES] [--vnet] [--linear]
 *                    [--mss N] [--ecn]
 *                    [--src IP] [--dst IP] [--sport N] [--dport N]
 *                    [--src-mac MAC] [--dst-mac MAC] [--vlan ID]
 *                    [--seq N] [--ip-id N] [--tos N] [--tcp-flags FLAGS]
 *                    [--ip-options] [--tcp-options]
 *                    [--vnet-flags N] [--gso-type N] [--hdr-len N]
 *                    [--csum-start N] [--csum-offset N]
 *                    [--bad KIND] [--verbose]
 *
 * Without --vnet every frame carries complete, valid checksums and must
 * fit the MTU.  --vnet prepends a virtio_net_hdr with NEEDS_CSUM
 * (csum_start/csum_offset on the L4 checksum, pseudo-header sum in the
 * checksum field, as the stack does for CHECKSUM_PARTIAL); adding --mss
 * makes it a GSO frame (gso_type TCPV4, TCPV6 or UDP_L4, gso_size MSS,
 * hdr_len = all headers).  --linear sets hdr_len to the whole frame, so
 * that the kernel puts all of it in the skb's linear area rather than the
 * payload in page frags.  The --vnet-flags ... --csum-offset options
 * override single virtio_net_hdr fields afterwards.
 *
 * Content: IPv4 frames carry DF; frame k's IP id is --ip-id plus the
 * number of segments of the frames before it, its TCP sequence number
 * (UDP: its stream offset) is --seq plus the payload bytes before it.
 * The payload byte with sequence number (stream offset) n is
 * (n * 7) % 251, n a 32-bit number: every TCP segment can be checked from
 * its own sequence number, every UDP segment from its first byte
 * (osim_capcheck --verify-payload).
 *
 * --bad KIND builds a valid frame from the other options, then breaks it;
 * where a kind has variants they rotate with the frame index (use
 * --count >= 4 to get them all).  "--bad help" lists the kinds.  Kinds on
 * virtio_net_hdr fields imply --vnet and, without --mss, a GSO frame with
 * the MSS the device's MTU allows.
 *
 * Output: one line on stdout,
 *   sent N frames (M rejected by the kernel[: ERRNAME=COUNT ...])
 * N counts the frames handed to sendmsg(), M those it failed with a
 * per-frame error (EINVAL from the kernel's virtio_net_hdr validation,
 * EMSGSIZE, ENOBUFS ...); N - M frames went to the device.  --verbose
 * adds a line per frame on stderr.
 *
 * Exit status: 0 done (with --bad, rejections are expected and are not
 * errors), 1 some frame was rejected although no --bad was given,
 * 2 usage error, 3 local failure (socket, device missing or down).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#define OSIM_PROG	"osim_inject"
#include "../lib/osim_tool.h"

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif

#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IP4_HDR_LEN	20
#define IP4_OPT_LEN	4	/* NOP NOP NOP EOL */
#define IP6_HDR_LEN	40
#define IP6_HBH_LEN	8	/* Hop-by-Hop header with a PadN option */
#define TCP_HDR_LEN	20
#define TCP_TS_LEN	12	/* NOP NOP TIMESTAMP */
#define UDP_HDR_LEN	8
#define TCP_CSUM_OFF	16
#define UDP_CSUM_OFF	6

#define IP_LEN_MAX	65535
#define FRAME_MAX	(ETH_HDR_LEN + VLAN_TAG_LEN + IP6_HDR_LEN + \
			 IP6_HBH_LEN + IP_LEN_MAX)

enum { EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_LOCAL };

enum bad_kind {
	BAD_NONE,
	BAD_GSO_SIZE_ZERO,
	BAD_GSO_SIZE_HUGE,
	BAD_GSO_SIZE_OVER_MTU,
	BAD_GSO_SIZE_TINY,
	BAD_GSO_SIZE_BYFRAGS,
	BAD_HDR_LEN_SHORT,
	BAD_HDR_LEN_LONG,
	BAD_PROTO_MISMATCH,
	BAD_CSUM_START_OOB,
	BAD_TRUNC_L3,
	BAD_TRUNC_L4,
	BAD_IHL,
	BAD_DOFF,
	BAD_UDP_LEN,
	BAD_IP_LEN_LONG,
	BAD_IP_LEN_SHORT,
	BAD_IP_CSUM,
	BAD_IP_FRAG,
	BAD_L3_MISMATCH,
	BAD_L4_PROTO,
	BAD_L4_CSUM,
	BAD_RANDOM,
};

/* what a --bad kind needs from the frame it breaks */
#define NEED_GSO	0x01	/* implies --vnet and a GSO frame */
#define NEED_IP4	0x02
#define NEED_TCP	0x04
#define NEED_UDP	0x08
#define NEED_NO_GSO	0x10	/* a plain frame with a full checksum */

static const struct bad_desc {
	const char *name;
	enum bad_kind kind;
	unsigned int need;
	const char *help;
} bad_kinds[] = {
	{ "gso-size-zero", BAD_GSO_SIZE_ZERO, NEED_GSO,
	  "gso_type set, gso_size 0" },
	{ "gso-size-huge", BAD_GSO_SIZE_HUGE, NEED_GSO,
	  "gso_size 65534, more than the payload: an over-MTU frame" },
	{ "gso-size-over-mtu", BAD_GSO_SIZE_OVER_MTU, NEED_GSO,
	  "gso_size = device MTU: every segment exceeds the MTU" },
	{ "gso-size-tiny", BAD_GSO_SIZE_TINY, NEED_GSO,
	  "gso_size 1 (the kernel raises TCP's to 8): a segment storm" },
	{ "gso-size-byfrags", BAD_GSO_SIZE_BYFRAGS, NEED_GSO,
	  "gso_size 0xffff (GSO_BY_FRAGS)" },
	{ "hdr-len-short", BAD_HDR_LEN_SHORT, NEED_GSO,
	  "hdr_len = L2 header only: headers start in page frags" },
	{ "hdr-len-long", BAD_HDR_LEN_LONG, NEED_GSO,
	  "hdr_len one byte beyond the end of the frame" },
	{ "proto-mismatch", BAD_PROTO_MISMATCH, NEED_GSO,
	  "gso_type of the other IP version (TCP) / TCP on UDP; odd frames: UDP_L4 on TCP / TCP of the other version on UDP" },
	{ "csum-start-oob", BAD_CSUM_START_OOB, NEED_GSO,
	  "csum_start at the end / csum_offset past the end / both 0xffff" },
	{ "trunc-l3", BAD_TRUNC_L3, 0,
	  "frame cut inside the IP header (cut point rotates)" },
	{ "trunc-l4", BAD_TRUNC_L4, 0,
	  "frame cut inside the TCP/UDP header (cut point rotates)" },
	{ "bad-ihl", BAD_IHL, NEED_IP4,
	  "IPv4 IHL 4 / 0 / 15 / 15 on a frame shorter than 60 bytes of L3" },
	{ "bad-doff", BAD_DOFF, NEED_TCP,
	  "TCP data offset 4 / 0 / 15 / 15 on a frame with no room for it" },
	{ "bad-udp-len", BAD_UDP_LEN, NEED_UDP,
	  "UDP length 0 / 4 / past the end / half the payload" },
	{ "ip-len-long", BAD_IP_LEN_LONG, 0,
	  "IPv4 total length / IPv6 payload length 100 bytes past the end" },
	{ "ip-len-short", BAD_IP_LEN_SHORT, 0,
	  "IP length covers only half of the payload (trailing bytes)" },
	{ "ip-csum", BAD_IP_CSUM, NEED_IP4,
	  "wrong IPv4 header checksum" },
	{ "ip-frag", BAD_IP_FRAG, NEED_IP4,
	  "IPv4 fragment: MF at offset 0 / offset 1480 without MF" },
	{ "l3-mismatch", BAD_L3_MISMATCH, 0,
	  "ethertype of the other IP version" },
	{ "l4-proto", BAD_L4_PROTO, 0,
	  "IP protocol / next header says UDP for TCP and TCP for UDP" },
	{ "l4-csum", BAD_L4_CSUM, NEED_NO_GSO,
	  "non-GSO frame, no NEEDS_CSUM, wrong TCP/UDP checksum" },
	{ "random", BAD_RANDOM, NEED_GSO,
	  "1-4 seeded random mutations of header bytes, vnet fields, length" },
};

struct frame {
	uint8_t buf[FRAME_MAX];
	size_t len;
	size_t etype_off;	/* the ethertype naming L3 */
	size_t l3off;
	size_t l3len;		/* IPv4 header / IPv6 header + extensions */
	size_t l4proto_off;	/* the byte naming the L4 protocol */
	size_t l4off;
	size_t l4len;		/* TCP/UDP header, options included */
	size_t paylen;
	unsigned int segs;
	struct virtio_net_hdr vh;
	char note[256];
};

static struct {
	const char *dev;
	unsigned int ifindex;
	unsigned int mtu;
	unsigned int count;
	unsigned long long seed;
	unsigned int interval;
	int ipv6, tcp;
	long payload;		/* -1: default */
	long first_payload;	/* -1: --payload */
	int vnet, linear;
	unsigned int mss;
	int ecn;
	const char *src, *dst;
	uint8_t saddr[16], daddr[16];
	unsigned int sport, dport;
	uint8_t smac[6], dmac[6];
	int has_smac;
	int vlan;		/* -1: none */
	uint32_t seq;
	unsigned int ipid;
	unsigned int tos;
	unsigned int tcp_flags;
	int ip_options, tcp_options;
	long ov_flags, ov_gso_type, ov_hdr_len, ov_csum_start, ov_csum_offset;
	const struct bad_desc *bad;
	int verbose;
} cfg = {
	.count = 1,
	.seed = 1,
	.tcp = 1,
	.payload = -1,
	.first_payload = -1,
	.sport = 4000,
	.dport = 5000,
	.dmac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
	.vlan = -1,
	.seq = 1000,
	.ipid = 1,
	.tcp_flags = TCP_ACK,
	.ov_flags = -1,
	.ov_gso_type = -1,
	.ov_hdr_len = -1,
	.ov_csum_start = -1,
	.ov_csum_offset = -1,
};

static struct frame frm;
static uint64_t rng_state;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: osim_inject --dev IFNAME [--count N] [--seed S] [--interval USEC]\n"
		"                   [--proto tcp4|tcp6|udp4|udp6] [--payload BYTES]\n"
		"                   [--first-payload BYTES] [--vnet] [--linear]\n"
		"                   [--mss N] [--ecn]\n"
		"                   [--src IP] [--dst IP] [--sport N] [--dport N]\n"
		"                   [--src-mac MAC] [--dst-mac MAC] [--vlan ID]\n"
		"                   [--seq N] [--ip-id N] [--tos N] [--tcp-flags FLAGS]\n"
		"                   [--ip-options] [--tcp-options]\n"
		"                   [--vnet-flags N] [--gso-type N] [--hdr-len N]\n"
		"                   [--csum-start N] [--csum-offset N]\n"
		"                   [--bad KIND] [--verbose]\n"
		"Send N (default 1) frames through AF_PACKET on IFNAME.\n"
		"  --proto       default tcp4; addresses default to 192.0.2.1 -> 192.0.2.2\n"
		"                or 2001:db8::1 -> 2001:db8::2, ports 4000 -> 5000\n"
		"  --payload     L4 payload bytes per frame (default 4*MSS with --mss, else 100)\n"
		"  --first-payload  L4 payload bytes of the first frame (default --payload)\n"
		"  --vnet        PACKET_VNET_HDR, NEEDS_CSUM (CHECKSUM_PARTIAL)\n"
		"  --linear      the whole frame in the skb's linear area (hdr_len = frame; --vnet)\n"
		"  --mss N       GSO frame with gso_size N (needs --vnet)\n"
		"  --ecn         set VIRTIO_NET_HDR_GSO_ECN (GSO frames)\n"
		"  --src-mac     default: the device's address; --dst-mac default 02:00:00:00:00:02\n"
		"  --vlan ID     insert an 802.1Q tag\n"
		"  --seq N       first TCP sequence number / UDP stream offset (default 1000)\n"
		"  --ip-id N     first IPv4 id (default 1); --tos N  IPv4 TOS / IPv6 class\n"
		"  --tcp-flags   letters F S R P A U E(CE) C(WR), or a number (default A)\n"
		"  --ip-options  IPv4: 4 option bytes NOP NOP NOP EOL; IPv6: a Hop-by-Hop header\n"
		"  --tcp-options NOP NOP TIMESTAMP\n"
		"  --vnet-flags .. --csum-offset  override a virtio_net_hdr field\n"
		"  --bad KIND    break the frames (\"--bad help\" lists the kinds)\n"
		"  --seed S      seed of --bad random (default 1)\n"
		"  --interval U  sleep U microseconds between frames\n"
		"Prints \"sent N frames (M rejected by the kernel[: ERRNAME=COUNT ...])\".\n"
		"Exit: 0 ok, 1 a frame was rejected without --bad, 2 usage, 3 local error.\n");
}

static unsigned long long parse_ull(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "osim_inject: invalid %s \"%s\"\n", opt, s);
		exit(EXIT_USAGE);
	}
	return v;
}

static void parse_mac(const char *opt, const char *s, uint8_t *mac)
{
	unsigned int b[6];
	char c;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &c) != 6)
		usage_error("invalid MAC address for %s", opt);
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			usage_error("invalid MAC address for %s", opt);
		mac[i] = b[i];
	}
}

static unsigned int parse_tcp_flags(const char *s)
{
	unsigned int flags = 0;
	const char *p;

	if (*s >= '0' && *s <= '9')
		return parse_ul("--tcp-flags", s, 0xff);
	for (p = s; *p; p++) {
		switch (*p) {
		case 'F': case 'f': flags |= TCP_FIN; break;
		case 'S': case 's': flags |= TCP_SYN; break;
		case 'R': case 'r': flags |= TCP_RST; break;
		case 'P': case 'p': flags |= TCP_PSH; break;
		case 'A': case 'a': flags |= TCP_ACK; break;
		case 'U': case 'u': flags |= TCP_URG; break;
		case 'E': case 'e': flags |= TCP_ECE; break;
		case 'C': case 'c': flags |= TCP_CWR; break;
		default:
			usage_error("invalid --tcp-flags \"%s\" (letters FSRPAUEC)",
				    s);
		}
	}
	return flags;
}

static void list_bad_kinds(FILE *f)
{
	size_t i;

	fprintf(f, "--bad kinds:\n");
	for (i = 0; i < sizeof(bad_kinds) / sizeof(bad_kinds[0]); i++)
		fprintf(f, "  %-18s %s%s\n", bad_kinds[i].name,
			bad_kinds[i].help,
			bad_kinds[i].need & NEED_GSO ? " [vnet, GSO]" : "");
}

static const struct bad_desc *parse_bad(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(bad_kinds) / sizeof(bad_kinds[0]); i++)
		if (!strcmp(s, bad_kinds[i].name))
			return &bad_kinds[i];
	if (!strcmp(s, "help")) {
		list_bad_kinds(stdout);
		exit(EXIT_OK);
	}
	fprintf(stderr, "osim_inject: unknown --bad kind \"%s\"\n", s);
	list_bad_kinds(stderr);
	exit(EXIT_USAGE);
}

/* splitmix64: small, seedable, the same on every host */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t pseudo_sum(unsigned int proto, size_t l4len)
{
	return pseudo_hdr_sum(cfg.saddr, cfg.daddr, cfg.ipv6, proto, l4len);
}

static void ip4_csum_set(struct frame *f)
{
	uint8_t *ip = f->buf + f->l3off;

	put16(ip + 10, 0);
	put16(ip + 10, ~csum_fold(csum_add(0, ip, f->l3len)) & 0xffff);
}

static size_t l3_hdr_len(void)
{
	if (cfg.ipv6)
		return IP6_HDR_LEN + (cfg.ip_options ? IP6_HBH_LEN : 0);
	return IP4_HDR_LEN + (cfg.ip_options ? IP4_OPT_LEN : 0);
}

static size_t l4_hdr_len(void)
{
	if (!cfg.tcp)
		return UDP_HDR_LEN;
	return TCP_HDR_LEN + (cfg.tcp_options ? TCP_TS_LEN : 0);
}

static int frame_is_gso(void)
{
	return cfg.vnet && cfg.mss;
}

/*
 * Build frame @idx, a valid one: @seq is its TCP sequence number (UDP: its
 * stream offset), @ipid its IPv4 id.
 */
static void build_frame(struct frame *f, unsigned int idx, uint32_t seq,
			unsigned int ipid)
{
	unsigned int l4proto = cfg.tcp ? IPPROTO_TCP : IPPROTO_UDP;
	size_t off, i, l4total;
	uint8_t *p = f->buf;
	unsigned int check;

	memset(&f->vh, 0, sizeof(f->vh));
	f->note[0] = '\0';
	f->paylen = idx == 0 && cfg.first_payload >= 0 ? cfg.first_payload :
							  cfg.payload;

	memcpy(p, cfg.dmac, 6);
	memcpy(p + 6, cfg.smac, 6);
	off = 12;
	if (cfg.vlan >= 0) {
		put16(p + off, ETH_P_8021Q);
		put16(p + off + 2, cfg.vlan);
		off += VLAN_TAG_LEN;
	}
	f->etype_off = off;
	put16(p + off, cfg.ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	f->l3off = off + 2;
	f->l3len = l3_hdr_len();
	f->l4off = f->l3off + f->l3len;
	f->l4len = l4_hdr_len();
	l4total = f->l4len + f->paylen;
	f->len = f->l4off + l4total;

	p = f->buf + f->l3off;
	memset(p, 0, f->l3len);
	if (cfg.ipv6) {
		p[0] = 0x60 | cfg.tos >> 4;
		p[1] = (cfg.tos & 0xf) << 4;
		put16(p + 4, f->l3len - IP6_HDR_LEN + l4total);
		p[7] = 64;
		memcpy(p + 8, cfg.saddr, 16);
		memcpy(p + 24, cfg.daddr, 16);
		if (cfg.ip_options) {
			p[6] = 0;	/* Hop-by-Hop */
			p[IP6_HDR_LEN + 2] = 1;	/* PadN, 4 bytes */
			p[IP6_HDR_LEN + 3] = 4;
			f->l4proto_off = f->l3off + IP6_HDR_LEN;
		} else {
			f->l4proto_off = f->l3off + 6;
		}
		f->buf[f->l4proto_off] = l4proto;
	} else {
		p[0] = 0x40 | f->l3len / 4;
		p[1] = cfg.tos;
		put16(p + 2, f->l3len + l4total);
		put16(p + 4, ipid);
		put16(p + 6, 0x4000);	/* DF */
		p[8] = 64;
		p[9] = l4proto;
		memcpy(p + 12, cfg.saddr, 4);
		memcpy(p + 16, cfg.daddr, 4);
		if (cfg.ip_options) {
			p[20] = 1;	/* NOP NOP NOP EOL */
			p[21] = 1;
			p[22] = 1;
			p[23] = 0;
		}
		f->l4proto_off = f->l3off + 9;
		ip4_csum_set(f);
	}

	p = f->buf + f->l4off;
	memset(p, 0, f->l4len);
	put16(p, cfg.sport);
	put16(p + 2, cfg.dport);
	if (cfg.tcp) {
		put32(p + 4, seq);
		put32(p + 8, cfg.tcp_flags & TCP_ACK ? 1 : 0);
		p[12] = f->l4len / 4 << 4;
		p[13] = cfg.tcp_flags;
		put16(p + 14, 8192);
		if (cfg.tcp_options) {
			p[20] = 1;	/* NOP NOP TIMESTAMP */
			p[21] = 1;
			p[22] = 8;
			p[23] = 10;
			put32(p + 24, 100000 + idx);
			put32(p + 28, 1);
		}
	} else {
		put16(p + 4, l4total);
	}
	for (i = 0; i < f->paylen; i++)
		p[f->l4len + i] = payload_byte(seq + (uint32_t)i);

	f->segs = 1;
	if (frame_is_gso() && f->paylen > cfg.mss)
		f->segs = (f->paylen + cfg.mss - 1) / cfg.mss;

	if (cfg.vnet && !(cfg.bad && cfg.bad->kind == BAD_L4_CSUM)) {
		/* CHECKSUM_PARTIAL: the field holds the pseudo-header sum */
		check = csum_fold(pseudo_sum(l4proto, l4total));
		f->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		f->vh.csum_start = f->l4off;
		f->vh.csum_offset = cfg.tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;
		f->vh.hdr_len = cfg.linear ? f->len : f->l4off + f->l4len;
		if (frame_is_gso()) {
			if (!cfg.tcp)
				f->vh.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
			else if (cfg.ipv6)
				f->vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
			else
				f->vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
			if (cfg.ecn)
				f->vh.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
			f->vh.gso_size = cfg.mss;
		}
	} else {
		check = ~csum_fold(csum_add(pseudo_sum(l4proto, l4total),
					    p, l4total)) & 0xffff;
		if (!cfg.tcp && !check)
			check = 0xffff;
	}
	put16(p + (cfg.tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF), check);
}

static void __attribute__((format(printf, 2, 3)))
note(struct frame *f, const char *fmt, ...)
{
	size_t n = strlen(f->note);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->note + n, sizeof(f->note) - n, fmt, ap);
	va_end(ap);
}

/* The IPv4 total length or IPv6 payload length field and its value. */
static uint8_t *ip_len_field(struct frame *f, size_t *full)
{
	uint8_t *ip = f->buf + f->l3off;

	if (cfg.ipv6) {
		*full = f->l3len - IP6_HDR_LEN + f->l4len + f->paylen;
		return ip + 4;
	}
	*full = f->l3len + f->l4len + f->paylen;
	return ip + 2;
}

static unsigned int interesting16(struct frame *f)
{
	switch (rnd() % 14) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return f->l4off + f->l4len - 1;
	case 4: return f->l4off + f->l4len;
	case 5: return f->l4off + f->l4len + 1;
	case 6: return f->len - 1;
	case 7: return f->len;
	case 8: return f->len + 1;
	case 9: return 0x7fff;
	case 10: return 0xfffe;
	case 11: return 0xffff;
	case 12: return rnd() % 256;
	default: return rnd() & 0xffff;
	}
}

static void mutate_random(struct frame *f)
{
	static const uint8_t gso_types[] = {
		VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4,
		VIRTIO_NET_HDR_GSO_UDP, VIRTIO_NET_HDR_GSO_TCPV6,
		VIRTIO_NET_HDR_GSO_UDP_L4,
		VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_TCPV4,
		VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_TCPV6,
		VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_UDP_L4,
	};
	size_t hdrs = f->l4off + f->l4len, full;
	unsigned int n = 1 + rnd() % 4, r, v;
	int fix_ip_csum = !cfg.ipv6 && rnd() % 2;
	uint8_t *lf;

	while (n--) {
		r = rnd() % 100;
		if (r < 40) {
			size_t pos = rnd() % hdrs;

			if (rnd() % 3)
				f->buf[pos] = rnd();
			else
				f->buf[pos] ^= 1 << rnd() % 8;
			note(f, " byte[%zu]=0x%02x", pos, f->buf[pos]);
		} else if (r < 75) {
			switch (rnd() % 6) {
			case 0:
				v = rnd() % 6;
				f->vh.flags = v < 5 ? v : rnd() & 0xff;
				note(f, " flags=%u", f->vh.flags);
				break;
			case 1:
				v = rnd() % (sizeof(gso_types) + 1);
				f->vh.gso_type = v < sizeof(gso_types) ?
						 gso_types[v] : rnd() & 0xff;
				note(f, " gso_type=%u", f->vh.gso_type);
				break;
			case 2:
				f->vh.hdr_len = interesting16(f);
				note(f, " hdr_len=%u", f->vh.hdr_len);
				break;
			case 3:
				f->vh.gso_size = interesting16(f);
				note(f, " gso_size=%u", f->vh.gso_size);
				break;
			case 4:
				f->vh.csum_start = interesting16(f);
				note(f, " csum_start=%u", f->vh.csum_start);
				break;
			default:
				f->vh.csum_offset = interesting16(f);
				note(f, " csum_offset=%u", f->vh.csum_offset);
				break;
			}
		} else if (r < 88) {
			size_t len = rnd() % (hdrs + 16);

			if (len < f->len) {
				f->len = len;
				note(f, " len=%zu", len);
			}
		} else {
			lf = ip_len_field(f, &full);
			v = interesting16(f);
			put16(lf, v);
			note(f, " ip_len=%u", v);
		}
	}
	if (fix_ip_csum && f->len >= f->l3off + f->l3len)
		ip4_csum_set(f);
}

static void apply_bad(struct frame *f, unsigned int idx)
{
	uint8_t *ip = f->buf + f->l3off, *l4 = f->buf + f->l4off, *lf;
	size_t cut, full;
	unsigned int v;

	switch (cfg.bad->kind) {
	case BAD_NONE:
		break;
	case BAD_GSO_SIZE_ZERO:
		f->vh.gso_size = 0;
		break;
	case BAD_GSO_SIZE_HUGE:
		f->vh.gso_size = 0xfffe;
		break;
	case BAD_GSO_SIZE_OVER_MTU:
		f->vh.gso_size = cfg.mtu;
		break;
	case BAD_GSO_SIZE_TINY:
		f->vh.gso_size = 1;
		break;
	case BAD_GSO_SIZE_BYFRAGS:
		f->vh.gso_size = 0xffff;
		break;
	case BAD_HDR_LEN_SHORT:
		f->vh.hdr_len = f->l3off;
		break;
	case BAD_HDR_LEN_LONG:
		f->vh.hdr_len = f->len + 1;
		break;
	case BAD_PROTO_MISMATCH:
		v = f->vh.gso_type & VIRTIO_NET_HDR_GSO_ECN;
		if (cfg.tcp && idx % 2 == 0) {
			v |= cfg.ipv6 ? VIRTIO_NET_HDR_GSO_TCPV4 :
					VIRTIO_NET_HDR_GSO_TCPV6;
		} else if (cfg.tcp) {
			v |= VIRTIO_NET_HDR_GSO_UDP_L4;
			f->vh.csum_offset = UDP_CSUM_OFF;
		} else {
			/* UDP: TCP of the same, then of the other version */
			if (cfg.ipv6 == (idx % 2 == 0))
				v |= VIRTIO_NET_HDR_GSO_TCPV6;
			else
				v |= VIRTIO_NET_HDR_GSO_TCPV4;
			f->vh.csum_offset = TCP_CSUM_OFF;
		}
		f->vh.gso_type = v;
		break;
	case BAD_CSUM_START_OOB:
		switch (idx % 3) {
		case 0:
			f->vh.csum_start = f->len;
			break;
		case 1:
			f->vh.csum_offset = f->len;
			break;
		default:
			f->vh.csum_start = 0xffff;
			f->vh.csum_offset = 0xffff;
			break;
		}
		break;
	case BAD_TRUNC_L3:
		f->len = f->l3off + 1 + (f->l3len / 2 + idx) % (f->l3len - 1);
		break;
	case BAD_TRUNC_L4:
		f->len = f->l4off + 1 + (f->l4len / 2 + idx) % (f->l4len - 1);
		break;
	case BAD_IHL:
		v = (const unsigned int[]){ 4, 0, 15, 15 }[idx % 4];
		if (idx % 4 == 3) {
			/* less than 60 bytes of L3: drop the payload */
			f->len = f->l4off + f->l4len;
			put16(ip + 2, f->len - f->l3off);
		}
		ip[0] = 0x40 | v;
		ip4_csum_set(f);
		break;
	case BAD_DOFF:
		v = (const unsigned int[]){ 4, 0, 15, 15 }[idx % 4];
		if (idx % 4 == 3) {
			/* no room for 60 bytes of TCP header */
			f->len = f->l4off + f->l4len;
			lf = ip_len_field(f, &full);
			put16(lf, full - f->paylen);
		}
		l4[12] = v << 4;
		if (!cfg.ipv6)
			ip4_csum_set(f);
		break;
	case BAD_UDP_LEN:
		switch (idx % 4) {
		case 0: v = 0; break;
		case 1: v = 4; break;
		case 2: v = f->l4len + f->paylen + 100; break;
		default: v = f->l4len + f->paylen / 2; break;
		}
		put16(l4 + 4, v > 0xffff ? 0xffff : v);
		break;
	case BAD_IP_LEN_LONG:
		lf = ip_len_field(f, &full);
		put16(lf, full + 100 > 0xffff ? 0xffff : full + 100);
		if (!cfg.ipv6)
			ip4_csum_set(f);
		break;
	case BAD_IP_LEN_SHORT:
		lf = ip_len_field(f, &full);
		if (f->paylen)
			put16(lf, full - (f->paylen - f->paylen / 2));
		else
			put16(lf, full - f->l4len / 2);
		if (!cfg.ipv6)
			ip4_csum_set(f);
		break;
	case BAD_IP_CSUM:
		put16(ip + 10, get16(ip + 10) ^ 0x5a5a);
		break;
	case BAD_IP_FRAG:
		put16(ip + 6, idx % 2 ? 1480 / 8 : 0x2000);
		ip4_csum_set(f);
		break;
	case BAD_L3_MISMATCH:
		put16(f->buf + f->etype_off, cfg.ipv6 ? ETH_P_IP : ETH_P_IPV6);
		break;
	case BAD_L4_PROTO:
		f->buf[f->l4proto_off] = cfg.tcp ? IPPROTO_UDP : IPPROTO_TCP;
		if (!cfg.ipv6)
			ip4_csum_set(f);
		break;
	case BAD_L4_CSUM:
		cut = cfg.tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;
		v = get16(l4 + cut) ^ 0x5a5a;
		put16(l4 + cut, v ? v : 0x1234);
		break;
	case BAD_RANDOM:
		mutate_random(f);
		break;
	}
}

static void apply_overrides(struct frame *f)
{
	if (cfg.ov_flags >= 0)
		f->vh.flags = cfg.ov_flags;
	if (cfg.ov_gso_type >= 0)
		f->vh.gso_type = cfg.ov_gso_type;
	if (cfg.ov_hdr_len >= 0)
		f->vh.hdr_len = cfg.ov_hdr_len;
	if (cfg.ov_csum_start >= 0)
		f->vh.csum_start = cfg.ov_csum_start;
	if (cfg.ov_csum_offset >= 0)
		f->vh.csum_offset = cfg.ov_csum_offset;
}

static void parse_addr(const char *opt, const char *s, uint8_t *addr)
{
	if (inet_pton(cfg.ipv6 ? AF_INET6 : AF_INET, s, addr) != 1)
		usage_error(cfg.ipv6 ? "%s needs an IPv6 address" :
				       "%s needs an IPv4 address", opt);
}

static void setup(void)
{
	size_t hdrs = l3_hdr_len() + l4_hdr_len();
	unsigned int need = cfg.bad ? cfg.bad->need : 0;

	parse_addr("--src", cfg.src ? cfg.src :
		   cfg.ipv6 ? "2001:db8::1" : "192.0.2.1", cfg.saddr);
	parse_addr("--dst", cfg.dst ? cfg.dst :
		   cfg.ipv6 ? "2001:db8::2" : "192.0.2.2", cfg.daddr);

	if ((need & NEED_IP4) && cfg.ipv6)
		usage_error("--bad %s needs an IPv4 --proto", cfg.bad->name);
	if ((need & NEED_TCP) && !cfg.tcp)
		usage_error("--bad %s needs a TCP --proto", cfg.bad->name);
	if ((need & NEED_UDP) && cfg.tcp)
		usage_error("--bad %s needs a UDP --proto", cfg.bad->name);
	if ((need & NEED_NO_GSO) && cfg.mss)
		usage_error("--bad %s sends non-GSO frames: drop --mss",
			    cfg.bad->name);
	if (need & NEED_GSO) {
		cfg.vnet = 1;
		if (!cfg.mss) {
			if (cfg.mtu <= hdrs)
				usage_error("MTU of %s too small", cfg.dev);
			cfg.mss = cfg.mtu - hdrs;
		}
	}
	if (cfg.mss && !cfg.vnet)
		usage_error("%s needs --vnet", "--mss");
	if (cfg.linear && !cfg.vnet)
		usage_error("%s needs --vnet", "--linear");
	if (cfg.ecn && !cfg.mss)
		usage_error("%s needs --vnet and --mss", "--ecn");
	if (cfg.payload < 0)
		cfg.payload = cfg.mss ? 4L * cfg.mss : 100;
	if ((size_t)cfg.payload + hdrs - (cfg.ipv6 ? IP6_HDR_LEN : 0) >
	    IP_LEN_MAX)
		usage_error("%s too large for the IP length field", "--payload");
	if (cfg.first_payload >= 0 &&
	    (size_t)cfg.first_payload + hdrs - (cfg.ipv6 ? IP6_HDR_LEN : 0) >
	    IP_LEN_MAX)
		usage_error("%s too large for the IP length field",
			    "--first-payload");
}

static int open_socket(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr;
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("osim_inject: socket(AF_PACKET)");
		exit(EXIT_LOCAL);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", cfg.dev);
	if (ioctl(fd, SIOCGIFMTU, &ifr)) {
		fprintf(stderr, "osim_inject: %s: %s\n", cfg.dev,
			strerror(errno));
		exit(EXIT_LOCAL);
	}
	cfg.mtu = ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "osim_inject: %s: SIOCGIFHWADDR: %s\n",
			cfg.dev, strerror(errno));
		exit(EXIT_LOCAL);
	}
	if (!cfg.has_smac)
		memcpy(cfg.smac, ifr.ifr_hwaddr.sa_data, 6);

	/* protocol 0: this socket transmits only, it receives nothing */
	sll.sll_ifindex = cfg.ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("osim_inject: bind");
		exit(EXIT_LOCAL);
	}
	return fd;
}

static void set_vnet(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one))) {
		perror("osim_inject: PACKET_VNET_HDR");
		exit(EXIT_LOCAL);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev",	 required_argument, NULL, 'd' },
		{ "count",	 required_argument, NULL, 'c' },
		{ "seed",	 required_argument, NULL, 'S' },
		{ "interval",	 required_argument, NULL, 'i' },
		{ "proto",	 required_argument, NULL, 'p' },
		{ "payload",	 required_argument, NULL, 'l' },
		{ "first-payload", required_argument, NULL, 6 },
		{ "vnet",	 no_argument,	    NULL, 'V' },
		{ "linear",	 no_argument,	    NULL, 7 },
		{ "mss",	 required_argument, NULL, 'm' },
		{ "ecn",	 no_argument,	    NULL, 'E' },
		{ "src",	 required_argument, NULL, 's' },
		{ "dst",	 required_argument, NULL, 'D' },
		{ "sport",	 required_argument, NULL, 'P' },
		{ "dport",	 required_argument, NULL, 'Q' },
		{ "src-mac",	 required_argument, NULL, 'a' },
		{ "dst-mac",	 required_argument, NULL, 'A' },
		{ "vlan",	 required_argument, NULL, 'T' },
		{ "seq",	 required_argument, NULL, 'q' },
		{ "ip-id",	 required_argument, NULL, 'I' },
		{ "tos",	 required_argument, NULL, 't' },
		{ "tcp-flags",	 required_argument, NULL, 'f' },
		{ "ip-options",	 no_argument,	    NULL, 'o' },
		{ "tcp-options", no_argument,	    NULL, 'O' },
		{ "vnet-flags",	 required_argument, NULL, 1 },
		{ "gso-type",	 required_argument, NULL, 2 },
		{ "hdr-len",	 required_argument, NULL, 3 },
		{ "csum-start",	 required_argument, NULL, 4 },
		{ "csum-offset", required_argument, NULL, 5 },
		{ "bad",	 required_argument, NULL, 'b' },
		{ "verbose",	 no_argument,	    NULL, 'v' },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ NULL,		 0,		    NULL, 0 },
	};
	static const char *const protos[] = { "tcp4", "tcp6", "udp4", "udp6" };
	unsigned int errs[256] = { 0 }, rejected = 0, idx, ipid, i;
	struct iovec iov[2];
	struct msghdr msg;
	int fd, c, has_tcp_flags = 0;
	const char *sep = ": ";
	uint32_t seq;

	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.dev = optarg;
			break;
		case 'c':
			cfg.count = parse_ul("--count", optarg, UINT_MAX);
			break;
		case 'S':
			cfg.seed = parse_ull("--seed", optarg);
			break;
		case 'i':
			cfg.interval = parse_ul("--interval", optarg, 10000000);
			break;
		case 'p':
			for (i = 0; i < 4; i++)
				if (!strcmp(optarg, protos[i]))
					break;
			if (i == 4)
				usage_error("invalid --proto \"%s\"", optarg);
			cfg.tcp = i < 2;
			cfg.ipv6 = i & 1;
			break;
		case 'l':
			cfg.payload = parse_ul("--payload", optarg, IP_LEN_MAX);
			break;
		case 6:
			cfg.first_payload = parse_ul("--first-payload", optarg,
						     IP_LEN_MAX);
			break;
		case 7:
			cfg.linear = 1;
			break;
		case 'V':
			cfg.vnet = 1;
			break;
		case 'm':
			cfg.mss = parse_ul("--mss", optarg, 0xffff);
			if (!cfg.mss)
				usage_error("%s must not be 0 (see --bad gso-size-zero)",
					    "--mss");
			break;
		case 'E':
			cfg.ecn = 1;
			break;
		case 's':
			cfg.src = optarg;
			break;
		case 'D':
			cfg.dst = optarg;
			break;
		case 'P':
			cfg.sport = parse_ul("--sport", optarg, 0xffff);
			break;
		case 'Q':
			cfg.dport = parse_ul("--dport", optarg, 0xffff);
			break;
		case 'a':
			parse_mac("--src-mac", optarg, cfg.smac);
			cfg.has_smac = 1;
			break;
		case 'A':
			parse_mac("--dst-mac", optarg, cfg.dmac);
			break;
		case 'T':
			cfg.vlan = parse_ul("--vlan", optarg, 4095);
			break;
		case 'q':
			cfg.seq = parse_ul("--seq", optarg, UINT32_MAX);
			break;
		case 'I':
			cfg.ipid = parse_ul("--ip-id", optarg, 0xffff);
			break;
		case 't':
			cfg.tos = parse_ul("--tos", optarg, 0xff);
			break;
		case 'f':
			cfg.tcp_flags = parse_tcp_flags(optarg);
			has_tcp_flags = 1;
			break;
		case 'o':
			cfg.ip_options = 1;
			break;
		case 'O':
			cfg.tcp_options = 1;
			break;
		case 1:
			cfg.ov_flags = parse_ul("--vnet-flags", optarg, 0xff);
			break;
		case 2:
			cfg.ov_gso_type = parse_ul("--gso-type", optarg, 0xff);
			break;
		case 3:
			cfg.ov_hdr_len = parse_ul("--hdr-len", optarg, 0xffff);
			break;
		case 4:
			cfg.ov_csum_start = parse_ul("--csum-start", optarg,
						     0xffff);
			break;
		case 5:
			cfg.ov_csum_offset = parse_ul("--csum-offset", optarg,
						      0xffff);
			break;
		case 'b':
			cfg.bad = parse_bad(optarg);
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
	if (!cfg.tcp && (cfg.tcp_options || has_tcp_flags))
		usage_error("%s only apply to TCP", "--tcp-options/--tcp-flags");
	if ((cfg.ov_flags >= 0 || cfg.ov_gso_type >= 0 || cfg.ov_hdr_len >= 0 ||
	     cfg.ov_csum_start >= 0 || cfg.ov_csum_offset >= 0) && !cfg.vnet)
		usage_error("%s need --vnet", "virtio_net_hdr overrides");
	cfg.ifindex = if_nametoindex(cfg.dev);
	if (!cfg.ifindex) {
		fprintf(stderr, "osim_inject: no device \"%s\"\n", cfg.dev);
		return EXIT_LOCAL;
	}

	fd = open_socket();
	setup();
	if (cfg.vnet)
		set_vnet(fd);
	rng_state = cfg.seed;

	seq = cfg.seq;
	ipid = cfg.ipid;
	for (idx = 0; idx < cfg.count; idx++) {
		ssize_t ret;
		int err = 0;

		build_frame(&frm, idx, seq, ipid);
		apply_overrides(&frm);
		if (cfg.bad)
			apply_bad(&frm, idx);

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		if (cfg.vnet) {
			iov[0].iov_base = &frm.vh;
			iov[0].iov_len = sizeof(frm.vh);
			iov[1].iov_base = frm.buf;
			iov[1].iov_len = frm.len;
			msg.msg_iovlen = 2;
		} else {
			iov[0].iov_base = frm.buf;
			iov[0].iov_len = frm.len;
			msg.msg_iovlen = 1;
		}
		do {
			ret = sendmsg(fd, &msg, 0);
		} while (ret < 0 && errno == EINTR);
		if (ret < 0) {
			err = errno;
			if (osim_errno_fatal(err)) {
				fprintf(stderr, "osim_inject: sendmsg on %s: %s\n",
					cfg.dev, strerror(err));
				return EXIT_LOCAL;
			}
			rejected++;
			errs[err < 256 ? err : 0]++;
		}
		if (cfg.verbose) {
			fprintf(stderr, "frame %u len %zu", idx, frm.len);
			if (cfg.vnet)
				fprintf(stderr,
					" vnet flags=%u gso_type=%u hdr_len=%u gso_size=%u csum_start=%u csum_offset=%u",
					frm.vh.flags, frm.vh.gso_type,
					frm.vh.hdr_len, frm.vh.gso_size,
					frm.vh.csum_start, frm.vh.csum_offset);
			if (frm.note[0])
				fprintf(stderr, " [%s]", frm.note + 1);
			fprintf(stderr, ": %s\n",
				err ? strerrorname_np(err) : "ok");
		}
		seq += frm.paylen;
		ipid = (ipid + frm.segs) & 0xffff;
		if (cfg.interval && idx + 1 < cfg.count)
			usleep(cfg.interval);
	}
	close(fd);

	printf("sent %u frames (%u rejected by the kernel", cfg.count, rejected);
	for (i = 0; i < 256; i++) {
		const char *name;

		if (!errs[i])
			continue;
		name = i ? strerrorname_np(i) : NULL;
		if (name)
			printf("%s%s=%u", sep, name, errs[i]);
		else
			printf("%serrno%u=%u", sep, i, errs[i]);
		sep = " ";
	}
	printf(")\n");
	return rejected && !cfg.bad ? EXIT_REJECTED : EXIT_OK;
}
