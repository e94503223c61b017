/* SPDX-License-Identifier: GPL-2.0 */
/*
 * osim_tool.h - helpers shared by the offloadsim userspace tools
 * (osim_inject, osim_capcheck, osim_newlink) and selftests/osim_fuzz.
 *
 * A tool defines OSIM_PROG, its name as a string literal (the prefix of
 * its messages), and a "static void usage(FILE *f)" before it includes
 * this header.  All tools exit with OSIM_EXIT_USAGE on usage errors.
 */
#ifndef OSIM_TOOL_H
#define OSIM_TOOL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef OSIM_PROG
#error "define OSIM_PROG (the tool's name) before including osim_tool.h"
#endif

#define OSIM_EXIT_USAGE	2

/* TCP header flag bits (byte 13) */
#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_PSH	0x08
#define TCP_ACK	0x10
#define TCP_URG	0x20
#define TCP_ECE	0x40
#define TCP_CWR	0x80

static void usage(FILE *f);

/* "OSIM_PROG: <message>", then the usage on stderr; exit 2. */
static inline void __attribute__((format(printf, 1, 2), noreturn))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, OSIM_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(OSIM_EXIT_USAGE);
}

/*
 * Strict strtoul(): the whole of @s, any base prefix, no sign, at most @max.
 * Returns 0 and stores the value in @v, or -1.
 */
static inline int strict_strtoul(const char *s, unsigned long max,
				 unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || *v > max)
		return -1;
	return 0;
}

/* Option @opt's value @s, 0..@max, or a message and exit 2. */
static inline unsigned long parse_ul(const char *opt, const char *s,
				     unsigned long max)
{
	unsigned long v;

	if (strict_strtoul(s, max, &v)) {
		fprintf(stderr, OSIM_PROG ": invalid %s \"%s\" (0..%lu)\n",
			opt, s, max);
		exit(OSIM_EXIT_USAGE);
	}
	return v;
}

/* Big-endian (network order) loads and stores, any alignment. */
static inline unsigned int get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* ones' complement sum of big-endian 16-bit words, not folded */
static inline uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* Fold a csum_add() sum to 16 bits (not inverted). */
static inline unsigned int csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * Sum (not folded) of the TCP/UDP pseudo-header: addresses (@ipv6: 16
 * bytes each, else 4), L4 length @l4len and protocol @proto.
 */
static inline uint64_t pseudo_hdr_sum(const uint8_t *saddr,
				      const uint8_t *daddr, int ipv6,
				      unsigned int proto, size_t l4len)
{
	size_t alen = ipv6 ? 16 : 4;
	uint64_t sum;

	sum = csum_add(0, saddr, alen);
	sum = csum_add(sum, daddr, alen);
	if (ipv6)
		sum += (l4len >> 16) + (l4len & 0xffff);
	else
		sum += l4len;
	return sum + proto;
}

/* osim_inject's payload: the byte at sequence number (stream offset) @n */
static inline uint8_t payload_byte(uint32_t n)
{
	return (uint64_t)n * 7 % 251;
}

/*
 * A sendmsg() error no later frame can escape: the device or socket is
 * gone or unusable (as opposed to a refused frame: EINVAL, EMSGSIZE,
 * ENOBUFS ...).
 */
static inline int osim_errno_fatal(int err)
{
	switch (err) {
	case ENETDOWN:
	case ENXIO:
	case ENODEV:
	case EPERM:
	case EACCES:
	case EFAULT:
	case EBADF:
	case ENOTSOCK:
	case EDESTADDRREQ:
		return 1;
	}
	return 0;
}

#endif /* OSIM_TOOL_H */
