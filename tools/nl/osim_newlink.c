// SPDX-License-Identifier: GPL-2.0
/*
 * osim_newlink - send one raw RTM_NEWLINK request for an offloadsim (or
 * veth) pair and report the kernel's answer, extack message included.
 *
 * Selftests use it for requests that ip(8) refuses client-side, such as
 * an over-long peer name.  Strings go out as NLA_STRING exactly as given,
 * with their terminating NUL, however long they are.
 *
 * Usage: osim_newlink [--name NAME] [--mtu N] [--peer-name NAME]
 *                     [--peer-mtu N] [--kind KIND]
 *
 * IFLA_INFO_DATA/OSIM_INFO_PEER is only sent when a --peer-* option is
 * given, like "ip link add ... type offloadsim" without "peer".
 *
 * Prints "ok" or "error: -ERRNO (strerror)[: extack message]" on stdout.
 * Exit status: 0 kernel accepted, 1 kernel rejected, 2 usage error,
 * 3 local failure (socket, send, recv, malformed reply).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define OSIM_PROG	"osim_newlink"
#include "../lib/osim_tool.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define OSIM_INFO_PEER	1	/* == VETH_INFO_PEER */

#define MAX_STR_LEN	4096	/* keeps every (nested) rta_len below 64k */
#define REQ_SIZE	16384

enum { EXIT_OK, EXIT_KERNEL, EXIT_USAGE, EXIT_LOCAL };

static union {
	struct nlmsghdr n;
	char buf[REQ_SIZE];
} req;

static union {
	struct nlmsghdr n;
	char buf[65536];
} resp;

/* --name/--mtu, or --peer-name/--peer-mtu */
struct link_opts {
	const char *name;
	unsigned int mtu;
	int has_mtu;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: osim_newlink [--name NAME] [--mtu N] [--peer-name NAME]\n"
		"                    [--peer-mtu N] [--kind KIND]\n"
		"Send RTM_NEWLINK (CREATE|EXCL|ACK, extended ack) for a device pair;\n"
		"KIND defaults to offloadsim. Prints \"ok\" or \"error: -ERRNO (...): MSG\".\n");
}

static void *nl_tail(struct nlmsghdr *n)
{
	return (char *)n + NLMSG_ALIGN(n->nlmsg_len);
}

static struct rtattr *put_attr(struct nlmsghdr *n, unsigned short type,
			       const void *data, size_t len)
{
	struct rtattr *rta = nl_tail(n);
	size_t newlen = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(RTA_LENGTH(len));

	if (newlen > sizeof(req)) {
		fprintf(stderr, "osim_newlink: request too large\n");
		exit(EXIT_USAGE);
	}
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = newlen;
	return rta;
}

static struct rtattr *nest_start(struct nlmsghdr *n, unsigned short type)
{
	return put_attr(n, type, NULL, 0);
}

static void nest_end(struct nlmsghdr *n, struct rtattr *nest)
{
	nest->rta_len = (char *)nl_tail(n) - (char *)nest;
}

static void put_str(struct nlmsghdr *n, unsigned short type, const char *s)
{
	put_attr(n, type, s, strlen(s) + 1);
}

static void put_u32(struct nlmsghdr *n, unsigned short type, unsigned int v)
{
	put_attr(n, type, &v, sizeof(v));
}

static void parse_mtu(struct link_opts *lo, const char *opt, const char *s)
{
	unsigned long v;

	if (strict_strtoul(s, UINT_MAX, &v)) {
		fprintf(stderr, "osim_newlink: invalid %s \"%s\"\n", opt, s);
		exit(EXIT_USAGE);
	}
	lo->mtu = v;
	lo->has_mtu = 1;
}

static const char *check_str(const char *opt, const char *s)
{
	if (strlen(s) > MAX_STR_LEN) {
		fprintf(stderr, "osim_newlink: %s longer than %d bytes\n",
			opt, MAX_STR_LEN);
		exit(EXIT_USAGE);
	}
	return s;
}

/* IFLA_IFNAME and IFLA_MTU of one device, those that were given */
static void put_link_opts(struct nlmsghdr *n, const struct link_opts *lo)
{
	if (lo->name)
		put_str(n, IFLA_IFNAME, lo->name);
	if (lo->has_mtu)
		put_u32(n, IFLA_MTU, lo->mtu);
}

/* Find NLMSGERR_ATTR_MSG in an NLMSG_ERROR reply of @len bytes. */
static const char *extack_msg(struct nlmsghdr *h, size_t len)
{
	struct nlmsgerr *err = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*err);
	struct rtattr *rta;
	int rem;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* the request is echoed back in full unless the ack is capped */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (off >= len)
		return NULL;

	rta = (struct rtattr *)((char *)h + off);
	rem = len - off;
	for (; RTA_OK(rta, rem); rta = RTA_NEXT(rta, rem)) {
		const char *msg = RTA_DATA(rta);
		size_t mlen = RTA_PAYLOAD(rta);

		if ((rta->rta_type & NLA_TYPE_MASK) != NLMSGERR_ATTR_MSG)
			continue;
		if (!mlen || memchr(msg, '\0', mlen) == NULL)
			return NULL;
		return msg;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",	required_argument, NULL, 'n' },
		{ "mtu",	required_argument, NULL, 'm' },
		{ "peer-name",	required_argument, NULL, 'N' },
		{ "peer-mtu",	required_argument, NULL, 'M' },
		{ "kind",	required_argument, NULL, 'k' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL,		0,		   NULL, 0 },
	};
	struct link_opts dev = { 0 }, peer_dev = { 0 };
	const char *kind = "offloadsim";
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct rtattr *linkinfo, *data, *peer;
	struct ifinfomsg *ifm;
	unsigned int seq;
	int fd, c, one = 1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			dev.name = check_str("--name", optarg);
			break;
		case 'm':
			parse_mtu(&dev, "--mtu", optarg);
			break;
		case 'N':
			peer_dev.name = check_str("--peer-name", optarg);
			break;
		case 'M':
			parse_mtu(&peer_dev, "--peer-mtu", optarg);
			break;
		case 'k':
			kind = check_str("--kind", optarg);
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

	seq = (unsigned int)getpid();
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifm));
	req.n.nlmsg_type = RTM_NEWLINK;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			    NLM_F_EXCL;
	req.n.nlmsg_seq = seq;
	ifm = NLMSG_DATA(&req.n);
	ifm->ifi_family = AF_UNSPEC;

	put_link_opts(&req.n, &dev);

	linkinfo = nest_start(&req.n, IFLA_LINKINFO);
	put_str(&req.n, IFLA_INFO_KIND, kind);
	if (peer_dev.name || peer_dev.has_mtu) {
		data = nest_start(&req.n, IFLA_INFO_DATA);
		peer = nest_start(&req.n, OSIM_INFO_PEER);
		/* struct ifinfomsg for the peer, then its IFLA_* attributes */
		req.n.nlmsg_len += NLMSG_ALIGN(sizeof(struct ifinfomsg));
		put_link_opts(&req.n, &peer_dev);
		nest_end(&req.n, peer);
		nest_end(&req.n, data);
	}
	nest_end(&req.n, linkinfo);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		perror("osim_newlink: socket");
		return EXIT_LOCAL;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		perror("osim_newlink: warning: NETLINK_EXT_ACK");
	/* no need to get the request echoed back; optional */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != (ssize_t)req.n.nlmsg_len) {
		perror("osim_newlink: sendto");
		return EXIT_LOCAL;
	}

	for (;;) {
		struct nlmsghdr *h;
		ssize_t len;
		int rem;

		len = recv(fd, &resp, sizeof(resp), MSG_TRUNC);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			perror("osim_newlink: recv");
			return EXIT_LOCAL;
		}
		if ((size_t)len > sizeof(resp)) {
			fprintf(stderr, "osim_newlink: reply truncated\n");
			return EXIT_LOCAL;
		}

		rem = len;
		for (h = &resp.n; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			struct nlmsgerr *err = NLMSG_DATA(h);
			const char *msg;

			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*err))) {
				fprintf(stderr, "osim_newlink: short NLMSG_ERROR\n");
				return EXIT_LOCAL;
			}
			if (!err->error) {
				printf("ok\n");
				return EXIT_OK;
			}
			msg = extack_msg(h, h->nlmsg_len);
			printf("error: %d (%s)", err->error, strerror(-err->error));
			if (msg)
				printf(": %s", msg);
			printf("\n");
			return EXIT_KERNEL;
		}
	}
}
