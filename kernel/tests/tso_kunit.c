// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the segmentation engine (tso.c). GSO skbs built as the stack
 * hands them to the driver go through osim_tso_segment(); every frame's
 * headers are checked field by field against what the GSO skb said and
 * where the frame sits in it, its payload byte by byte, and the checksum
 * it owes, once settled, with a plain ones' complement sum.
 */
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/tcp.h>

#include "../offloadsim.h"
#include "osim_kunit.h"

struct osim_tso_kt {
	struct osim_kt		kt;
	struct sk_buff_head	frames;
	struct osim_tx_counts	tc;
};

static int osim_tso_kt_init(struct kunit *test)
{
	struct osim_tso_kt *t;
	int err;

	err = osim_kt_init(test, sizeof(*t));
	if (err)
		return err;
	t = test->priv;
	__skb_queue_head_init(&t->frames);
	return 0;
}

static void osim_tso_kt_exit(struct kunit *test)
{
	struct osim_tso_kt *t = test->priv;

	__skb_queue_purge(&t->frames);
	osim_kt_exit(test);
}

static unsigned int osim_tso_l2(const struct osim_kt_pkt *p)
{
	return ETH_HLEN + (p->vlan ? VLAN_HLEN : 0);
}

static unsigned int osim_tso_l3(const struct osim_kt_pkt *p)
{
	return p->ipv6 ? sizeof(struct ipv6hdr) :
			 sizeof(struct iphdr) + p->ip_optlen;
}

static unsigned int osim_tso_l4(const struct osim_kt_pkt *p)
{
	return p->proto == IPPROTO_TCP ? sizeof(struct tcphdr) + p->tcp_optlen :
					 sizeof(struct udphdr);
}

/* A GSO skb of @p, as the stack hands it over: CHECKSUM_PARTIAL, the
 * pseudo-header sum in the checksum field. Freed when the case ends.
 */
static struct sk_buff *osim_tso_gso(struct kunit *test, struct osim_kt_pkt *p,
				    unsigned int gso_size)
{
	struct skb_shared_info *shinfo;
	struct sk_buff *skb;

	p->csum = OSIM_KT_CSUM_PARTIAL;
	skb = osim_kt_build(test, p);
	osim_kt_trash(test, skb);

	shinfo = skb_shinfo(skb);
	shinfo->gso_size = gso_size;
	if (p->proto == IPPROTO_UDP)
		shinfo->gso_type = SKB_GSO_UDP_L4;
	else
		shinfo->gso_type = p->ipv6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
	shinfo->gso_segs = gso_size ? DIV_ROUND_UP(p->len, gso_size) : 0;
	return skb;
}

/* Segment @skb (built from @p) and check every frame against @p, cut at
 * @mss payload bytes per frame.
 */
static void osim_tso_run(struct kunit *test, struct sk_buff *skb,
			 const struct osim_kt_pkt *p, unsigned int lso_mtu,
			 unsigned int mss)
{
	unsigned int l2 = osim_tso_l2(p), l3 = osim_tso_l3(p), l4 = osim_tso_l4(p);
	bool fixedid = skb_shinfo(skb)->gso_type & SKB_GSO_TCP_FIXEDID;
	unsigned int n = DIV_ROUND_UP(p->len, mss), i = 0;
	struct osim_tso_kt *t = test->priv;
	struct sk_buff *f;
	u32 off = 0;
	int err;

	memset(&t->tc, 0, sizeof(t->tc));
	err = osim_tso_segment(NULL, skb, lso_mtu, &t->frames, &t->tc);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, skb_queue_len(&t->frames), n);

	skb_queue_walk(&t->frames, f) {
		u32 len = min_t(u32, mss, p->len - off);
		u8 *nh = f->data + l2, *l4h = nh + l3;
		bool last = i == n - 1;

		KUNIT_EXPECT_EQ_MSG(test, f->len, l2 + l3 + l4 + len, "frame %u", i);
		KUNIT_EXPECT_EQ_MSG(test, skb_headlen(f) >= l2 + l3 + l4, true,
				    "frame %u: headers not linear", i);

		if (p->ipv6) {
			struct ipv6hdr *ip6h = (struct ipv6hdr *)nh;

			KUNIT_EXPECT_EQ_MSG(test, ntohs(ip6h->payload_len),
					    l4 + len, "frame %u", i);
			KUNIT_EXPECT_EQ(test, ip6h->hop_limit, p->ttl ?: 64);
		} else {
			struct iphdr *iph = (struct iphdr *)nh;
			u16 id = fixedid ? p->ip_id : (u16)(p->ip_id + i);

			KUNIT_EXPECT_EQ_MSG(test, ntohs(iph->tot_len),
					    l3 + l4 + len, "frame %u", i);
			KUNIT_EXPECT_EQ_MSG(test, ntohs(iph->id), id, "frame %u", i);
			KUNIT_EXPECT_TRUE_MSG(test, osim_kt_ip4_csum_ok(f, l2),
					      "frame %u: IPv4 header checksum", i);
			KUNIT_EXPECT_EQ(test, iph->ihl * 4, l3);
			KUNIT_EXPECT_EQ(test, iph->tos, p->tos);
			KUNIT_EXPECT_EQ(test, !!(iph->frag_off & htons(IP_DF)), p->df);
		}

		if (p->proto == IPPROTO_TCP) {
			struct tcphdr *th = (struct tcphdr *)l4h;
			u8 flags = p->flags;

			/* CWR on the first frame only; FIN and PSH on the
			 * last only; every other flag on every frame.
			 */
			if (i)
				flags &= ~TCPHDR_CWR;
			if (!last)
				flags &= ~(TCPHDR_FIN | TCPHDR_PSH);
			KUNIT_EXPECT_EQ_MSG(test, ntohl(th->seq), p->seq + off,
					    "frame %u", i);
			KUNIT_EXPECT_EQ_MSG(test, tcp_flag_byte(th), flags,
					    "frame %u", i);
			KUNIT_EXPECT_EQ(test, ntohl(th->ack_seq), p->ack);
			KUNIT_EXPECT_EQ(test, ntohs(th->window), p->window ?: 512);
			KUNIT_EXPECT_EQ(test, th->doff * 4, l4);
			if (p->tcp_opts)
				KUNIT_EXPECT_EQ_MSG(test, memcmp(th + 1, p->tcp_opts,
								 p->tcp_optlen), 0,
						    "frame %u: TCP options", i);
		} else {
			struct udphdr *uh = (struct udphdr *)l4h;

			KUNIT_EXPECT_EQ_MSG(test, ntohs(uh->len), l4 + len,
					    "frame %u", i);
			KUNIT_EXPECT_EQ(test, ntohs(uh->source), p->sport);
		}

		KUNIT_EXPECT_TRUE_MSG(test, osim_kt_payload_ok(f, l2 + l3 + l4,
							       p->pay_off + off, len),
				      "frame %u: payload", i);

		/* The checksum is owed: the pseudo-header sum of this frame's
		 * length, at the engine's offsets, until settled.
		 */
		KUNIT_EXPECT_EQ(test, osim_kt_summed(f), CHECKSUM_PARTIAL);
		KUNIT_EXPECT_PTR_EQ(test, (u8 *)f->head + f->csum_start, l4h);
		KUNIT_EXPECT_EQ(test, f->csum_offset,
				p->proto == IPPROTO_TCP ?
				offsetof(struct tcphdr, check) :
				offsetof(struct udphdr, check));
		KUNIT_EXPECT_EQ_MSG(test, osim_kt_get16(l4h + f->csum_offset),
				    osim_kt_fold(osim_kt_pseudo(f, l2, p->proto,
								l4 + len)),
				    "frame %u: owed pseudo-header sum", i);
		osim_csum_settle(f);
		KUNIT_EXPECT_EQ(test, osim_kt_summed(f), CHECKSUM_NONE);
		KUNIT_EXPECT_TRUE_MSG(test, osim_kt_l4_csum_ok(f, l2),
				      "frame %u: settled L4 checksum", i);

		off += len;
		i++;
	}
	KUNIT_EXPECT_EQ(test, off, p->len);

	if (p->proto == IPPROTO_TCP) {
		KUNIT_EXPECT_EQ(test, t->tc.tso_packets, 1);
		KUNIT_EXPECT_EQ(test, t->tc.tso_frames, n);
		KUNIT_EXPECT_EQ(test, t->tc.tso_bytes, skb->len);
		KUNIT_EXPECT_EQ(test, t->tc.lso_mtu_frames, lso_mtu ? n : 0);
		KUNIT_EXPECT_EQ(test, t->tc.uso_packets, 0);
	} else {
		KUNIT_EXPECT_EQ(test, t->tc.uso_packets, 1);
		KUNIT_EXPECT_EQ(test, t->tc.uso_frames, n);
		KUNIT_EXPECT_EQ(test, t->tc.tso_packets, 0);
		KUNIT_EXPECT_EQ(test, t->tc.lso_mtu_frames, 0);
	}
	KUNIT_EXPECT_EQ(test, t->tc.csum_offload, n);
	KUNIT_EXPECT_EQ(test, t->tc.malformed, 0);
}

/* Segment @p at gso_size @mss and check the frames; they are freed. */
static void osim_tso_one(struct kunit *test, struct osim_kt_pkt *p,
			 unsigned int mss)
{
	struct osim_tso_kt *t = test->priv;

	osim_tso_run(test, osim_tso_gso(test, p, mss), p, 0, mss);
	__skb_queue_purge(&t->frames);
}

static const struct osim_kt_pkt osim_tso_tcp4 = {
	.proto		= IPPROTO_TCP,
	.df		= true,
	.ip_id		= 100,
	.tos		= 0x28,
	.sport		= 40000,
	.dport		= 5201,
	.seq		= 1000000,
	.ack		= 555,
	.window		= 1234,
	.flags		= TCPHDR_ACK,
};

/* Every frame gets its own tot_len, id and header checksum and seq; CWR
 * stays on the first frame, FIN and PSH on the last, ACK and ECE on all.
 */
static void osim_tso_tcp4_flags(struct kunit *test)
{
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.len = 3000;
	p.flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_FIN | TCPHDR_CWR | TCPHDR_ECE;
	osim_tso_one(test, &p, 1000);
}

/* The last frame carries what is left; payload in page frags. */
static void osim_tso_tcp4_short_last(struct kunit *test)
{
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.len = 2500;
	p.nfrags = 3;
	p.pay_off = 77;
	p.flags = TCPHDR_ACK | TCPHDR_PSH;
	osim_tso_one(test, &p, 1000);
}

static void osim_tso_tcp6(struct kunit *test)
{
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.ipv6 = true;
	p.flowlabel = 0x12345;
	p.len = 2900;
	p.nfrags = 2;
	p.flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_CWR;
	osim_tso_one(test, &p, 1400);
}

/* USO: each datagram's UDP length and checksum; a sum of 0 goes out as
 * 0xffff (checked by osim_kt_l4_csum_ok(), which accepts either).
 */
static void osim_tso_udp(struct kunit *test)
{
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.proto = IPPROTO_UDP;
	p.len = 3000;
	osim_tso_one(test, &p, 1200);
	p.ipv6 = true;
	p.len = 2000;
	p.nfrags = 1;
	osim_tso_one(test, &p, 1000);
}

/* gso_size one short of the payload, equal to it, beyond it, and 1. */
static void osim_tso_gso_size_edges(struct kunit *test)
{
	static const struct {
		u32	len;
		u32	mss;
	} edge[] = {
		{ 1000, 999 }, { 1000, 1000 }, { 100, 9000 }, { 5, 1 },
		{ 1449, 1448 }, { 64000, 1448 },
	};
	struct osim_kt_pkt p = osim_tso_tcp4;
	unsigned int i;

	p.flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_CWR | TCPHDR_FIN;
	for (i = 0; i < ARRAY_SIZE(edge); i++) {
		kunit_info(test, "payload %u, gso_size %u\n", edge[i].len,
			   edge[i].mss);
		p.len = edge[i].len;
		p.nfrags = p.len > 16 * PAGE_SIZE ? 0 : DIV_ROUND_UP(p.len, PAGE_SIZE);
		osim_tso_one(test, &p, edge[i].mss);
	}
}

/* Sequence numbers and IPv4 ids wrap. */
static void osim_tso_wrap(struct kunit *test)
{
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.seq = 0xfffffc00;
	p.ip_id = 0xfffe;
	p.len = 3000;
	osim_tso_one(test, &p, 1000);
}

/* tx-tcp-mangleid-segmentation: the id stays, which needs DF. */
static void osim_tso_fixedid(struct kunit *test)
{
	struct osim_tso_kt *t = test->priv;
	struct osim_kt_pkt p = osim_tso_tcp4;
	struct sk_buff *skb;

	p.len = 3000;
	skb = osim_tso_gso(test, &p, 1000);
	skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_FIXEDID;
	osim_tso_run(test, skb, &p, 0, 1000);
	__skb_queue_purge(&t->frames);

	p.df = false;
	skb = osim_tso_gso(test, &p, 1000);
	skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_FIXEDID;
	memset(&t->tc, 0, sizeof(t->tc));
	KUNIT_EXPECT_EQ(test, osim_tso_segment(NULL, skb, 0, &t->frames, &t->tc),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->tc.malformed, 1);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->frames));
}

/* A GSO skb the stack vouches for, CHECKSUM_UNNECESSARY (an LRO aggregate
 * leaving through the device), is cut like any other: the engine builds
 * each checksum, whatever the field and csum_start held. So is an IPv6 one
 * that kept SKB_GSO_TCP_FIXEDID, which means nothing to IPv6.
 */
static void osim_tso_unnecessary(struct kunit *test)
{
	struct osim_tso_kt *t = test->priv;
	struct osim_kt_pkt p = osim_tso_tcp4;
	struct sk_buff *skb;
	unsigned int i;
	u8 *check;

	p.len = 3000;
	for (i = 0; i < 3; i++) {
		p.ipv6 = i == 1;
		p.proto = i == 2 ? IPPROTO_UDP : IPPROTO_TCP;
		skb = osim_tso_gso(test, &p, 1000);
		check = skb_transport_header(skb) + skb->csum_offset;
		memset(check, 0x5a, 2);
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum = 0;
		osim_tso_run(test, skb, &p, 0, 1000);
		__skb_queue_purge(&t->frames);
	}

	p.ipv6 = true;
	p.proto = IPPROTO_TCP;
	skb = osim_tso_gso(test, &p, 1000);
	skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_FIXEDID;
	osim_tso_run(test, skb, &p, 0, 1000);
}

/* A VLAN tag, IPv4 options and TCP timestamps are copied to every frame. */
static void osim_tso_options_vlan(struct kunit *test)
{
	static const u8 ts[12] = {
		TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TIMESTAMP, TCPOLEN_TIMESTAMP,
		0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
	};
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.vlan = true;
	p.ip_optlen = 8;
	p.tcp_opts = ts;
	p.tcp_optlen = sizeof(ts);
	p.len = 4000;
	p.nfrags = 2;
	osim_tso_one(test, &p, 1448);
	p.ipv6 = true;
	osim_tso_one(test, &p, 1448);
}

/* An engine stuck at lso_mtu cuts TCP at lso_mtu less the IP and TCP
 * headers whatever gso_size says; UDP is cut at gso_size.
 */
static void osim_tso_lso_mtu(struct kunit *test)
{
	struct osim_tso_kt *t = test->priv;
	struct osim_kt_pkt p = osim_tso_tcp4;

	p.len = 4000;
	osim_tso_run(test, osim_tso_gso(test, &p, 1448), &p, 1000, 1000 - 40);
	__skb_queue_purge(&t->frames);

	/* Stuck at 9000 for 1448-byte segments: one 4000-byte frame. */
	p.tcp_optlen = 12;
	osim_tso_run(test, osim_tso_gso(test, &p, 1448), &p, 9000, 9000 - 52);
	__skb_queue_purge(&t->frames);

	p.proto = IPPROTO_UDP;
	osim_tso_run(test, osim_tso_gso(test, &p, 1200), &p, 1000, 1200);
}

/* What the engine refuses, counted as malformed, with no frame. */
static void osim_tso_malformed(struct kunit *test)
{
	struct osim_tso_kt *t = test->priv;
	struct osim_kt_pkt p = osim_tso_tcp4;
	struct sk_buff *skb;
	unsigned int i;

	p.len = 3000;
	for (i = 0; i < 5; i++) {
		skb = osim_tso_gso(test, &p, 1000);
		switch (i) {
		case 0:		/* gso_size 0 */
			skb_shinfo(skb)->gso_size = 0;
			break;
		case 1:		/* checksum not left to the device */
			skb->ip_summed = CHECKSUM_NONE;
			break;
		case 2:		/* TCPv6 GSO on an IPv4 packet */
			skb_shinfo(skb)->gso_type = SKB_GSO_TCPV6;
			break;
		case 3:		/* TCP and UDP GSO at once */
			skb_shinfo(skb)->gso_type |= SKB_GSO_UDP_L4;
			break;
		case 4:		/* checksum start not at the TCP header */
			skb->csum_start += 4;
			break;
		}
		memset(&t->tc, 0, sizeof(t->tc));
		KUNIT_EXPECT_EQ_MSG(test, osim_tso_segment(NULL, skb, 0,
							   &t->frames, &t->tc),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t->tc.malformed, 1, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t->tc.tso_frames, 0, "case %u", i);
		KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->frames));
	}
}

static struct kunit_case osim_tso_cases[] = {
	KUNIT_CASE(osim_tso_tcp4_flags),
	KUNIT_CASE(osim_tso_tcp4_short_last),
	KUNIT_CASE(osim_tso_tcp6),
	KUNIT_CASE(osim_tso_udp),
	KUNIT_CASE(osim_tso_gso_size_edges),
	KUNIT_CASE(osim_tso_wrap),
	KUNIT_CASE(osim_tso_fixedid),
	KUNIT_CASE(osim_tso_unnecessary),
	KUNIT_CASE(osim_tso_options_vlan),
	KUNIT_CASE(osim_tso_lso_mtu),
	KUNIT_CASE(osim_tso_malformed),
	{}
};

static struct kunit_suite osim_tso_suite = {
	.name		= "osim_tso",
	.init		= osim_tso_kt_init,
	.exit		= osim_tso_kt_exit,
	.test_cases	= osim_tso_cases,
};

kunit_test_suite(osim_tso_suite);
