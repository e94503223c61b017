// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: receive side scaling (rss.c). The Toeplitz hash, bitwise
 * (osim_toeplitz()) and by nibble table (osim_rss_set_key() +
 * osim_rss_toeplitz()), against Microsoft's published verification
 * vectors, and osim_rss_hash() on whole frames built from them.
 *
 * The key and vectors are Microsoft's, "Verifying the RSS Hash
 * Calculation":
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/network/verifying-the-rss-hash-calculation
 * (the same table is in Intel's 82599 datasheet, 7.1.2.8.3). The hash
 * input is source address, destination address, source port, destination
 * port, in network byte order; "IPv4"/"IPv6" hash the addresses only.
 * Each value here was checked against selftests/toeplitz.py, an
 * independent implementation ("toeplitz.py selftest").
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "../offloadsim.h"
#include "osim_kunit.h"

static const u8 osim_ms_key[OSIM_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct osim_ms_vector {
	const char	*src;
	u16		sport;
	const char	*dst;
	u16		dport;
	u32		l3;	/* "IPv4" / "IPv6": addresses only */
	u32		l4;	/* "IPv4 with TCP" / "IPv6 with TCP" */
} osim_ms_vectors[] = {
	{ "66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178 },
	{ "199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea },
	{ "24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a },
	{ "38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f },
	{ "153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2 },
	{ "3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
	  "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef },
};

/* The vector's addresses, ports and family. */
static bool osim_ms_parse(struct kunit *test, const struct osim_ms_vector *v,
			  struct in6_addr *src, struct in6_addr *dst)
{
	bool ipv6 = strchr(v->src, ':');

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (ipv6) {
		KUNIT_ASSERT_TRUE(test, in6_pton(v->src, -1, src->s6_addr, -1, NULL));
		KUNIT_ASSERT_TRUE(test, in6_pton(v->dst, -1, dst->s6_addr, -1, NULL));
	} else {
		KUNIT_ASSERT_TRUE(test, in4_pton(v->src, -1, src->s6_addr, -1, NULL));
		KUNIT_ASSERT_TRUE(test, in4_pton(v->dst, -1, dst->s6_addr, -1, NULL));
	}
	return ipv6;
}

/* The hash input of @v: addresses, then (with @ports) ports. */
static unsigned int osim_ms_input(struct kunit *test,
				  const struct osim_ms_vector *v, bool ports,
				  u8 *in)
{
	struct in6_addr src, dst;
	unsigned int alen;

	alen = osim_ms_parse(test, v, &src, &dst) ? 16 : 4;
	memcpy(in, src.s6_addr, alen);
	memcpy(in + alen, dst.s6_addr, alen);
	if (!ports)
		return 2 * alen;
	in[2 * alen] = v->sport >> 8;
	in[2 * alen + 1] = v->sport;
	in[2 * alen + 2] = v->dport >> 8;
	in[2 * alen + 3] = v->dport;
	return 2 * alen + 4;
}

/* The bitwise reference gives Microsoft's values. */
static void osim_rss_ms_bitwise(struct kunit *test)
{
	u8 in[OSIM_RSS_INPUT_MAX];
	unsigned int i, len;

	for (i = 0; i < ARRAY_SIZE(osim_ms_vectors); i++) {
		const struct osim_ms_vector *v = &osim_ms_vectors[i];

		len = osim_ms_input(test, v, false, in);
		KUNIT_EXPECT_EQ_MSG(test, osim_toeplitz(osim_ms_key, in, len),
				    v->l3, "%s -> %s", v->src, v->dst);
		len = osim_ms_input(test, v, true, in);
		KUNIT_EXPECT_EQ_MSG(test, osim_toeplitz(osim_ms_key, in, len),
				    v->l4, "%s:%u -> %s:%u", v->src, v->sport,
				    v->dst, v->dport);
	}
}

/* The per-nibble tables osim_rss_set_key() derives give the same. */
static void osim_rss_ms_table(struct kunit *test)
{
	struct osim_rss *rss = kunit_kzalloc(test, sizeof(*rss), GFP_KERNEL);
	u8 in[OSIM_RSS_INPUT_MAX];
	unsigned int i, len;

	KUNIT_ASSERT_NOT_NULL(test, rss);
	osim_rss_set_key(rss, osim_ms_key);
	KUNIT_EXPECT_EQ(test, memcmp(rss->key, osim_ms_key, sizeof(osim_ms_key)), 0);
	for (i = 0; i < ARRAY_SIZE(osim_ms_vectors); i++) {
		const struct osim_ms_vector *v = &osim_ms_vectors[i];

		len = osim_ms_input(test, v, false, in);
		KUNIT_EXPECT_EQ_MSG(test, osim_rss_toeplitz(rss, in, len), v->l3,
				    "%s -> %s", v->src, v->dst);
		len = osim_ms_input(test, v, true, in);
		KUNIT_EXPECT_EQ_MSG(test, osim_rss_toeplitz(rss, in, len), v->l4,
				    "%s:%u -> %s:%u", v->src, v->sport,
				    v->dst, v->dport);
	}
}

/* Table and bitwise agree for other keys and every input length. */
static void osim_rss_table_vs_bitwise(struct kunit *test)
{
	struct osim_rss *rss = kunit_kzalloc(test, sizeof(*rss), GFP_KERNEL);
	u8 key[OSIM_RSS_KEY_SIZE], in[OSIM_RSS_INPUT_MAX];
	unsigned int k, i, len;
	u32 x = 0x12345678;

	KUNIT_ASSERT_NOT_NULL(test, rss);
	for (k = 0; k < 4; k++) {
		/* xorshift32: deterministic, not a pattern the hash likes */
		for (i = 0; i < sizeof(key); i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			key[i] = k == 3 ? 0xff : x;
		}
		osim_rss_set_key(rss, key);
		for (len = 0; len <= OSIM_RSS_INPUT_MAX; len++) {
			for (i = 0; i < len; i++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				in[i] = x;
			}
			KUNIT_EXPECT_EQ_MSG(test, osim_rss_toeplitz(rss, in, len),
					    osim_toeplitz(key, in, len),
					    "key %u, %u input bytes", k, len);
		}
	}
}

/* A frame carrying vector @v. */
static struct sk_buff *osim_rss_frame(struct kunit *test,
				      const struct osim_ms_vector *v, u8 proto,
				      bool vlan, u16 frag)
{
	struct osim_kt_pkt p = {
		.proto	= proto,
		.sport	= v->sport,
		.dport	= v->dport,
		.vlan	= vlan,
		.frag	= frag,
		.len	= 20,
		.flags	= TCPHDR_ACK,
	};
	struct sk_buff *skb;

	p.ipv6 = osim_ms_parse(test, v, &p.saddr, &p.daddr);
	skb = osim_kt_build(test, &p);
	osim_kt_trash(test, skb);
	return skb;
}

/* osim_rss_hash() on frames: the 4-tuple for TCP and UDP while their flow
 * type hashes ports (the default), the addresses when it does not, for
 * IPv4 fragments and other protocols; through a VLAN tag; nothing for
 * what is not IP.
 */
static void osim_rss_hash_frames(struct kunit *test)
{
	struct osim_rss *rss = kunit_kzalloc(test, sizeof(*rss), GFP_KERNEL);
	enum pkt_hash_types type;
	struct sk_buff *skb;
	unsigned int i;
	u32 hash;

	KUNIT_ASSERT_NOT_NULL(test, rss);
	osim_rss_set_key(rss, osim_ms_key);
	rss->l4_flows = BIT(TCP_V4_FLOW) | BIT(UDP_V4_FLOW) |
			BIT(TCP_V6_FLOW) | BIT(UDP_V6_FLOW);

	for (i = 0; i < ARRAY_SIZE(osim_ms_vectors); i++) {
		const struct osim_ms_vector *v = &osim_ms_vectors[i];
		bool ipv6 = strchr(v->src, ':');

		skb = osim_rss_frame(test, v, IPPROTO_TCP, false, 0);
		hash = osim_rss_hash(rss, skb, &type);
		KUNIT_EXPECT_EQ_MSG(test, hash, v->l4, "TCP %s", v->src);
		KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_L4);

		skb = osim_rss_frame(test, v, IPPROTO_UDP, true, 0);
		hash = osim_rss_hash(rss, skb, &type);
		KUNIT_EXPECT_EQ_MSG(test, hash, v->l4, "UDP, VLAN %s", v->src);
		KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_L4);

		skb = osim_rss_frame(test, v, IPPROTO_ICMP, false, 0);
		hash = osim_rss_hash(rss, skb, &type);
		KUNIT_EXPECT_EQ_MSG(test, hash, v->l3, "ICMP %s", v->src);
		KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_L3);

		if (!ipv6) {
			skb = osim_rss_frame(test, v, IPPROTO_TCP, false, IP_MF);
			hash = osim_rss_hash(rss, skb, &type);
			KUNIT_EXPECT_EQ_MSG(test, hash, v->l3, "fragment %s",
					    v->src);
			KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_L3);
		}

		/* ethtool -N rx-flow-hash tcp4/tcp6 sd */
		rss->l4_flows &= ~BIT(ipv6 ? TCP_V6_FLOW : TCP_V4_FLOW);
		skb = osim_rss_frame(test, v, IPPROTO_TCP, false, 0);
		hash = osim_rss_hash(rss, skb, &type);
		KUNIT_EXPECT_EQ_MSG(test, hash, v->l3, "TCP sd %s", v->src);
		KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_L3);
		rss->l4_flows |= BIT(ipv6 ? TCP_V6_FLOW : TCP_V4_FLOW);
	}

	skb = osim_rss_frame(test, &osim_ms_vectors[0], IPPROTO_TCP, false, 0);
	((struct ethhdr *)skb->data)->h_proto = htons(ETH_P_ARP);
	KUNIT_EXPECT_EQ(test, osim_rss_hash(rss, skb, &type), 0);
	KUNIT_EXPECT_EQ(test, type, PKT_HASH_TYPE_NONE);
}

static struct kunit_case osim_rss_cases[] = {
	KUNIT_CASE(osim_rss_ms_bitwise),
	KUNIT_CASE(osim_rss_ms_table),
	KUNIT_CASE(osim_rss_table_vs_bitwise),
	KUNIT_CASE(osim_rss_hash_frames),
	{}
};

static int osim_rss_kt_init(struct kunit *test)
{
	return osim_kt_init(test, sizeof(struct osim_kt));
}

static struct kunit_suite osim_rss_suite = {
	.name		= "osim_rss",
	.init		= osim_rss_kt_init,
	.exit		= osim_kt_exit,
	.test_cases	= osim_rss_cases,
};

kunit_test_suite(osim_rss_suite);
