// SPDX-License-Identifier: GPL-2.0
/*
 * osim_fuzz - a bad-input packet fuzzer for offloadsim pairs.
 *
 * Sends random and mutated Ethernet frames through AF_PACKET SOCK_RAW
 * sockets, with and without PACKET_VNET_HDR (a struct virtio_net_hdr in
 * front: GSO and CHECKSUM_PARTIAL skbs, as a guest makes them), and with
 * and without the qdisc (PACKET_QDISC_BYPASS), into every device named
 * with -i. Frames sent on one device are addressed to the next one named
 * (-i A -i B: A's frames to B, B's to A): its MAC and IP addresses, so that
 * what arrives is processed by the receiver's stack.
 *
 * Every frame starts from a valid template: Ethernet, no / one 802.1Q /
 * QinQ (802.1ad + 802.1Q) tag, IPv4 with or without options or IPv6 with
 * extension headers (hop-by-hop, routing, fragment, destination options),
 * TCP with options or UDP, a payload up to 64 KB with a virtio_net_hdr
 * (GSO), and is then broken as its class says (see classes[] and -h).
 *
 * While it sends, the fuzzer walks every combination of the device's
 * offload features on every device, in Gray-code order (one feature group
 * flipped per step, frames sent under each), through SIOCETHTOOL
 * ETHTOOL_SFEATURES, and varies the devices' lso_mtu and wire_mtu (sysfs)
 * and the module parameter verify at each step. Everything it changed is
 * restored at the end.
 *
 * With verify on, the segmentation oracle compares the engine's frames
 * with software GSO, which trusts the pseudo-header sum the sender left in
 * the checksum field and the UDP length field; the fuzzer keeps those
 * consistent with the frame's (broken) headers in GSO frames sent then,
 * so that a difference the oracle reports is the engine's.
 *
 * Deterministic per seed: the same -s SEED and -n COUNT send the same
 * frames in the same order under the same settings.
 *
 * -i [NETNS/]IFNAME: NETNS is a name under /run/netns (ip netns); the
 * fuzzer then runs in a mount namespace of its own with the device's
 * netns's sysfs mounted on /sys, as "ip netns exec" does.
 *
 * Output: the seed and settings, then per class the frames handed to
 * sendmsg() and how many it refused (EINVAL, EMSGSIZE, ... are expected),
 * and per device the feature combinations requested and in effect.
 *
 * Exit status: 0 done (refused frames are not errors), 1 an unexpected
 * error of the fuzzer's own (socket, ioctl, sysfs), 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>

#define OSIM_PROG	"osim_fuzz"
#include "../tools/lib/osim_tool.h"

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif
#ifndef PACKET_QDISC_BYPASS
#define PACKET_QDISC_BYPASS		20
#endif

#define EXIT_ERR	1

#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IP4_HDR_LEN	20
#define IP6_HDR_LEN	40
#define TCP_HDR_LEN	20
#define UDP_HDR_LEN	8
#define TCP_CSUM_OFF	16
#define UDP_CSUM_OFF	6
#define EXT_MAX		4	/* IPv6 extension headers in a template */
#define HDR_MAX		(ETH_HDR_LEN + 2 * VLAN_TAG_LEN + IP6_HDR_LEN + \
			 3 * 8 + 24 + 60)
#define IP_LEN_MAX	65535
#define FRAME_MAX	(HDR_MAX + IP_LEN_MAX + 64)

#define NIF_MAX		8

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, one stream per run                     */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(void)
{
	return rnd64() >> 32;
}

/* 0 .. n - 1 */
static unsigned int rndn(unsigned int n)
{
	return n ? rnd() % n : 0;
}

/* true with probability 1/n */
static int one_in(unsigned int n)
{
	return rndn(n) == 0;
}

/* ------------------------------------------------------------------ */
/* Frame classes                                                      */

enum fclass {
	CL_VALID,	/* a valid frame, fits the MTU */
	CL_GSO,		/* a valid GSO frame (virtio_net_hdr) */
	CL_TRUNC,	/* cut inside a layer, length fields not adjusted */
	CL_OVERSIZE,	/* longer than the MTU, up to 64 KB with vnet hdr */
	CL_IHL,		/* IPv4 IHL < 5 or beyond the data */
	CL_IPLEN,	/* IPv4 tot_len / IPv6 payload_len wrong */
	CL_DOFF,	/* TCP data offset < 5 or beyond the packet */
	CL_FRAG,	/* IPv4 / IPv6 fragments */
	CL_FLIP,	/* random bytes and bits flipped */
	CL_ETYPE,	/* wrong ethertype / VLAN nesting */
	CL_ZERO,	/* zero-length and tiny frames */
	CL_VNET,	/* random virtio_net_hdr fields on a valid frame */
	CL_L4,		/* L4 protocol / checksum / UDP length wrong */
	CL_NUM
};

static const struct {
	const char *name;
	unsigned int weight;
	const char *help;
} classes[CL_NUM] = {
	[CL_VALID]	= { "valid",	6, "valid frame within the MTU" },
	[CL_GSO]	= { "gso",	8, "valid GSO frame up to 64 KB (vnet hdr)" },
	[CL_TRUNC]	= { "truncate",	10, "cut inside L2/VLAN/L3/ext hdr/L4/payload" },
	[CL_OVERSIZE]	= { "oversize",	6, "over the MTU, up to 64 KB with vnet hdr" },
	[CL_IHL]	= { "bad-ihl",	6, "IPv4 IHL < 5, or beyond tot_len/frame" },
	[CL_IPLEN]	= { "bad-iplen", 8, "IPv4 tot_len / IPv6 payload_len wrong" },
	[CL_DOFF]	= { "bad-doff",	6, "TCP data offset < 5 or beyond the packet" },
	[CL_FRAG]	= { "fragment",	6, "IPv4 MF/offset, IPv6 fragment header" },
	[CL_FLIP]	= { "flip",	12, "1-8 random bytes/bits of headers flipped" },
	[CL_ETYPE]	= { "ethertype", 6, "wrong ethertype, VLAN without tag, deep QinQ" },
	[CL_ZERO]	= { "zero-len",	4, "zero-length and shorter than Ethernet" },
	[CL_VNET]	= { "vnet-hdr",	14, "random gso_type/size, hdr_len, flags, csum offsets" },
	[CL_L4]		= { "bad-l4",	6, "L4 protocol, checksum or UDP length wrong" },
};

/* Why sendmsg() refused frames, per class. */
enum { E_INVAL, E_MSGSIZE, E_NOBUFS, E_OTHER, E_NUM };
static const char *const err_names[E_NUM] = {
	"EINVAL", "EMSGSIZE", "ENOBUFS", "other"
};

static struct {
	unsigned long sent, refused, vnet;
	unsigned long err[E_NUM];
} tally[CL_NUM];

/* ------------------------------------------------------------------ */
/* Devices                                                            */

/* The ethtool feature groups walked, by `ethtool -K` name. */
static const struct {
	const char *name;
	const char *const feat[5];
} groups[] = {
	{ "tx-checksumming", { "tx-checksum-ipv4", "tx-checksum-ipv6",
			       "tx-checksum-ip-generic" } },
	{ "sg", { "tx-scatter-gather" } },
	{ "tso", { "tx-tcp-segmentation", "tx-tcp-ecn-segmentation",
		   "tx-tcp-mangleid-segmentation", "tx-tcp6-segmentation" } },
	{ "gso", { "tx-generic-segmentation" } },
	{ "gro", { "rx-gro" } },
	{ "lro", { "rx-lro" } },
	{ "rx-gro-hw", { "rx-gro-hw" } },
	{ "rx-checksumming", { "rx-checksum" } },
	{ "tx-udp-segmentation", { "tx-udp-segmentation" } },
};

#define NGROUPS		(sizeof(groups) / sizeof(groups[0]))

struct iface {
	const char *spec;
	const char *netns;
	char name[IF_NAMESIZE];
	unsigned int ifindex;
	unsigned int mtu;
	uint8_t mac[6];
	uint8_t ip4[4], ip6[16];
	int fd[4];		/* bit 0: vnet hdr, bit 1: qdisc bypass */
	int knob_fd[2];		/* lso_mtu, wire_mtu */
	int nsfd;		/* its netns, for the tap socket */
	int tap;		/* receive tap, or -1 */
	int agg_unchecked;	/* LRO on now or in the last step */
	int lro_last;
	unsigned long tap_steps, tap_frames, tap_checked;
	char knob_orig[2][32];
	/* features */
	unsigned int nwords;
	uint32_t *orig_req;	/* requested features at start */
	uint32_t *gmask[NGROUPS];	/* changeable bits of each group */
	unsigned int ngroups;
	unsigned int gidx[NGROUPS];	/* index in groups[] */
	unsigned char *req_seen;	/* requested combinations, by code */
	unsigned char *eff_seen;	/* effective combinations */
	unsigned int sfeatures;		/* ETHTOOL_SFEATURES done */
};

static struct iface ifs[NIF_MAX];
static unsigned int nif;
static int verify_fd = -1;
static char verify_orig[8];
static int verify_on;

static struct {
	unsigned long long seed;
	unsigned long count;
	int no_features, no_knobs;
	int verbose;
	unsigned int classes;	/* bit per class; 0: all */
} cfg = {
	.seed = 1,
	.count = 4096,
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"Usage: osim_fuzz -i [NETNS/]IFNAME [-i ...] [-s SEED] [-n COUNT]\n"
		"                 [-c CLASS ...] [-F] [-K] [-v]\n"
		"Send COUNT (default 4096) random and mutated frames through AF_PACKET,\n"
		"with and without PACKET_VNET_HDR, into the devices, each addressed to\n"
		"the next device named; walk every offload feature combination of\n"
		"every device (Gray code) and vary lso_mtu, wire_mtu and verify.\n"
		"  -s SEED   seed (default 1); the same seed and COUNT send the same frames\n"
		"  -c CLASS  only frames of CLASS (repeatable; default: all classes)\n"
		"  -F        leave the features alone;  -K  leave lso_mtu/wire_mtu/verify alone\n"
		"  -v        a line per frame on stderr\n"
		"Classes:\n");
	for (i = 0; i < CL_NUM; i++)
		fprintf(f, "  %-10s %s\n", classes[i].name, classes[i].help);
	fprintf(f, "Exit: 0 done, 1 an error of the fuzzer's own, 2 usage.\n");
}

static void __attribute__((format(printf, 1, 2), noreturn))
die(const char *fmt, ...);

static void restore_all(void);

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, OSIM_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	restore_all();
	exit(EXIT_ERR);
}

/* ------------------------------------------------------------------ */
/* ethtool features                                                   */

static int ethtool_ioctl(struct iface *d, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", d->name);
	ifr.ifr_data = cmd;
	return ioctl(d->fd[0], SIOCETHTOOL, &ifr);
}

static struct ethtool_gfeatures *get_features(struct iface *d)
{
	struct ethtool_gfeatures *gf;

	gf = calloc(1, sizeof(*gf) + d->nwords * sizeof(gf->features[0]));
	if (!gf)
		die("out of memory");
	gf->cmd = ETHTOOL_GFEATURES;
	gf->size = d->nwords;
	if (ethtool_ioctl(d, gf) < 0)
		die("%s: ETHTOOL_GFEATURES: %s", d->name, strerror(errno));
	return gf;
}

/* Ask for @req within the bits of @valid; returns the ioctl's result. */
static int set_features(struct iface *d, const uint32_t *valid,
			const uint32_t *req)
{
	struct ethtool_sfeatures *sf;
	unsigned int i;
	int ret;

	sf = calloc(1, sizeof(*sf) + d->nwords * sizeof(sf->features[0]));
	if (!sf)
		die("out of memory");
	sf->cmd = ETHTOOL_SFEATURES;
	sf->size = d->nwords;
	for (i = 0; i < d->nwords; i++) {
		sf->features[i].valid = valid[i];
		sf->features[i].requested = req[i] & valid[i];
	}
	ret = ethtool_ioctl(d, sf);
	free(sf);
	return ret;
}

static void features_init(struct iface *d)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} ssi;
	struct ethtool_gstrings *gs;
	struct ethtool_gfeatures *gf;
	unsigned int nfeat, i, g, k;

	memset(&ssi, 0, sizeof(ssi));
	ssi.hdr.cmd = ETHTOOL_GSSET_INFO;
	ssi.hdr.sset_mask = 1ULL << ETH_SS_FEATURES;
	if (ethtool_ioctl(d, &ssi) < 0 || !ssi.hdr.sset_mask)
		die("%s: ETHTOOL_GSSET_INFO: %s", d->name, strerror(errno));
	nfeat = ssi.len;
	d->nwords = (nfeat + 31) / 32;

	gs = calloc(1, sizeof(*gs) + nfeat * ETH_GSTRING_LEN);
	if (!gs)
		die("out of memory");
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = nfeat;
	if (ethtool_ioctl(d, gs) < 0)
		die("%s: ETHTOOL_GSTRINGS: %s", d->name, strerror(errno));

	gf = get_features(d);
	d->orig_req = calloc(d->nwords, sizeof(uint32_t));
	if (!d->orig_req)
		die("out of memory");
	for (i = 0; i < d->nwords; i++)
		d->orig_req[i] = gf->features[i].requested;

	for (g = 0; g < NGROUPS; g++) {
		uint32_t *m = calloc(d->nwords, sizeof(uint32_t));
		int any = 0;

		if (!m)
			die("out of memory");
		for (k = 0; k < 5 && groups[g].feat[k]; k++) {
			for (i = 0; i < nfeat; i++) {
				const char *s = (const char *)gs->data +
						i * ETH_GSTRING_LEN;

				if (strncmp(s, groups[g].feat[k], ETH_GSTRING_LEN))
					continue;
				/* changeable: in hw_features ("available") */
				if (gf->features[i / 32].available &
				    (1U << (i % 32))) {
					m[i / 32] |= 1U << (i % 32);
					any = 1;
				}
			}
		}
		if (!any) {
			free(m);
			continue;
		}
		d->gidx[d->ngroups] = g;
		d->gmask[d->ngroups++] = m;
	}
	d->req_seen = calloc(1U << d->ngroups, 1);
	d->eff_seen = calloc(1U << d->ngroups, 1);
	if (!d->req_seen || !d->eff_seen)
		die("out of memory");
	free(gf);
	free(gs);
}

/* Request the groups set in @code; record what took effect. */
static void features_apply(struct iface *d, unsigned int code)
{
	uint32_t valid[64] = { 0 }, req[64] = { 0 };
	struct ethtool_gfeatures *gf;
	unsigned int g, i, eff = 0;
	int lro;

	for (g = 0; g < d->ngroups; g++) {
		for (i = 0; i < d->nwords; i++) {
			valid[i] |= d->gmask[g][i];
			if (code & (1U << g))
				req[i] |= d->gmask[g][i];
		}
	}
	if (set_features(d, valid, req) < 0)
		die("%s: ETHTOOL_SFEATURES: %s", d->name, strerror(errno));
	d->sfeatures++;
	d->req_seen[code] = 1;

	gf = get_features(d);
	for (g = 0; g < d->ngroups; g++)
		for (i = 0; i < d->nwords; i++)
			if (gf->features[i].active & d->gmask[g][i])
				eff |= 1U << g;
	d->eff_seen[eff] = 1;
	free(gf);

	/* LRO now, or in the step before (frames still on their way) */
	lro = 0;
	for (g = 0; g < d->ngroups; g++)
		if ((eff & (1U << g)) && !strcmp(groups[d->gidx[g]].name, "lro"))
			lro = 1;
	d->agg_unchecked = lro || d->lro_last;
	d->lro_last = lro;
}

static void features_restore(struct iface *d)
{
	uint32_t valid[64] = { 0 };
	unsigned int g, i;

	if (!d->orig_req || !d->ngroups)
		return;
	for (g = 0; g < d->ngroups; g++)
		for (i = 0; i < d->nwords; i++)
			valid[i] |= d->gmask[g][i];
	if (set_features(d, valid, d->orig_req) < 0)
		fprintf(stderr, OSIM_PROG ": %s: restoring features: %s\n",
			d->name, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* sysfs knobs                                                        */

static void knob_write(int fd, const char *what, const char *val)
{
	if (fd < 0)
		return;
	if (pwrite(fd, val, strlen(val), 0) < 0)
		die("writing \"%s\" to %s: %s", val, what, strerror(errno));
}

static int knob_open(const char *path, char *orig, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	n = pread(fd, orig, size - 1, 0);
	if (n <= 0)
		die("%s: cannot read", path);
	orig[n] = 0;
	return fd;
}

static void restore_all(void)
{
	unsigned int i;

	for (i = 0; i < nif; i++) {
		struct iface *d = &ifs[i];

		if (d->fd[0] > 0 && !cfg.no_features)
			features_restore(d);
		if (d->knob_fd[0] > 0)
			if (pwrite(d->knob_fd[0], d->knob_orig[0],
				   strlen(d->knob_orig[0]), 0) < 0)
				perror(OSIM_PROG ": restoring lso_mtu");
		if (d->knob_fd[1] > 0)
			if (pwrite(d->knob_fd[1], d->knob_orig[1],
				   strlen(d->knob_orig[1]), 0) < 0)
				perror(OSIM_PROG ": restoring wire_mtu");
	}
	if (verify_fd >= 0 &&
	    pwrite(verify_fd, verify_orig, strlen(verify_orig), 0) < 0)
		perror(OSIM_PROG ": restoring verify");
}

/* ------------------------------------------------------------------ */
/* Setup                                                              */

static int enter_netns(const char *ns)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", ns, strerror(errno));
	return fd;
}

/* This netns's view of /sys, as "ip netns exec" mounts it. */
static void remount_sys(void)
{
	if (umount2("/sys", MNT_DETACH) && errno != EINVAL)
		die("umount /sys: %s", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		die("mount sysfs: %s", strerror(errno));
}

static void addrs_init(struct iface *d)
{
	struct ifaddrs *ifa, *a;
	int has4 = 0, has6 = 0;

	/* documentation ranges when the device has no address */
	inet_pton(AF_INET, "198.51.100.1", d->ip4);
	inet_pton(AF_INET6, "2001:db8:ffff::1", d->ip6);
	if (getifaddrs(&ifa))
		die("getifaddrs: %s", strerror(errno));
	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || strcmp(a->ifa_name, d->name))
			continue;
		if (a->ifa_addr->sa_family == AF_INET && !has4) {
			memcpy(d->ip4, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, 4);
			has4 = 1;
		} else if (a->ifa_addr->sa_family == AF_INET6 && !has6) {
			const uint8_t *p = ((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr.s6_addr;

			/* not link-local */
			if (p[0] == 0xfe && (p[1] & 0xc0) == 0x80)
				continue;
			memcpy(d->ip6, p, 16);
			has6 = 1;
		}
	}
	freeifaddrs(ifa);
}

static void iface_init(struct iface *d)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	char path[PATH_MAX];
	struct ifreq ifr;
	unsigned int i;
	int one = 1;

	d->ifindex = if_nametoindex(d->name);
	if (!d->ifindex)
		die("no device \"%s\"%s%s", d->name,
		    d->netns ? " in netns " : "", d->netns ? d->netns : "");

	for (i = 0; i < 4; i++) {
		d->fd[i] = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (d->fd[i] < 0)
			die("socket(AF_PACKET): %s", strerror(errno));
		if ((i & 1) && setsockopt(d->fd[i], SOL_PACKET, PACKET_VNET_HDR,
					  &one, sizeof(one)))
			die("PACKET_VNET_HDR: %s", strerror(errno));
		if ((i & 2) && setsockopt(d->fd[i], SOL_PACKET,
					  PACKET_QDISC_BYPASS, &one, sizeof(one)))
			die("PACKET_QDISC_BYPASS: %s", strerror(errno));
		/* protocol 0: transmit only */
		sll.sll_ifindex = d->ifindex;
		if (bind(d->fd[i], (struct sockaddr *)&sll, sizeof(sll)))
			die("bind %s: %s", d->name, strerror(errno));
	}

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", d->name);
	if (ioctl(d->fd[0], SIOCGIFMTU, &ifr))
		die("%s: SIOCGIFMTU: %s", d->name, strerror(errno));
	d->mtu = ifr.ifr_mtu;
	if (ioctl(d->fd[0], SIOCGIFHWADDR, &ifr))
		die("%s: SIOCGIFHWADDR: %s", d->name, strerror(errno));
	memcpy(d->mac, ifr.ifr_hwaddr.sa_data, 6);
	addrs_init(d);

	d->knob_fd[0] = d->knob_fd[1] = -1;
	if (!cfg.no_knobs) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/offloadsim/lso_mtu",
			 d->name);
		d->knob_fd[0] = knob_open(path, d->knob_orig[0],
					  sizeof(d->knob_orig[0]));
		snprintf(path, sizeof(path), "/sys/class/net/%s/offloadsim/wire_mtu",
			 d->name);
		d->knob_fd[1] = knob_open(path, d->knob_orig[1],
					  sizeof(d->knob_orig[1]));
	}
	if (!cfg.no_features)
		features_init(d);
}

static void setup(void)
{
	int any_ns = 0, orig_ns = -1;
	unsigned int i;

	for (i = 0; i < nif; i++)
		any_ns |= ifs[i].netns != NULL;
	orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig_ns < 0)
		die("/proc/self/ns/net: %s", strerror(errno));
	if (any_ns) {
		if (unshare(CLONE_NEWNS))
			die("unshare(CLONE_NEWNS): %s", strerror(errno));
		if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL))
			die("mount --make-rslave /: %s", strerror(errno));
	}
	for (i = 0; i < nif; i++) {
		ifs[i].tap = -1;
		ifs[i].nsfd = orig_ns;
		if (ifs[i].netns)
			ifs[i].nsfd = enter_netns(ifs[i].netns);
		else if (any_ns && setns(orig_ns, CLONE_NEWNET))
			die("setns: %s", strerror(errno));
		if (any_ns)
			remount_sys();
		iface_init(&ifs[i]);
	}
	if (!cfg.no_knobs)
		verify_fd = knob_open("/sys/module/offloadsim/parameters/verify",
				      verify_orig, sizeof(verify_orig));
}

/* ------------------------------------------------------------------ */
/* The receive oracle                                                 */

/*
 * A tap on a device sees what its receive engine hands to the stack. A
 * frame marked checksum-valid (CHECKSUM_UNNECESSARY: verified, or built
 * by the peer's segmentation engine) must carry a correct IPv4 header
 * checksum and, where its headers say how long the TCP/UDP segment is, a
 * correct TCP/UDP checksum. LRO aggregates keep the first segment's
 * checksum (they describe no packet on the wire): not checked while LRO
 * may be on. A tap changes the receive path (owed checksums are computed
 * for it), so it is open in about half of the steps.
 */
static unsigned long oracle_bad;

static void tap_open(struct iface *d)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int one = 1, size = 4 << 20;

	if (setns(d->nsfd, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
	d->tap = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			htons(ETH_P_ALL));
	if (d->tap < 0)
		die("socket(AF_PACKET): %s", strerror(errno));
	if (setsockopt(d->tap, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)))
		die("PACKET_AUXDATA: %s", strerror(errno));
	if (setsockopt(d->tap, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		die("SO_RCVBUFFORCE: %s", strerror(errno));
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = d->ifindex;
	if (bind(d->tap, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind tap %s: %s", d->name, strerror(errno));
	d->tap_steps++;
}

static void __attribute__((format(printf, 4, 5)))
oracle_fail(const struct iface *d, const uint8_t *p, size_t len,
	    const char *fmt, ...)
{
	va_list ap;
	size_t i;

	if (++oracle_bad > 10)
		return;
	printf("ORACLE: %s: received a frame marked checksum-valid, len %zu: ",
	       d->name, len);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nORACLE:  ");
	for (i = 0; i < len && i < 96; i++)
		printf("%02x%s", p[i], i % 32 == 31 ? "\nORACLE:  " : " ");
	printf("\n");
}

/* Check one checksum-valid frame, as rxcsum.c parses it. */
static void tap_check(struct iface *d, const uint8_t *p, size_t len)
{
	size_t off = 12, ihl, l4len, n = 0;
	unsigned int etype, proto, sum;
	const uint8_t *ip;
	uint64_t s;
	int v6;

	if (len < ETH_HDR_LEN)
		return;
	etype = get16(p + off);
	while ((etype == ETH_P_8021Q || etype == ETH_P_8021AD) && n++ < 2 &&
	       off + 6 <= len) {
		off += VLAN_TAG_LEN;
		etype = get16(p + off);
	}
	off += 2;
	ip = p + off;
	len -= off;
	if (etype == ETH_P_IP) {
		if (len < IP4_HDR_LEN || ip[0] >> 4 != 4)
			return;
		ihl = (ip[0] & 0xf) * 4;
		if (ihl < IP4_HDR_LEN || ihl > len)
			return;
		if (csum_fold(csum_add(0, ip, ihl)) != 0xffff) {
			oracle_fail(d, p, len + off, "bad IPv4 header checksum");
			return;
		}
		l4len = get16(ip + 2);
		if (l4len < ihl || l4len > len || (get16(ip + 6) & 0x3fff))
			return;
		l4len -= ihl;
		proto = ip[9];
		v6 = 0;
		s = pseudo_hdr_sum(ip + 12, ip + 16, 0, proto, l4len);
	} else if (etype == ETH_P_IPV6) {
		if (len < IP6_HDR_LEN)
			return;
		l4len = get16(ip + 4);
		ihl = IP6_HDR_LEN;
		if (!l4len || ihl + l4len > len)
			return;
		proto = ip[6];
		v6 = 1;
		s = pseudo_hdr_sum(ip + 8, ip + 24, 1, proto, l4len);
	} else {
		return;
	}
	if (proto == IPPROTO_TCP) {
		if (l4len < TCP_HDR_LEN)
			return;
	} else if (proto == IPPROTO_UDP) {
		if (l4len < UDP_HDR_LEN || (!v6 && !get16(ip + ihl + 6)))
			return;
	} else {
		return;
	}
	d->tap_checked++;
	sum = csum_fold(csum_add(s, ip + ihl, l4len));
	if (sum != 0xffff)
		oracle_fail(d, p, len + off, "bad %s/%s checksum (sum 0x%04x)",
			    v6 ? "IPv6" : "IPv4",
			    proto == IPPROTO_TCP ? "TCP" : "UDP", sum);
}

static void tap_drain(struct iface *d)
{
	static uint8_t buf[FRAME_MAX];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cbuf;
	struct sockaddr_ll sll;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;

	if (d->tap < 0)
		return;
	for (;;) {
		unsigned int status = 0;

		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		msg.msg_control = &cbuf;
		msg.msg_controllen = sizeof(cbuf);
		n = recvmsg(d->tap, &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			die("tap %s: recvmsg: %s", d->name, strerror(errno));
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		d->tap_frames++;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_PACKET &&
			    cm->cmsg_type == PACKET_AUXDATA)
				status = ((struct tpacket_auxdata *)
					  CMSG_DATA(cm))->tp_status;
		if (!(status & TP_STATUS_CSUM_VALID) || d->agg_unchecked ||
		    (msg.msg_flags & MSG_TRUNC))
			continue;
		tap_check(d, buf, n);
	}
}

static void tap_close(struct iface *d)
{
	if (d->tap < 0)
		return;
	tap_drain(d);
	close(d->tap);
	d->tap = -1;
}

/* ------------------------------------------------------------------ */
/* Frames                                                             */

/* What a template is made of. */
struct tparams {
	int ipv6, tcp;
	unsigned int nvlan;		/* 0, 1 (802.1Q), 2 (QinQ) */
	unsigned int vid0;		/* VLAN id 0: the stack takes it */
	unsigned int ipopt;		/* IPv4 option bytes, multiple of 4 */
	unsigned int ext[EXT_MAX];	/* IPv6 extension headers, in order */
	unsigned int next;
	unsigned int tcpopt;		/* TCP option bytes, multiple of 4 */
	size_t paylen;
	int vnet;			/* sent with a virtio_net_hdr */
	int csum_partial;		/* NEEDS_CSUM: the seed in the field */
	unsigned int gso_size;		/* GSO frame when != 0 */
	int ecn;
};

struct frame {
	size_t len;
	size_t etype_off;	/* the ethertype naming L3 */
	size_t l3off;
	size_t iphlen;		/* IPv4 header / IPv6 fixed header */
	size_t l3len;		/* with options / extension headers */
	size_t proto_off;	/* the byte naming the L4 protocol */
	size_t ext_off[EXT_MAX];
	size_t frag_off;	/* IPv6 fragment header, or 0 */
	size_t l4off;
	size_t l4len;
	size_t paylen;
	struct tparams t;
	struct virtio_net_hdr vh;
	const uint8_t *saddr, *daddr;
	int bypass;		/* sent with PACKET_QDISC_BYPASS */
	uint8_t buf[FRAME_MAX];
};

static struct frame frm;

static void ip4_csum_set(struct frame *f)
{
	uint8_t *ip = f->buf + f->l3off;
	size_t hl = (ip[0] & 0xf) * 4;

	if (hl < IP4_HDR_LEN || f->l3off + hl > f->len)
		hl = f->iphlen;
	if (f->l3off + hl > f->len)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, ~csum_fold(csum_add(0, ip, hl)) & 0xffff);
}

/* The L4 checksum: the pseudo-header seed (NEEDS_CSUM) or complete. */
static void l4_csum_set(struct frame *f)
{
	unsigned int proto = f->t.tcp ? IPPROTO_TCP : IPPROTO_UDP;
	size_t off = f->t.tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;
	size_t l4total = f->len - f->l4off;
	uint8_t *p = f->buf + f->l4off;
	unsigned int check;
	uint64_t sum;

	sum = pseudo_hdr_sum(f->saddr, f->daddr, f->t.ipv6, proto, l4total);
	put16(p + off, 0);
	if (f->t.csum_partial) {
		check = csum_fold(sum);
	} else {
		check = ~csum_fold(csum_add(sum, p, l4total)) & 0xffff;
		if (!f->t.tcp && !check)
			check = 0xffff;
	}
	put16(p + off, check);
}

static void build(struct frame *f, const struct iface *src,
		  const struct iface *dst, const struct tparams *t)
{
	uint8_t *p = f->buf;
	size_t off, i, ipl;
	unsigned int nh;

	memset(f, 0, offsetof(struct frame, buf));
	f->t = *t;
	f->saddr = t->ipv6 ? src->ip6 : src->ip4;
	f->daddr = t->ipv6 ? dst->ip6 : dst->ip4;

	/* Ethernet: mostly to the peer, sometimes broadcast or elsewhere */
	if (one_in(16))
		memset(p, 0xff, 6);
	else if (one_in(32))
		memcpy(p, (const uint8_t[]){ 0x02, 0, 0, 0, 0x5a, 0x5a }, 6);
	else
		memcpy(p, dst->mac, 6);
	memcpy(p + 6, src->mac, 6);
	off = 12;
	for (i = 0; i < t->nvlan; i++) {
		put16(p + off, t->nvlan == 2 && i == 0 ? ETH_P_8021AD :
			       ETH_P_8021Q);
		put16(p + off + 2, (rnd() & 0xe000) |
			  (t->vid0 ? 0 : 1 + rndn(4094)));
		off += VLAN_TAG_LEN;
	}
	f->etype_off = off;
	put16(p + off, t->ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	off += 2;
	f->l3off = off;

	if (!t->ipv6) {
		f->iphlen = IP4_HDR_LEN;
		f->l3len = IP4_HDR_LEN + t->ipopt;
		p[off] = 0x40 | f->l3len / 4;
		p[off + 1] = one_in(4) ? rnd() & 0xff : 0;
		put16(p + off + 4, rnd());
		put16(p + off + 6, one_in(4) ? 0 : 0x4000);	/* DF */
		p[off + 8] = 64;
		p[off + 9] = t->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		f->proto_off = off + 9;
		memcpy(p + off + 12, src->ip4, 4);
		memcpy(p + off + 16, dst->ip4, 4);
		/* options: NOPs, sometimes a router alert, then EOL */
		for (i = 0; i < t->ipopt; i++)
			p[off + IP4_HDR_LEN + i] = 1;
		if (t->ipopt >= 4 && one_in(2))
			memcpy(p + off + IP4_HDR_LEN,
			       (const uint8_t[]){ 0x94, 4, 0, 0 }, 4);
		if (t->ipopt)
			p[off + f->l3len - 1] = 0;
		off += f->l3len;
	} else {
		f->iphlen = IP6_HDR_LEN;
		put32(p + off, 0x60000000 | (one_in(2) ? rnd() & 0xfffff : 0));
		p[off + 7] = 64;
		memcpy(p + off + 8, src->ip6, 16);
		memcpy(p + off + 24, dst->ip6, 16);
		f->proto_off = off + 6;
		off += IP6_HDR_LEN;
		for (i = 0; i < t->next; i++) {
			size_t elen = t->ext[i] == IPPROTO_ROUTING ? 24 : 8;
			uint8_t *e = p + off;

			p[f->proto_off] = t->ext[i];
			f->ext_off[i] = off;
			memset(e, 0, elen);
			e[1] = elen / 8 - 1;
			switch (t->ext[i]) {
			case IPPROTO_HOPOPTS:
			case IPPROTO_DSTOPTS:
				e[2] = 1;	/* PadN */
				e[3] = 4;
				break;
			case IPPROTO_ROUTING:
				e[2] = one_in(2) ? 0 : 253; /* type */
				e[3] = 0;	/* segments left: skipped */
				memcpy(e + 8, dst->ip6, 16);
				break;
			case IPPROTO_FRAGMENT:
				e[1] = 0;	/* atomic fragment */
				put32(e + 4, rnd());
				f->frag_off = off;
				break;
			}
			f->proto_off = off;
			off += elen;
		}
		p[f->proto_off] = t->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		f->l3len = off - f->l3off;
	}

	f->l4off = off;
	if (t->tcp) {
		f->l4len = TCP_HDR_LEN + t->tcpopt;
		memset(p + off, 0, f->l4len);
		put16(p + off, 1024 + rndn(60000));
		put16(p + off + 2, one_in(4) ? 22 : 1024 + rndn(60000));
		put32(p + off + 4, rnd());
		put32(p + off + 8, rnd());
		p[off + 12] = f->l4len / 4 << 4;
		p[off + 13] = TCP_ACK | (one_in(8) ? rnd() & 0xef : 0);
		put16(p + off + 14, rnd());
		/* options: MSS, SACK-permitted, timestamps, NOPs, EOL */
		for (i = 0; i + 4 <= t->tcpopt; i += 4) {
			uint8_t *o = p + off + TCP_HDR_LEN + i;

			switch (rndn(4)) {
			case 0:
				memcpy(o, (const uint8_t[]){ 2, 4, 5, 0xb4 }, 4);
				break;
			case 1:
				memcpy(o, (const uint8_t[]){ 1, 1, 4, 2 }, 4);
				break;
			case 2:
				if (i + 12 <= t->tcpopt) {
					memcpy(o, (const uint8_t[]){ 1, 1, 8, 10 }, 4);
					put32(o + 4, rnd());
					put32(o + 8, rnd());
					i += 8;
					break;
				}
				/* fall through */
			default:
				memcpy(o, (const uint8_t[]){ 1, 1, 1, 1 }, 4);
				break;
			}
		}
	} else {
		f->l4len = UDP_HDR_LEN;
		put16(p + off, 1024 + rndn(60000));
		put16(p + off + 2, one_in(4) ? 53 : 1024 + rndn(60000));
	}
	off += f->l4len;

	f->paylen = t->paylen;
	if (rndn(2)) {
		for (i = 0; i < t->paylen; i++)
			p[off + i] = payload_byte(i);
	} else {
		uint64_t r = 0;

		for (i = 0; i < t->paylen; i++) {
			if (!(i & 7))
				r = rnd64();
			p[off + i] = r >> (i & 7) * 8;
		}
	}
	f->len = off + t->paylen;

	/* lengths and checksums */
	ipl = f->len - f->l3off;
	if (!t->tcp)
		put16(p + f->l4off + 4, f->len - f->l4off);
	if (t->ipv6) {
		put16(p + f->l3off + 4, ipl - IP6_HDR_LEN);
	} else {
		put16(p + f->l3off + 2, ipl);
		ip4_csum_set(f);
	}
	l4_csum_set(f);

	if (t->vnet) {
		struct virtio_net_hdr *vh = &f->vh;

		if (t->csum_partial) {
			vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
			vh->csum_start = f->l4off;
			vh->csum_offset = t->tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;
		} else if (one_in(4)) {
			vh->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		}
		vh->hdr_len = f->l4off + f->l4len;
		if (t->gso_size) {
			if (!t->tcp)
				nh = VIRTIO_NET_HDR_GSO_UDP_L4;
			else
				nh = t->ipv6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
					       VIRTIO_NET_HDR_GSO_TCPV4;
			if (t->ecn)
				nh |= VIRTIO_NET_HDR_GSO_ECN;
			vh->gso_type = nh;
			vh->gso_size = t->gso_size;
		}
	}
}

/* The IPv4 total length or IPv6 payload length field. */
static uint8_t *ip_len_field(struct frame *f)
{
	return f->buf + f->l3off + (f->t.ipv6 ? 4 : 2);
}

static unsigned int ip_len_full(const struct frame *f)
{
	return f->len - f->l3off - (f->t.ipv6 ? IP6_HDR_LEN : 0);
}

/* A 16-bit value near the frame's own lengths and offsets, or extreme. */
static unsigned int interesting16(const struct frame *f)
{
	switch (rndn(16)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return rndn(8);
	case 3: return f->l3off + rndn(3) - 1;
	case 4: return f->l4off - 1;
	case 5: return f->l4off;
	case 6: return f->l4off + 1;
	case 7: return f->l4off + f->l4len + rndn(3) - 1;
	case 8: return f->len - 1;
	case 9: return f->len;
	case 10: return f->len + 1;
	case 11: return 0x7fff;
	case 12: return 0xfffe;
	case 13: return 0xffff;
	case 14: return rndn(256);
	default: return rnd() & 0xffff;
	}
}

static const uint8_t gso_types[] = {
	VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4,
	VIRTIO_NET_HDR_GSO_UDP, VIRTIO_NET_HDR_GSO_TCPV6,
	VIRTIO_NET_HDR_GSO_UDP_L4,
	VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_TCPV4,
	VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_TCPV6,
	VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_UDP_L4,
	VIRTIO_NET_HDR_GSO_ECN | VIRTIO_NET_HDR_GSO_UDP,
	VIRTIO_NET_HDR_GSO_ECN,
};

static void mutate_vnet(struct frame *f)
{
	struct virtio_net_hdr *vh = &f->vh;
	unsigned int n = 1 + rndn(4), v;

	while (n--) {
		switch (rndn(6)) {
		case 0:
			v = rndn(6);
			vh->flags = v < 4 ? v : rnd() & 0xff;
			break;
		case 1:
			v = rndn(sizeof(gso_types) + 1);
			vh->gso_type = v < sizeof(gso_types) ? gso_types[v] :
							       rnd() & 0xff;
			break;
		case 2:
			vh->hdr_len = interesting16(f);
			break;
		case 3:
			switch (rndn(6)) {
			case 0: vh->gso_size = 0; break;
			case 1: vh->gso_size = 1 + rndn(8); break;
			case 2: vh->gso_size = 0xffff; break;
			case 3: vh->gso_size = 0xfffe; break;
			case 4: vh->gso_size = f->len; break;
			default: vh->gso_size = 64 + rndn(9000); break;
			}
			break;
		case 4:
			vh->csum_start = interesting16(f);
			break;
		default:
			vh->csum_offset = rndn(3) ? rndn(32) : interesting16(f);
			break;
		}
	}
}

/* Flip 1-8 bytes or bits of the headers (or anywhere, rarely). */
static void mutate_flip(struct frame *f)
{
	size_t hdrs = f->l4off + f->l4len;
	unsigned int n = 1 + rndn(8);

	if (hdrs > f->len)
		hdrs = f->len;
	while (n-- && hdrs) {
		size_t pos = one_in(8) ? rndn(f->len) : rndn(hdrs);

		if (pos < ETH_HDR_LEN && one_in(2))
			pos += f->l3off;	/* MACs matter little */
		if (pos >= f->len)
			continue;
		if (one_in(2))
			f->buf[pos] ^= 1 << rndn(8);
		else
			f->buf[pos] = rnd();
	}
	if (f->t.vnet && one_in(4))
		mutate_vnet(f);
	if (!f->t.ipv6 && one_in(2))
		ip4_csum_set(f);
}

static void mutate_trunc(struct frame *f, unsigned long n)
{
	size_t lo, hi;

	/* every layer in turn */
	switch (n % 6) {
	case 0:		/* Ethernet and VLAN tags */
		lo = 0;
		hi = f->l3off;
		break;
	case 1:		/* L3 fixed header */
		lo = f->l3off;
		hi = f->l3off + f->iphlen;
		break;
	case 2:		/* IPv4 options / IPv6 extension headers */
		lo = f->l3off + f->iphlen;
		hi = f->l4off;
		break;
	case 3:		/* L4 header */
	case 4:
		lo = f->l4off;
		hi = f->l4off + f->l4len;
		break;
	default:	/* payload */
		lo = f->l4off + f->l4len;
		hi = f->len;
		break;
	}
	if (hi <= lo) {
		lo = f->l4off;
		hi = f->l4off + f->l4len;
	}
	f->len = lo + rndn(hi - lo);
	/* the kernel refuses a hdr_len beyond the frame: keep it inside */
	if (f->vh.hdr_len > f->len && rndn(4))
		f->vh.hdr_len = f->len;
}

static void mutate_ihl(struct frame *f)
{
	uint8_t *ip = f->buf + f->l3off;
	unsigned int v;

	switch (rndn(4)) {
	case 0:
		v = rndn(5);
		break;
	case 1:
		v = 15;
		break;
	case 2:		/* more than there is */
		v = (f->l3len + f->l4len) / 4 + 1 + rndn(4);
		if (v > 15)
			v = 15;
		if (one_in(2)) {
			f->len = f->l3off + f->l3len + rndn(f->l4len + 1);
			put16(ip + 2, f->len - f->l3off);
		}
		break;
	default:	/* beyond tot_len but within the frame */
		v = f->l3len / 4 + 1 + rndn(3);
		if (v > 15)
			v = 15;
		put16(ip + 2, f->l3len + rndn(4));
		break;
	}
	ip[0] = (rndn(8) ? 0x40 : rnd() & 0xf0) | v;
	if (rndn(4))
		ip4_csum_set(f);
}

static void mutate_iplen(struct frame *f)
{
	unsigned int full = ip_len_full(f), v;

	switch (rndn(8)) {
	case 0: v = 0; break;
	case 1: v = rndn(f->t.ipv6 ? 8 : IP4_HDR_LEN); break;
	case 2: v = full + 1 + rndn(100); break;
	case 3: v = full - 1; break;
	case 4: v = full / 2; break;
	case 5: v = 0xffff; break;
	case 6: v = f->l3len + (f->l4off - f->l3off) / 2; break;
	default: v = interesting16(f); break;
	}
	put16(ip_len_field(f), v);
	if (!f->t.ipv6 && rndn(4))
		ip4_csum_set(f);
}

static void mutate_doff(struct frame *f)
{
	uint8_t *th = f->buf + f->l4off;
	unsigned int v;

	switch (rndn(4)) {
	case 0:
		v = rndn(5);
		break;
	case 1:
		v = 15;
		break;
	case 2:		/* no room for it */
		v = 6 + rndn(10);
		if (f->len > f->l4off + f->l4len + rndn(8))
			f->len = f->l4off + f->l4len + rndn(8);
		if (f->len > f->l4off + 4 * v - 1)
			f->len = f->l4off + 4 * v - 1;
		put16(ip_len_field(f), ip_len_full(f));
		if (!f->t.ipv6)
			ip4_csum_set(f);
		break;
	default:
		v = rndn(16);
		break;
	}
	th[12] = v << 4 | (th[12] & 0xf);
}

static void mutate_frag(struct frame *f)
{
	uint8_t *ip = f->buf + f->l3off;

	if (!f->t.ipv6) {
		switch (rndn(4)) {
		case 0: put16(ip + 6, 0x2000); break;	/* MF, offset 0 */
		case 1: put16(ip + 6, 1 + rndn(0x1fff)); break;
		case 2: put16(ip + 6, 0x2000 | (1 + rndn(0x1fff))); break;
		default: put16(ip + 6, rnd() & 0xffff); break;
		}
		ip4_csum_set(f);
	} else if (f->frag_off) {
		uint8_t *e = f->buf + f->frag_off;

		switch (rndn(3)) {
		case 0: put16(e + 2, 1); break;			/* M */
		case 1: put16(e + 2, (1 + rndn(0x1fff)) << 3); break;
		default: put16(e + 2, rnd() & 0xffff); break;
		}
	}
}

static void mutate_etype(struct frame *f)
{
	static const uint16_t types[] = {
		ETH_P_IP, ETH_P_IPV6, ETH_P_ARP, 0x0000, 0x05dc, 0x0600,
		ETH_P_8021Q, ETH_P_8021AD, ETH_P_MPLS_UC, 0x88cc, 0xffff,
	};
	unsigned int v = rndn(sizeof(types) / sizeof(types[0]) + 1);

	if (v == sizeof(types) / sizeof(types[0])) {
		put16(f->buf + f->etype_off, rnd());
	} else if (types[v] == ETH_P_IP || types[v] == ETH_P_IPV6) {
		/* the other IP version */
		put16(f->buf + f->etype_off, f->t.ipv6 ? ETH_P_IP : ETH_P_IPV6);
	} else {
		put16(f->buf + f->etype_off, types[v]);
	}
}

static void mutate_l4(struct frame *f)
{
	uint8_t *l4 = f->buf + f->l4off;
	size_t off = f->t.tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;

	switch (rndn(4)) {
	case 0:		/* the other protocol, or another */
		f->buf[f->proto_off] = one_in(2) ?
			(f->t.tcp ? IPPROTO_UDP : IPPROTO_TCP) : rnd() & 0xff;
		if (!f->t.ipv6)
			ip4_csum_set(f);
		break;
	case 1:		/* checksum */
		put16(l4 + off, get16(l4 + off) ^ (1 + rndn(0xfffe)));
		break;
	case 2:
		if (!f->t.tcp) {
			put16(l4 + 4, interesting16(f));
			break;
		}
		/* fall through */
	default:	/* both */
		put16(l4 + off, rnd());
		if (!f->t.tcp)
			put16(l4 + 4, rndn(UDP_HDR_LEN + 1));
		break;
	}
}

/* A GSO frame's seed and UDP length as its headers say, whatever they
 * say, so that software GSO (the verify oracle) and the engine agree.
 */
static void oracle_fixup(struct frame *f)
{
	struct virtio_net_hdr *vh = &f->vh;
	size_t off = f->etype_off, start, l4total;
	unsigned int etype, proto, n = 0;
	const uint8_t *ip;
	uint64_t sum;
	uint8_t *l4;

	if (!f->t.vnet || vh->gso_type == VIRTIO_NET_HDR_GSO_NONE ||
	    !(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return;
	if (f->len < ETH_HDR_LEN)
		return;
	off = 12;
	etype = get16(f->buf + off);
	while ((etype == ETH_P_8021Q || etype == ETH_P_8021AD) && n++ < 3 &&
	       off + 6 <= f->len) {
		off += VLAN_TAG_LEN;
		etype = get16(f->buf + off);
	}
	off += 2;
	start = vh->csum_start;
	if (start + UDP_HDR_LEN > f->len || start <= off)
		return;
	ip = f->buf + off;
	l4 = f->buf + start;
	l4total = f->len - start;
	if (etype == ETH_P_IP && off + IP4_HDR_LEN <= f->len) {
		proto = ip[9];
		sum = pseudo_hdr_sum(ip + 12, ip + 16, 0, proto, l4total);
	} else if (etype == ETH_P_IPV6 && off + IP6_HDR_LEN <= f->len) {
		proto = ip[6];
		sum = pseudo_hdr_sum(ip + 8, ip + 24, 1, proto, l4total);
	} else {
		return;
	}
	if (proto == IPPROTO_UDP)
		put16(l4 + 4, l4total);
	if (proto == IPPROTO_TCP && start + TCP_HDR_LEN <= f->len)
		put16(l4 + TCP_CSUM_OFF, csum_fold(sum));
	else if (proto == IPPROTO_UDP)
		put16(l4 + UDP_CSUM_OFF, csum_fold(sum));
}

/* Headers without payload of a template @t (estimate for MSS limits). */
static size_t tmpl_hdrs(const struct tparams *t)
{
	size_t n = ETH_HDR_LEN + t->nvlan * VLAN_TAG_LEN;
	unsigned int i;

	if (t->ipv6) {
		n += IP6_HDR_LEN;
		for (i = 0; i < t->next; i++)
			n += t->ext[i] == IPPROTO_ROUTING ? 24 : 8;
	} else {
		n += IP4_HDR_LEN + t->ipopt;
	}
	return n + (t->tcp ? TCP_HDR_LEN + t->tcpopt : UDP_HDR_LEN);
}

static void tmpl_random(struct tparams *t, const struct iface *src)
{
	static const unsigned int exts[] = {
		IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_FRAGMENT,
		IPPROTO_DSTOPTS,
	};
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->ipv6 = rndn(2);
	t->tcp = rndn(3) != 0;
	t->nvlan = rndn(8) == 0 ? 1 + rndn(2) : 0;
	t->vid0 = rndn(2);
	if (!t->ipv6 && one_in(3))
		t->ipopt = 4 * (1 + rndn(10));
	if (t->ipv6 && one_in(3)) {
		/* RFC 8200 order: hop-by-hop first; the others in any order */
		if (one_in(2))
			t->ext[t->next++] = IPPROTO_HOPOPTS;
		for (i = 0; i < 4 && t->next < EXT_MAX; i++)
			if (one_in(2))
				t->ext[t->next++] = exts[rndn(4)];
	}
	if (t->tcp && one_in(2))
		t->tcpopt = 4 * (1 + rndn(10));
	/* a payload that fits the MTU */
	i = tmpl_hdrs(t) - ETH_HDR_LEN - t->nvlan * VLAN_TAG_LEN;
	if (src->mtu > i)
		t->paylen = rndn(4) ? rndn(src->mtu - i + 1) : rndn(64);
}

/* Make @t a GSO template: payload up to 64 KB, gso_size below it. */
static void tmpl_gso(struct tparams *t, const struct iface *src)
{
	size_t hdrs = tmpl_hdrs(t), max, l3hdrs;
	unsigned int mss_max;

	l3hdrs = hdrs - ETH_HDR_LEN - t->nvlan * VLAN_TAG_LEN;
	max = IP_LEN_MAX - l3hdrs;
	t->vnet = 1;
	t->csum_partial = 1;
	mss_max = src->mtu > l3hdrs + 8 ? src->mtu - l3hdrs : 8;
	if (mss_max > max / 2)
		mss_max = max / 2;
	switch (rndn(4)) {
	case 0:		/* a few segments */
		t->gso_size = 8 + rndn(mss_max - 7);
		t->paylen = t->gso_size + 1 + rndn(4 * t->gso_size);
		break;
	case 1:		/* up to 64 KB at the MTU's MSS */
		t->gso_size = mss_max;
		t->paylen = t->gso_size + 1 + rndn(max - t->gso_size);
		break;
	case 2:		/* small segments, bounded count */
		t->gso_size = 8 + rndn(200);
		t->paylen = t->gso_size + 1 + rndn(64 * t->gso_size);
		break;
	default:
		t->gso_size = 100 + rndn(mss_max);
		t->paylen = t->gso_size + 1 + rndn(max - t->gso_size);
		break;
	}
	if (t->paylen > max)
		t->paylen = max;
	if (t->gso_size >= t->paylen)
		t->gso_size = t->paylen > 8 ? t->paylen - 1 : 8;
	t->ecn = one_in(4);
}

static enum fclass pick_class(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < CL_NUM; i++)
		if (!cfg.classes || cfg.classes & (1U << i))
			total += classes[i].weight;
	r = rndn(total);
	for (i = 0; i < CL_NUM; i++) {
		if (cfg.classes && !(cfg.classes & (1U << i)))
			continue;
		if (r < classes[i].weight)
			return i;
		r -= classes[i].weight;
	}
	return CL_VALID;
}

/* Build frame @n of class @c from @src to @dst. */
static void make_frame(struct frame *f, enum fclass c, unsigned long n,
		       const struct iface *src, const struct iface *dst)
{
	struct tparams t;

	tmpl_random(&t, src);
	/* with or without a virtio_net_hdr; GSO now and then */
	t.vnet = rndn(2);
	t.csum_partial = t.vnet && rndn(4);
	switch (c) {
	case CL_GSO:
		tmpl_gso(&t, src);
		break;
	case CL_OVERSIZE:
		if (rndn(4)) {
			tmpl_gso(&t, src);
			if (one_in(3)) {
				t.gso_size = 0;	/* too long, not GSO */
				t.csum_partial = rndn(2);
			}
		} else {
			t.paylen = src->mtu + 1 + rndn(2000);
		}
		break;
	case CL_IHL:
		t.ipv6 = 0;
		break;
	case CL_DOFF:
		t.tcp = 1;
		break;
	case CL_FRAG:
		if (t.ipv6 && !one_in(4)) {
			t.ext[0] = IPPROTO_FRAGMENT;
			t.next = 1;
		}
		break;
	case CL_VNET:
		t.vnet = 1;
		if (one_in(2))
			tmpl_gso(&t, src);
		else
			t.csum_partial = rndn(2);
		break;
	default:
		/* half the frames with a vnet hdr are GSO: malformed GSO
		 * packets reach the segmentation engine (with TSO/USO on)
		 */
		if (t.vnet && rndn(2))
			tmpl_gso(&t, src);
		break;
	}

	build(f, src, dst, &t);

	switch (c) {
	case CL_VALID:
	case CL_GSO:
	case CL_OVERSIZE:
		break;
	case CL_TRUNC:
		mutate_trunc(f, n);
		break;
	case CL_IHL:
		mutate_ihl(f);
		break;
	case CL_IPLEN:
		mutate_iplen(f);
		break;
	case CL_DOFF:
		mutate_doff(f);
		break;
	case CL_FRAG:
		mutate_frag(f);
		break;
	case CL_FLIP:
		mutate_flip(f);
		break;
	case CL_ETYPE:
		mutate_etype(f);
		break;
	case CL_ZERO:
		f->len = one_in(2) ? 0 : rndn(ETH_HDR_LEN + 4);
		if (f->t.vnet && one_in(2))
			mutate_vnet(f);
		break;
	case CL_VNET:
		mutate_vnet(f);
		break;
	case CL_L4:
		mutate_l4(f);
		break;
	case CL_NUM:
		break;
	}
	/* Software GSO trusts the seed and the UDP length a sender left;
	 * the engine builds its own. Only GSO frames sent straight to the
	 * device while verify is off keep a broken one: none can then wait
	 * in a qdisc until the oracle is on.
	 */
	f->bypass = rndn(2);
	if (verify_on || !f->bypass || one_in(2))
		oracle_fixup(f);
}

/* ------------------------------------------------------------------ */
/* The walk over feature combinations and knobs                       */

static unsigned int gray(unsigned int k)
{
	return k ^ (k >> 1);
}

/* Odd devices walk the groups in the reverse order: the two ends of a
 * pair are in different combinations at most steps.
 */
static unsigned int combo_of(const struct iface *d, unsigned int di,
			     unsigned int step)
{
	unsigned int code = gray(step & ((1U << d->ngroups) - 1)), r = 0, g;

	if (!(di & 1))
		return code;
	for (g = 0; g < d->ngroups; g++)
		if (code & (1U << g))
			r |= 1U << (d->ngroups - 1 - g);
	return r;
}

static void apply_step(unsigned int step)
{
	/* Mostly off: every frame cut at lso_mtu or dropped at wire_mtu
	 * would hide the engines' other paths.
	 */
	static const char *const lso[] = {
		"576", "1280", "1500", "9000", "65535",
	};
	static const char *const wire[] = {
		"68", "576", "1280", "1400", "1500", "9000",
	};
	unsigned int i, v;

	for (i = 0; i < nif; i++) {
		struct iface *d = &ifs[i];

		tap_drain(d);
		if (!cfg.no_features && d->ngroups)
			features_apply(d, combo_of(d, i, step));
		if (rndn(2))
			tap_close(d);
		else if (d->tap < 0)
			tap_open(d);
		if (!cfg.no_knobs) {
			knob_write(d->knob_fd[0], "lso_mtu", rndn(3) ? "0" :
				   lso[rndn(sizeof(lso) / sizeof(lso[0]))]);
			knob_write(d->knob_fd[1], "wire_mtu", rndn(4) ? "0" :
				   wire[rndn(sizeof(wire) / sizeof(wire[0]))]);
		}
	}
	if (!cfg.no_knobs) {
		v = rndn(2);
		knob_write(verify_fd, "verify", v ? "1" : "0");
		verify_on = v;
	}
}

/* ------------------------------------------------------------------ */

static void send_frame(struct iface *d, enum fclass c, unsigned long n)
{
	struct frame *f = &frm;
	int vnet = f->t.vnet, bypass = f->bypass;
	struct iovec iov[2];
	struct msghdr msg;
	ssize_t ret;
	int e;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	if (vnet) {
		iov[0].iov_base = &f->vh;
		iov[0].iov_len = sizeof(f->vh);
		iov[1].iov_base = f->buf;
		iov[1].iov_len = f->len;
		msg.msg_iovlen = 2;
	} else {
		iov[0].iov_base = f->buf;
		iov[0].iov_len = f->len;
		msg.msg_iovlen = 1;
	}
	do {
		ret = sendmsg(d->fd[vnet | bypass << 1], &msg, 0);
	} while (ret < 0 && errno == EINTR);

	tally[c].sent++;
	tally[c].vnet += vnet;
	e = ret < 0 ? errno : 0;
	if (ret < 0) {
		if (osim_errno_fatal(e))
			die("frame %lu: sendmsg on %s: %s", n, d->name,
			    strerror(e));
		tally[c].refused++;
		switch (e) {
		case EINVAL: tally[c].err[E_INVAL]++; break;
		case EMSGSIZE: tally[c].err[E_MSGSIZE]++; break;
		case ENOBUFS: tally[c].err[E_NOBUFS]++; break;
		default: tally[c].err[E_OTHER]++; break;
		}
	}
	if (cfg.verbose) {
		fprintf(stderr, "frame %lu %s %s len %zu", n, d->name,
			classes[c].name, f->len);
		if (vnet)
			fprintf(stderr,
				" vnet flags=%u gso_type=%u gso_size=%u hdr_len=%u csum_start=%u csum_offset=%u",
				f->vh.flags, f->vh.gso_type, f->vh.gso_size,
				f->vh.hdr_len, f->vh.csum_start,
				f->vh.csum_offset);
		fprintf(stderr, "%s: %s\n", bypass ? " bypass" : "",
			e ? strerrorname_np(e) : "ok");
	}
}

static void report(void)
{
	unsigned long sent = 0, refused = 0;
	unsigned int i, k, req, eff;

	printf("%-10s %8s %8s %8s", "class", "frames", "vnet", "refused");
	for (k = 0; k < E_NUM; k++)
		printf(" %8s", err_names[k]);
	printf("\n");
	for (i = 0; i < CL_NUM; i++) {
		printf("%-10s %8lu %8lu %8lu", classes[i].name, tally[i].sent,
		       tally[i].vnet, tally[i].refused);
		for (k = 0; k < E_NUM; k++)
			printf(" %8lu", tally[i].err[k]);
		printf("\n");
		sent += tally[i].sent;
		refused += tally[i].refused;
	}
	printf("total: %lu frames, %lu refused by sendmsg, %lu to the devices\n",
	       sent, refused, sent - refused);
	for (i = 0; i < nif; i++) {
		struct iface *d = &ifs[i];

		if (cfg.no_features)
			break;
		req = eff = 0;
		for (k = 0; k < 1U << d->ngroups; k++) {
			req += d->req_seen[k];
			eff += d->eff_seen[k];
		}
		printf("%s: %u feature groups:", d->name, d->ngroups);
		for (k = 0; k < d->ngroups; k++)
			printf(" %s", groups[d->gidx[k]].name);
		printf("\n%s: combinations requested %u/%u, in effect %u distinct, %u ETHTOOL_SFEATURES\n",
		       d->name, req, 1U << d->ngroups, eff, d->sfeatures);
	}
	for (i = 0; i < nif; i++)
		printf("%s: tap opened %lu times: %lu frames received, %lu checksum-valid checked\n",
		       ifs[i].name, ifs[i].tap_steps, ifs[i].tap_frames,
		       ifs[i].tap_checked);
	printf("oracle: %lu received frames marked checksum-valid with a bad checksum\n",
	       oracle_bad);
}

int main(int argc, char **argv)
{
	unsigned long n, steps = 1, step, cur = ULONG_MAX;
	unsigned int i, ncombo = 1;
	int c;

	while ((c = getopt(argc, argv, "i:s:n:c:FKvh")) != -1) {
		switch (c) {
		case 'c':
			for (i = 0; i < CL_NUM; i++)
				if (!strcmp(optarg, classes[i].name))
					break;
			if (i == CL_NUM)
				usage_error("unknown class \"%s\"", optarg);
			cfg.classes |= 1U << i;
			break;
		case 'i': {
			char *slash;

			if (nif == NIF_MAX)
				usage_error("at most %d devices", NIF_MAX);
			ifs[nif].spec = optarg;
			slash = strchr(optarg, '/');
			if (slash) {
				*slash = 0;
				ifs[nif].netns = optarg;
				optarg = slash + 1;
			}
			if (!*optarg || strlen(optarg) >= IF_NAMESIZE)
				usage_error("bad device name \"%s\"", optarg);
			snprintf(ifs[nif].name, sizeof(ifs[nif].name), "%s",
				 optarg);
			nif++;
			break;
		}
		case 's':
			cfg.seed = parse_ul("-s", optarg, ULONG_MAX);
			break;
		case 'n':
			cfg.count = parse_ul("-n", optarg, 100000000);
			break;
		case 'F':
			cfg.no_features = 1;
			break;
		case 'K':
			cfg.no_knobs = 1;
			break;
		case 'v':
			cfg.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return OSIM_EXIT_USAGE;
		}
	}
	if (optind != argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	if (!nif)
		usage_error("-i IFNAME is required");

	setup();
	rng_state = cfg.seed;

	/* Steps: every combination of the device with the most groups,
	 * COUNT frames spread evenly over them.
	 */
	if (!cfg.no_features)
		for (i = 0; i < nif; i++)
			if (1U << ifs[i].ngroups > ncombo)
				ncombo = 1U << ifs[i].ngroups;
	steps = ncombo;
	if (cfg.no_features && !cfg.no_knobs)
		steps = cfg.count / 16 ? cfg.count / 16 : 1;
	if (steps > cfg.count)
		steps = cfg.count ? cfg.count : 1;

	printf("osim_fuzz: seed %llu, %lu frames, %lu steps, devices:",
	       cfg.seed, cfg.count, steps);
	for (i = 0; i < nif; i++)
		printf(" %s%s%s (mtu %u)", ifs[i].netns ? ifs[i].netns : "",
		       ifs[i].netns ? "/" : "", ifs[i].name, ifs[i].mtu);
	printf("\n");
	fflush(stdout);

	for (n = 0; n < cfg.count; n++) {
		unsigned int di = rndn(nif);
		enum fclass cl;

		step = (unsigned long long)n * steps / cfg.count;
		if (step != cur) {
			cur = step;
			apply_step(step);
		}
		cl = pick_class();
		make_frame(&frm, cl, tally[cl].sent, &ifs[di],
			   &ifs[(di + 1) % nif]);
		send_frame(&ifs[di], cl, n);
		for (i = 0; i < nif; i++)
			tap_drain(&ifs[i]);
	}
	for (i = 0; i < nif; i++)
		tap_close(&ifs[i]);

	restore_all();
	report();
	return 0;
}
