// SPDX-License-Identifier: GPL-2.0
/*
 * osim_rxhash - print the receive hash (skb->hash) of the IPv4/IPv6 TCP
 * and UDP frames a device receives, to compare the RSS hash a driver set
 * with a Toeplitz reference (selftests/toeplitz.py).
 *
 * Usage: osim_rxhash -i IFNAME [-n COUNT] [-t TIMEOUT_MS] [-p PORT]
 *                    [-r READY_FILE]
 *
 * The capture is a TPACKET_V3 PACKET_RX_RING on an AF_PACKET socket
 * (ETH_P_ALL) bound to IFNAME in the current network namespace, with
 * tp_feature_req_word = TP_FT_REQ_FILL_RXHASH: af_packet then stores
 * skb_get_hash() of every frame in tpacket3_hdr.hv1.tp_rxhash.  Note that
 * skb_get_hash() keeps a hash the driver set as L4 (or a software hash),
 * but replaces an L3-only or missing one with the stack's own flow hash.
 *
 * Only received frames are looked at (not what the host sends).  A frame
 * is printed when it is IPv4 (not a fragment) or IPv6 whose next header is
 * TCP or UDP directly, one 802.1Q/802.1ad tag (in-band or offloaded)
 * allowed, and, with -p, PORT is its source or destination port:
 *
 *   proto=udp4 src=192.0.2.1 dst=192.0.2.2 sport=1000 dport=2000 rxhash=0x1234abcd
 *
 * proto is one of tcp4 udp4 tcp6 udp6.  Other frames are skipped.
 *
 * The capture stops after COUNT printed frames (-n, default 0: no limit),
 * after TIMEOUT_MS milliseconds (-t, default 0: no limit), or on SIGINT or
 * SIGTERM.  -r creates READY_FILE once the ring captures, for scripts that
 * start the capture in the background.  At the end one line on stderr
 * gives the frames printed and those the ring dropped.
 *
 * Exit status: 0 done (COUNT frames printed, or no COUNT given and the
 * timeout or a signal ended the capture), 1 the timeout or a signal came
 * before COUNT frames, 2 usage error, 3 socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#define OSIM_PROG	"osim_rxhash"
#include "../lib/osim_tool.h"

#define BLOCK_SIZE	(1 << 18)	/* a multiple of the page size */
#define BLOCK_NR	16
#define FRAME_SIZE	2048
#define BLOCK_TOV_MS	10		/* retire a partly filled block */

enum { EXIT_OK, EXIT_SHORT, EXIT_USAGE, EXIT_SOCKET };

static struct {
	const char *dev;
	unsigned long count;
	unsigned long timeout_ms;
	int port;		/* -1: any */
	const char *ready;
} cfg = {
	.port = -1,
};

static unsigned long printed;
static volatile sig_atomic_t stop;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: osim_rxhash -i IFNAME [-n COUNT] [-t TIMEOUT_MS] [-p PORT]\n"
		"                   [-r READY_FILE]\n"
		"Capture the IPv4/IPv6 TCP/UDP frames IFNAME receives with a TPACKET_V3\n"
		"ring (TP_FT_REQ_FILL_RXHASH) and print one line per frame:\n"
		"  proto=udp4 src=IP dst=IP sport=N dport=N rxhash=0xXXXXXXXX\n"
		"  -n COUNT       stop after COUNT frames (default: no limit)\n"
		"  -t TIMEOUT_MS  stop after TIMEOUT_MS milliseconds (default: no limit)\n"
		"  -p PORT        only frames with PORT as source or destination port\n"
		"  -r FILE        create FILE once the capture runs\n"
		"Exit: 0 done, 1 timeout before COUNT frames, 2 usage, 3 socket error.\n");
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Print frame @p (@len captured bytes from the MAC header) if it qualifies. */
static void handle_frame(const uint8_t *p, size_t len, uint32_t rxhash)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const uint8_t *ip, *l4;
	unsigned int etype, proto, ihl, sport, dport;
	size_t off = 12;
	int ipv6;

	if (len < ETH_HLEN)
		return;
	etype = get16(p + off);
	if (etype == ETH_P_8021Q || etype == ETH_P_8021AD) {
		if (len < ETH_HLEN + 4)
			return;
		off += 4;
		etype = get16(p + off);
	}
	off += 2;
	ip = p + off;
	len -= off;

	if (etype == ETH_P_IP) {
		if (len < 20 || ip[0] >> 4 != 4)
			return;
		ihl = (ip[0] & 0xf) * 4;
		if (ihl < 20 || len < ihl + 4)
			return;
		if (get16(ip + 6) & 0x3fff)	/* MF or a fragment offset */
			return;
		proto = ip[9];
		l4 = ip + ihl;
		ipv6 = 0;
		inet_ntop(AF_INET, ip + 12, src, sizeof(src));
		inet_ntop(AF_INET, ip + 16, dst, sizeof(dst));
	} else if (etype == ETH_P_IPV6) {
		if (len < 40 + 4 || ip[0] >> 4 != 6)
			return;
		proto = ip[6];
		l4 = ip + 40;
		ipv6 = 1;
		inet_ntop(AF_INET6, ip + 8, src, sizeof(src));
		inet_ntop(AF_INET6, ip + 24, dst, sizeof(dst));
	} else {
		return;
	}
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return;

	sport = get16(l4);
	dport = get16(l4 + 2);
	if (cfg.port >= 0 && sport != (unsigned int)cfg.port &&
	    dport != (unsigned int)cfg.port)
		return;

	printf("proto=%s%c src=%s dst=%s sport=%u dport=%u rxhash=0x%08x\n",
	       proto == IPPROTO_TCP ? "tcp" : "udp", ipv6 ? '6' : '4',
	       src, dst, sport, dport, rxhash);
	printed++;
}

/* Walk the frames of one retired block. */
static void handle_block(struct tpacket_block_desc *bd)
{
	struct tpacket3_hdr *h;
	unsigned int i, n = bd->hdr.bh1.num_pkts;

	h = (struct tpacket3_hdr *)((uint8_t *)bd +
				    bd->hdr.bh1.offset_to_first_pkt);
	for (i = 0; i < n; i++) {
		const struct sockaddr_ll *sll;

		sll = (const struct sockaddr_ll *)((uint8_t *)h +
			TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
		/* an offloaded VLAN tag is not in the frame: nothing to skip */
		if (sll->sll_pkttype != PACKET_OUTGOING &&
		    (!cfg.count || printed < cfg.count))
			handle_frame((uint8_t *)h + h->tp_mac, h->tp_snaplen,
				     h->hv1.tp_rxhash);
		h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
}

static int open_ring(unsigned int ifindex, void **ring)
{
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_NR,
		.tp_retire_blk_tov = BLOCK_TOV_MS,
		.tp_feature_req_word = TP_FT_REQ_FILL_RXHASH,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int fd, ver = TPACKET_V3;

	/* protocol 0 until bound: no frames of other devices sneak in */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror(OSIM_PROG ": socket(AF_PACKET)");
		return -1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver))) {
		perror(OSIM_PROG ": PACKET_VERSION TPACKET_V3");
		goto err;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req))) {
		perror(OSIM_PROG ": PACKET_RX_RING");
		goto err;
	}
	*ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_LOCKED, fd, 0);
	if (*ring == MAP_FAILED) {
		/* MAP_LOCKED may exceed RLIMIT_MEMLOCK: it is not needed */
		*ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR,
			     PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (*ring == MAP_FAILED) {
			perror(OSIM_PROG ": mmap");
			goto err;
		}
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror(OSIM_PROG ": bind");
		goto err;
	}
	return fd;
err:
	close(fd);
	return -1;
}

static void print_drops(int fd)
{
	struct tpacket_stats_v3 st;
	socklen_t sl = sizeof(st);

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl)) {
		perror(OSIM_PROG ": PACKET_STATISTICS");
		return;
	}
	fprintf(stderr, OSIM_PROG ": %lu frames printed, %u dropped by the ring\n",
		printed, st.tp_drops);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t deadline = 0;
	unsigned int ifindex, blk = 0;
	void *ring;
	int fd, c, ret;

	while ((c = getopt(argc, argv, "hi:n:t:p:r:")) != -1) {
		switch (c) {
		case 'i':
			cfg.dev = optarg;
			break;
		case 'n':
			cfg.count = parse_ul("-n", optarg, ULONG_MAX);
			break;
		case 't':
			cfg.timeout_ms = parse_ul("-t", optarg, 24UL * 3600 * 1000);
			break;
		case 'p':
			cfg.port = parse_ul("-p", optarg, 0xffff);
			break;
		case 'r':
			cfg.ready = optarg;
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
		usage_error("-i IFNAME is required");
	ifindex = if_nametoindex(cfg.dev);
	if (!ifindex) {
		fprintf(stderr, OSIM_PROG ": no device \"%s\"\n", cfg.dev);
		return EXIT_SOCKET;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open_ring(ifindex, &ring);
	if (fd < 0)
		return EXIT_SOCKET;
	if (cfg.ready) {
		int rfd = open(cfg.ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (rfd < 0) {
			fprintf(stderr, OSIM_PROG ": %s: %s\n", cfg.ready,
				strerror(errno));
			return EXIT_SOCKET;
		}
		close(rfd);
	}
	if (cfg.timeout_ms)
		deadline = now_ms() + cfg.timeout_ms;

	while (!stop && (!cfg.count || printed < cfg.count)) {
		struct tpacket_block_desc *bd;
		struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLERR };
		int wait = 100;

		bd = (struct tpacket_block_desc *)((uint8_t *)ring +
						   (size_t)blk * BLOCK_SIZE);
		if (__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		    TP_STATUS_USER) {
			handle_block(bd);
			__atomic_store_n(&bd->hdr.bh1.block_status,
					 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
			blk = (blk + 1) % BLOCK_NR;
			continue;
		}
		if (deadline) {
			uint64_t t = now_ms();

			if (t >= deadline)
				break;
			if (deadline - t < (uint64_t)wait)
				wait = deadline - t;
		}
		ret = poll(&pfd, 1, wait);
		if (ret < 0 && errno != EINTR) {
			perror(OSIM_PROG ": poll");
			return EXIT_SOCKET;
		}
		if (ret > 0 && (pfd.revents & (POLLERR | POLLNVAL))) {
			fprintf(stderr, OSIM_PROG ": socket error on %s\n",
				cfg.dev);
			return EXIT_SOCKET;
		}
	}

	print_drops(fd);
	munmap(ring, (size_t)BLOCK_SIZE * BLOCK_NR);
	close(fd);
	if (cfg.count && printed < cfg.count)
		return EXIT_SHORT;
	return EXIT_OK;
}
