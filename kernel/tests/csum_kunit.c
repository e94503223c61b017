// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the checksum engines.
 *
 * osim_csum: csum.c, the transmit side. osim_csum_store() sums from
 * csum_start to the end into the field at csum_offset (0 kept, or sent as
 * 0xffff), osim_csum_complete() is TX checksum offload with its bounds,
 * osim_csum_settle() pays the checksum a segmentation engine frame owes:
 * TCP keeps a checksum of 0, UDP sends it as 0xffff (RFC 768).
 *
 * osim_rx_csum: rxcsum.c, the receive side's verdict and counters.
 *
 * Expected values come from a plain ones' complement sum over the bytes
 * (osim_kt_sum()), never from the kernel's csum_*() helpers.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "../offloadsim.h"
#include "osim_kunit.h"

static int osim_csum_kt_init(struct kunit *test)
{
	return osim_kt_init(test, sizeof(struct osim_kt));
}

/* A CHECKSUM_PARTIAL skb of @len bytes of which the first @linear are in
 * the linear area and the rest in one page frag at an odd page offset;
 * the sum starts at @start, the field at @start + @offset holds @seed.
 */
static struct sk_buff *osim_csum_skb(struct kunit *test, unsigned int len,
				     unsigned int linear, unsigned int start,
				     unsigned int offset, u16 seed)
{
	struct sk_buff *skb;
	unsigned int i;
	u8 *d;

	skb = alloc_skb(NET_SKB_PAD + linear, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	osim_kt_trash(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	d = skb_put(skb, linear);
	for (i = 0; i < linear; i++)
		d[i] = osim_kt_byte(i * 13 + len);
	if (len > linear) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		d = page_address(page);
		for (i = linear; i < len; i++)
			d[i - linear + 1] = osim_kt_byte(i * 13 + len);
		skb_add_rx_frag(skb, 0, page, 1, len - linear, PAGE_SIZE);
	}
	KUNIT_ASSERT_LE(test, start + offset + 2, linear);
	d = skb->data + start + offset;
	d[0] = seed >> 8;
	d[1] = seed;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->data + start - skb->head;
	skb->csum_offset = offset;
	return skb;
}

/* What the field at @start + @offset must hold after a store. */
static u16 osim_csum_expect(const struct sk_buff *skb, unsigned int start,
			    bool keep_zero)
{
	u16 c = ~osim_kt_fold(osim_kt_sum_skb(0, skb, start, skb->len - start));

	return (c || keep_zero) ? c : 0xffff;
}

/* One osim_csum_store() of @len bytes, the sum from @start, the field at
 * @start + @off, the first @lin bytes linear.
 */
static void osim_csum_store_one(struct kunit *test, unsigned int len,
				unsigned int lin, unsigned int start,
				unsigned int off)
{
	struct sk_buff *skb;
	u16 want;

	skb = osim_csum_skb(test, len, lin, start, off, 0x1234 + len);
	want = osim_csum_expect(skb, start, false);
	osim_csum_store(skb, false);
	KUNIT_EXPECT_EQ_MSG(test, osim_kt_get16(skb->data + start + off), want,
			    "start %u len %u field at %u linear %u",
			    start, len, off, lin);
	KUNIT_EXPECT_EQ(test, osim_kt_summed(skb), CHECKSUM_NONE);
}

/* Every length from 2 to 71 bytes past csum_start (odd ones included),
 * three starts (one odd), the field first, in the middle and last; all
 * linear, then with the tail in a page frag.
 */
static void osim_csum_store_lengths(struct kunit *test)
{
	static const unsigned int starts[] = { 14, 34, 35 };
	unsigned int s, n, k, start, len, lin;

	for (s = 0; s < ARRAY_SIZE(starts); s++) {
		for (n = 2; n < 72; n++) {
			unsigned int offs[3] = { 0, (n - 2) / 2, n - 2 };

			start = starts[s];
			len = start + n;
			for (k = 0; k < 3; k++) {
				osim_csum_store_one(test, len, len, start, offs[k]);
				lin = min(len, start + offs[k] + 2 + 3);
				osim_csum_store_one(test, len, lin, start, offs[k]);
			}
		}
	}
}

/* Add @v to the 16-bit word at @p, ones' complement. */
static void osim_csum_add16(u8 *p, u16 v)
{
	u16 w = osim_kt_fold(osim_kt_get16(p) + v);

	p[0] = w >> 8;
	p[1] = w;
}

/* Make the sum from @start to the end fold to 0xffff (a checksum of 0)
 * by adjusting the 16-bit word at @word (an even distance from @start).
 */
static void osim_csum_make_zero(struct kunit *test, struct sk_buff *skb,
				unsigned int start, unsigned int word)
{
	u16 t = osim_kt_fold(osim_kt_sum_skb(0, skb, start, skb->len - start));

	osim_csum_add16(skb->data + word, ~t);
	KUNIT_ASSERT_EQ(test, osim_kt_fold(osim_kt_sum_skb(0, skb, start,
							   skb->len - start)),
			0xffff);
}

/* A sum of 0xffff is a checksum of 0: kept, or sent as 0xffff. All-zero
 * bytes sum to 0, whose checksum is 0xffff either way.
 */
static void osim_csum_store_zero(struct kunit *test)
{
	struct sk_buff *skb;
	unsigned int keep;

	for (keep = 0; keep < 2; keep++) {
		skb = osim_csum_skb(test, 61, 61, 20, 6, 0x4321);
		osim_csum_make_zero(test, skb, 20, 40);
		osim_csum_store(skb, keep);
		KUNIT_EXPECT_EQ_MSG(test, osim_kt_get16(skb->data + 26),
				    keep ? 0 : 0xffff, "keep_zero %u", keep);

		skb = osim_csum_skb(test, 30, 30, 10, 4, 0);
		memset(skb->data + 10, 0, 20);
		osim_csum_store(skb, keep);
		KUNIT_EXPECT_EQ_MSG(test, osim_kt_get16(skb->data + 14), 0xffff,
				    "all zero, keep_zero %u", keep);
	}
}

static const struct osim_kt_pkt osim_csum_tcp4 = {
	.proto		= IPPROTO_TCP,
	.sport		= 40000,
	.dport		= 80,
	.seq		= 1,
	.flags		= TCPHDR_ACK,
	.df		= true,
};

/* TX checksum offload of real frames, odd payload lengths included. */
static void osim_csum_complete_frames(struct kunit *test)
{
	static const u32 lens[] = { 0, 1, 3, 100, 1001, 1448 };
	struct osim_kt_pkt p = osim_csum_tcp4;
	unsigned int i, v;

	p.csum = OSIM_KT_CSUM_PARTIAL;
	for (v = 0; v < 4; v++) {
		p.ipv6 = v & 1;
		p.proto = v & 2 ? IPPROTO_UDP : IPPROTO_TCP;
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			struct sk_buff *skb;
			unsigned int nh;

			p.len = lens[i];
			p.nfrags = lens[i] > 100;
			skb = osim_kt_build(test, &p);
			osim_kt_trash(test, skb);
			nh = skb_network_offset(skb);
			KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), 0);
			KUNIT_EXPECT_EQ(test, osim_kt_summed(skb), CHECKSUM_NONE);
			KUNIT_EXPECT_TRUE_MSG(test, osim_kt_l4_csum_ok(skb, nh),
					      "IPv%d %s payload %u",
					      p.ipv6 ? 6 : 4,
					      p.proto == IPPROTO_UDP ? "UDP" : "TCP",
					      p.len);
		}
	}
}

/* Offsets outside the frame are refused; the last two bytes are fine. */
static void osim_csum_complete_bounds(struct kunit *test)
{
	struct sk_buff *skb;

	skb = osim_csum_skb(test, 40, 40, 20, 0, 0);
	skb->csum_start = skb->data + 40 - skb->head;
	KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), -EINVAL);

	skb = osim_csum_skb(test, 40, 40, 20, 0, 0);
	skb->csum_offset = 19;
	KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), -EINVAL);

	skb = osim_csum_skb(test, 40, 40, 20, 0, 0);
	skb->csum_start = skb->data - 2 - skb->head;
	KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), -EINVAL);

	/* With no seed (pseudo-header sum), the bytes then sum to 0xffff. */
	skb = osim_csum_skb(test, 40, 40, 20, 18, 0);
	KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), 0);
	KUNIT_EXPECT_EQ(test, osim_kt_fold(osim_kt_sum(0, skb->data + 20, 20)),
			0xffff);
}

/* The field of a frame whose header a clone shares is written to a copy:
 * the clone (TCP's retransmit queue) keeps its bytes.
 */
static void osim_csum_complete_clone(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb, *clone;
	unsigned int nh;
	u16 before;

	p.len = 500;
	p.csum = OSIM_KT_CSUM_PARTIAL;
	skb = osim_kt_build(test, &p);
	osim_kt_trash(test, skb);
	clone = skb_clone(skb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	osim_kt_trash(test, clone);
	nh = skb_network_offset(skb);
	before = osim_kt_get16(skb_checksum_start(clone) + clone->csum_offset);

	KUNIT_EXPECT_EQ(test, osim_csum_complete(skb), 0);
	KUNIT_EXPECT_TRUE(test, osim_kt_l4_csum_ok(skb, nh));
	KUNIT_EXPECT_EQ(test,
			osim_kt_get16(skb_checksum_start(clone) + clone->csum_offset),
			before);
	KUNIT_EXPECT_EQ(test, osim_kt_summed(clone), CHECKSUM_PARTIAL);
}

/* Settling an owed checksum: the value a plain sum gives; one that comes
 * out 0 stays 0 for TCP and is sent as 0xffff for UDP.
 */
static void osim_csum_settle_zero(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	unsigned int v, zero;

	p.csum = OSIM_KT_CSUM_PARTIAL;
	p.len = 333;
	for (v = 0; v < 4; v++) {
		p.ipv6 = v & 1;
		p.proto = v & 2 ? IPPROTO_UDP : IPPROTO_TCP;
		for (zero = 0; zero < 2; zero++) {
			struct sk_buff *skb = osim_kt_build(test, &p);
			unsigned int nh = skb_network_offset(skb);
			unsigned int start = skb_checksum_start_offset(skb);
			u16 want, got;

			osim_kt_trash(test, skb);
			/* The pseudo-header sum is the field's seed. */
			if (zero)
				osim_csum_make_zero(test, skb, start,
						    skb->len - 2 - (p.len & 1));
			want = osim_csum_expect(skb, start, p.proto == IPPROTO_TCP);
			osim_csum_settle(skb);
			got = osim_kt_get16(skb_transport_header(skb) +
					    skb->csum_offset);
			KUNIT_EXPECT_EQ_MSG(test, got, want, "IPv%d %s zero %u",
					    p.ipv6 ? 6 : 4,
					    p.proto == IPPROTO_UDP ? "UDP" : "TCP",
					    zero);
			if (zero)
				KUNIT_EXPECT_EQ(test, got,
						p.proto == IPPROTO_UDP ? 0xffff : 0);
			KUNIT_EXPECT_TRUE(test, osim_kt_l4_csum_ok(skb, nh));
			KUNIT_EXPECT_EQ(test, osim_kt_summed(skb), CHECKSUM_NONE);
		}
	}
}

static struct kunit_case osim_csum_cases[] = {
	KUNIT_CASE(osim_csum_store_lengths),
	KUNIT_CASE(osim_csum_store_zero),
	KUNIT_CASE(osim_csum_complete_frames),
	KUNIT_CASE(osim_csum_complete_bounds),
	KUNIT_CASE(osim_csum_complete_clone),
	KUNIT_CASE(osim_csum_settle_zero),
	{}
};

static struct kunit_suite osim_csum_suite = {
	.name		= "osim_csum",
	.init		= osim_csum_kt_init,
	.exit		= osim_kt_exit,
	.test_cases	= osim_csum_cases,
};

/* osim_rx_csum() on @skb: ip_summed becomes @summed and exactly the
 * counter @stat moves, by one.
 */
static void osim_rxc_expect(struct kunit *test, struct sk_buff *skb,
			    netdev_features_t features, bool tapped,
			    u8 summed, enum osim_rx_stat stat, const char *what)
{
	static const enum osim_rx_stat stats[] = {
		OSIM_RX_CSUM_GOOD, OSIM_RX_CSUM_TRUSTED, OSIM_RX_CSUM_BAD,
		OSIM_RX_CSUM_NONE,
	};
	struct osim_rx_counts rc = {};
	unsigned int i;

	osim_rx_csum(skb, features, tapped, &rc);
	KUNIT_EXPECT_EQ_MSG(test, osim_kt_summed(skb), summed, "%s", what);
	for (i = 0; i < ARRAY_SIZE(stats); i++)
		KUNIT_EXPECT_EQ_MSG(test, rc.c[stats[i]], stats[i] == stat,
				    "%s: counter %d", what, stats[i]);
}

/* A received frame, data at its network header. */
static struct sk_buff *osim_rxc_build(struct kunit *test,
				      const struct osim_kt_pkt *tmpl)
{
	struct osim_kt_pkt p = *tmpl;
	struct sk_buff *skb;

	p.at_l3 = true;
	skb = osim_kt_build(test, &p);
	osim_kt_trash(test, skb);
	return skb;
}

/* Good checksums, odd lengths and page frags included, both families. */
static void osim_rxc_good(struct kunit *test)
{
	static const u32 lens[] = { 0, 1, 7, 1000, 1401 };
	struct osim_kt_pkt p = osim_csum_tcp4;
	unsigned int i, v;

	for (v = 0; v < 4; v++) {
		p.ipv6 = v & 1;
		p.proto = v & 2 ? IPPROTO_UDP : IPPROTO_TCP;
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			p.len = lens[i];
			p.nfrags = lens[i] >= 1000 ? 2 : 0;
			osim_rxc_expect(test, osim_rxc_build(test, &p),
					NETIF_F_RXCSUM, false,
					CHECKSUM_UNNECESSARY, OSIM_RX_CSUM_GOOD,
					p.proto == IPPROTO_UDP ? "UDP" : "TCP");
		}
	}
}

/* One flipped bit in the payload, the TCP/UDP header or the IPv4 header. */
static void osim_rxc_bad(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb;
	unsigned int v;

	p.len = 201;
	for (v = 0; v < 4; v++) {
		p.ipv6 = v & 1;
		p.proto = v & 2 ? IPPROTO_UDP : IPPROTO_TCP;

		skb = osim_rxc_build(test, &p);
		skb->data[skb->len - 1] ^= 0x10;
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
				OSIM_RX_CSUM_BAD, "payload");

		skb = osim_rxc_build(test, &p);
		skb_transport_header(skb)[1] ^= 0x01;	/* source port */
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
				OSIM_RX_CSUM_BAD, "L4 header");
	}

	p.ipv6 = false;
	skb = osim_rxc_build(test, &p);
	ip_hdr(skb)->ttl--;
	osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_BAD, "IPv4 header");
}

/* UDP: a checksum field of 0 means "none" over IPv4 and is wrong over
 * IPv6; a checksum that comes out 0 is sent as 0xffff and is good.
 */
static void osim_rxc_udp_zero(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb;
	unsigned int v;
	u8 *uh;

	p.proto = IPPROTO_UDP;
	p.len = 64;
	p.csum = OSIM_KT_CSUM_ZERO;
	skb = osim_rxc_build(test, &p);
	osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_NONE, "IPv4 UDP without a checksum");
	p.ipv6 = true;
	skb = osim_rxc_build(test, &p);
	osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_BAD, "IPv6 UDP with a checksum of 0");

	for (v = 0; v < 2; v++) {
		unsigned int l4off, l4len;

		p.ipv6 = v;
		skb = osim_rxc_build(test, &p);
		uh = skb_transport_header(skb);
		l4off = uh - skb->data;
		l4len = skb->len - l4off;
		/* Payload such that the checksum computes to 0 ... */
		osim_csum_add16(uh + sizeof(struct udphdr),
				~osim_kt_fold(osim_kt_sum_skb(osim_kt_pseudo(skb, 0,
									     IPPROTO_UDP,
									     l4len),
							      skb, l4off, l4len)));
		KUNIT_ASSERT_EQ(test,
				osim_kt_fold(osim_kt_sum_skb(osim_kt_pseudo(skb, 0,
									    IPPROTO_UDP,
									    l4len),
							     skb, l4off, l4len)),
				0xffff);
		/* ... sent as 0xffff. */
		uh[6] = 0xff;
		uh[7] = 0xff;
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false,
				CHECKSUM_UNNECESSARY, OSIM_RX_CSUM_GOOD,
				"UDP checksum 0 sent as 0xffff");
	}
}

/* A UDP datagram is checked over its own length, as the stack checks it
 * after trimming the IP payload to that length; one that claims more than
 * the IP payload, or less than its header, is left to the stack.
 */
static void osim_rxc_udp_len(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb;
	struct udphdr *uh;
	unsigned int v;

	p.proto = IPPROTO_UDP;
	p.len = 90;
	for (v = 0; v < 2; v++) {
		p.ipv6 = v;

		/* 10 bytes of padding after the datagram, inside the IP
		 * payload: not the datagram's, not summed.
		 */
		skb = osim_rxc_build(test, &p);
		KUNIT_ASSERT_GE(test, skb_tailroom(skb), 10);
		memset(skb_put(skb, 10), 0xa5, 10);
		if (p.ipv6) {
			ipv6_hdr(skb)->payload_len =
				htons(ntohs(ipv6_hdr(skb)->payload_len) + 10);
		} else {
			struct iphdr *iph = ip_hdr(skb);

			iph->tot_len = htons(ntohs(iph->tot_len) + 10);
			ip_send_check(iph);
		}
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false,
				CHECKSUM_UNNECESSARY, OSIM_RX_CSUM_GOOD,
				"UDP shorter than the IP payload");

		skb = osim_rxc_build(test, &p);
		uh = udp_hdr(skb);
		uh->len = htons(ntohs(uh->len) + 1);
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
				OSIM_RX_CSUM_NONE, "UDP longer than the IP payload");

		skb = osim_rxc_build(test, &p);
		udp_hdr(skb)->len = htons(sizeof(*uh) - 1);
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
				OSIM_RX_CSUM_NONE, "UDP shorter than its header");
	}
}

/* Frames the engine does not verify: not TCP/UDP, IPv4 fragments,
 * lengths that do not add up, rx-checksumming off.
 */
static void osim_rxc_none(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb;

	p.len = 100;
	p.proto = IPPROTO_ICMP;
	osim_rxc_expect(test, osim_rxc_build(test, &p), NETIF_F_RXCSUM, false,
			CHECKSUM_NONE, OSIM_RX_CSUM_NONE, "ICMP");

	p.proto = IPPROTO_TCP;
	p.df = false;
	p.frag = IP_MF;
	osim_rxc_expect(test, osim_rxc_build(test, &p), NETIF_F_RXCSUM, false,
			CHECKSUM_NONE, OSIM_RX_CSUM_NONE, "first fragment");
	p.frag = 185;
	osim_rxc_expect(test, osim_rxc_build(test, &p), NETIF_F_RXCSUM, false,
			CHECKSUM_NONE, OSIM_RX_CSUM_NONE, "last fragment");
	p.frag = 0;

	skb = osim_rxc_build(test, &p);
	skb_trim(skb, skb->len - 1);
	osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_NONE, "IPv4 tot_len beyond the frame");

	p.ipv6 = true;
	skb = osim_rxc_build(test, &p);
	skb_trim(skb, skb->len - 1);
	osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_NONE, "IPv6 payload_len beyond the frame");

	osim_rxc_expect(test, osim_rxc_build(test, &p), 0, false, CHECKSUM_NONE,
			OSIM_RX_CSUM_NONE, "rx-checksumming off");
}

/* A frame the peer's segmentation engine cut is trusted: it goes up with
 * its checksum owed, unless somebody can read it (a tap, rx-checksumming
 * off), who gets the checksum paid first.
 */
static void osim_rxc_trusted(struct kunit *test)
{
	struct osim_kt_pkt p = osim_csum_tcp4;
	struct sk_buff *skb;
	unsigned int v;
	u16 owed;

	p.len = 999;
	p.csum = OSIM_KT_CSUM_PARTIAL;
	for (v = 0; v < 4; v++) {
		p.ipv6 = v & 1;
		p.proto = v & 2 ? IPPROTO_UDP : IPPROTO_TCP;

		skb = osim_rxc_build(test, &p);
		OSIM_SKB_CB(skb)->csum_trusted = true;
		owed = osim_kt_get16(skb_checksum_start(skb) + skb->csum_offset);
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, false,
				CHECKSUM_PARTIAL, OSIM_RX_CSUM_TRUSTED, "owed");
		KUNIT_EXPECT_EQ(test, osim_kt_get16(skb_checksum_start(skb) +
						    skb->csum_offset), owed);

		skb = osim_rxc_build(test, &p);
		OSIM_SKB_CB(skb)->csum_trusted = true;
		osim_rxc_expect(test, skb, NETIF_F_RXCSUM, true,
				CHECKSUM_UNNECESSARY, OSIM_RX_CSUM_TRUSTED,
				"tapped");
		KUNIT_EXPECT_TRUE(test, osim_kt_l4_csum_ok(skb, 0));

		skb = osim_rxc_build(test, &p);
		OSIM_SKB_CB(skb)->csum_trusted = true;
		osim_rxc_expect(test, skb, 0, false, CHECKSUM_NONE,
				OSIM_RX_CSUM_NONE, "rx-checksumming off");
		KUNIT_EXPECT_TRUE(test, osim_kt_l4_csum_ok(skb, 0));
	}
}

static struct kunit_case osim_rxc_cases[] = {
	KUNIT_CASE(osim_rxc_good),
	KUNIT_CASE(osim_rxc_bad),
	KUNIT_CASE(osim_rxc_udp_zero),
	KUNIT_CASE(osim_rxc_udp_len),
	KUNIT_CASE(osim_rxc_none),
	KUNIT_CASE(osim_rxc_trusted),
	{}
};

static struct kunit_suite osim_rxc_suite = {
	.name		= "osim_rx_csum",
	.init		= osim_csum_kt_init,
	.exit		= osim_kt_exit,
	.test_cases	= osim_rxc_cases,
};

kunit_test_suites(&osim_csum_suite, &osim_rxc_suite);
