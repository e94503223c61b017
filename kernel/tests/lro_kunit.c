// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receive aggregation engine (lro.c), LRO and hardware GRO.
 *
 * Segments built as the receive path hands them over (data at the network
 * header, checksum verified) are offered to osim_agg_receive() one by
 * one, as a NAPI poll would; the engine puts what it ends on a list
 * instead of delivering it, so each case sees which segments merged, which
 * it refused, why each aggregate ended (the flush counters) and what the
 * aggregates look like: lengths, gso_size/segs, headers, payload.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "../offloadsim.h"
#include "osim_kunit.h"

struct osim_lro_kt {
	struct osim_kt		kt;
	struct osim_agg		agg;
	struct sk_buff_head	done;
	struct osim_rx_counts	rc;
	bool			strict;
};

static int osim_lro_kt_init(struct kunit *test)
{
	struct osim_lro_kt *t;
	int err;

	err = osim_kt_init(test, sizeof(*t));
	if (err)
		return err;
	t = test->priv;
	__skb_queue_head_init(&t->done);
	return 0;
}

static void osim_lro_kt_exit(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;

	osim_agg_flush_all(&t->agg, OSIM_FLUSH_POLL, &t->done, &t->rc);
	__skb_queue_purge(&t->done);
	osim_kt_exit(test);
}

/* Forget everything: a new poll on an empty engine, with @strict rules. */
static void osim_lro_reset(struct kunit *test, bool strict)
{
	struct osim_lro_kt *t = test->priv;

	osim_agg_flush_all(&t->agg, OSIM_FLUSH_POLL, &t->done, &t->rc);
	__skb_queue_purge(&t->done);
	memset(&t->agg, 0, sizeof(t->agg));
	memset(&t->rc, 0, sizeof(t->rc));
	t->strict = strict;
}

static const char *osim_lro_mode(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;

	return t->strict ? "rx-gro-hw" : "lro";
}

/* The k-th segment of the flow @p starts: seq, IPv4 id and payload follow. */
static struct osim_kt_pkt osim_lro_seg(const struct osim_kt_pkt *p,
				       unsigned int k)
{
	struct osim_kt_pkt s = *p;

	s.seq = p->seq + k * p->len;
	s.pay_off = p->pay_off + k * p->len;
	s.ip_id = p->ip_id + k;
	return s;
}

/* Offer @p to the engine. A segment it does not take goes on the done
 * list, as the poll delivers it.
 */
static bool osim_lro_offer(struct kunit *test, const struct osim_kt_pkt *p)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt q = *p;
	struct sk_buff *skb;

	q.at_l3 = true;
	skb = osim_kt_build(test, &q);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (osim_agg_receive(&t->agg, skb, t->strict, &t->done, &t->rc))
		return true;
	__skb_queue_tail(&t->done, skb);
	return false;
}

/* Segments @from .. @to - 1 of @p, each of which the engine must take. */
static void osim_lro_feed(struct kunit *test, const struct osim_kt_pkt *p,
			  unsigned int from, unsigned int to)
{
	unsigned int k;

	for (k = from; k < to; k++) {
		struct osim_kt_pkt s = osim_lro_seg(p, k);

		KUNIT_EXPECT_TRUE_MSG(test, osim_lro_offer(test, &s),
				      "%s: segment %u not taken",
				      osim_lro_mode(test), k);
	}
}

static u64 osim_lro_flushes(struct kunit *test, enum osim_flush why)
{
	struct osim_lro_kt *t = test->priv;

	return t->rc.c[OSIM_RX_FLUSH_FLAGS + why];
}

/* Exactly @n flushes so far, all for @why. */
static void osim_lro_expect_flushes(struct kunit *test, enum osim_flush why,
				    unsigned int n)
{
	unsigned int w, total = 0;

	for (w = OSIM_FLUSH_FLAGS; w <= OSIM_FLUSH_EVICT; w++)
		total += osim_lro_flushes(test, w);
	KUNIT_EXPECT_EQ_MSG(test, osim_lro_flushes(test, why), n,
			    "%s: flushes for reason %d", osim_lro_mode(test), why);
	KUNIT_EXPECT_EQ_MSG(test, total, n, "%s: flushes in all",
			    osim_lro_mode(test));
}

static void osim_lro_poll(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;

	osim_agg_flush_all(&t->agg, OSIM_FLUSH_POLL, &t->done, &t->rc);
}

/* The next skb delivered, freed when the case ends. */
static struct sk_buff *osim_lro_next(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct sk_buff *skb = __skb_dequeue(&t->done);

	KUNIT_ASSERT_NOT_NULL_MSG(test, skb, "%s: nothing delivered",
				  osim_lro_mode(test));
	osim_kt_trash(test, skb);
	return skb;
}

static unsigned int osim_lro_hlen(const struct osim_kt_pkt *p)
{
	return (p->ipv6 ? sizeof(struct ipv6hdr) :
			  sizeof(struct iphdr) + p->ip_optlen) +
	       sizeof(struct tcphdr) + p->tcp_optlen;
}

/* @skb is segments @first .. @first + @count - 1 of @p, as one packet: the
 * first segment's headers, lengths rewritten, gso_size the first
 * segment's payload; rx-gro-hw leaves it CHECKSUM_PARTIAL with the
 * pseudo-header sum, as tcp_gro_complete() does, LRO vouches for it.
 */
/*
 * An aggregate can leave through another device after all (tc mirred),
 * where software GSO cuts it: skb_segment() must cut it into payload /
 * gso_size segments of gso_size, the last shorter, rather than hit one of
 * its BUG_ON()s. @skb: data at the network header, @hlen bytes of headers.
 */
static void osim_lro_expect_cut(struct kunit *test, struct sk_buff *skb,
				unsigned int hlen)
{
	unsigned int mss = skb_shinfo(skb)->gso_size, paylen = skb->len - hlen;
	unsigned int l2 = skb_network_header(skb) - skb_mac_header(skb);
	struct sk_buff *segs, *seg, *next;
	unsigned int n = 0, got = 0;
	int off;

	/* skb_segment() wants the data at the payload and leaves it at the
	 * MAC header; the checks after this one want the network header.
	 */
	__skb_pull(skb, hlen);
	segs = skb_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	off = skb_network_offset(skb);
	if (off > 0)
		__skb_pull(skb, off);
	else
		__skb_push(skb, -off);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(segs), "%s: skb_segment()",
			       osim_lro_mode(test));

	skb_list_walk_safe(segs, seg, next) {
		unsigned int len = seg->len - l2 - hlen;

		KUNIT_EXPECT_EQ_MSG(test, len, min(mss, paylen - got),
				    "%s: segment %u", osim_lro_mode(test), n);
		got += len;
		n++;
		kfree_skb(seg);
	}
	KUNIT_EXPECT_EQ(test, got, paylen);
	KUNIT_EXPECT_EQ(test, n, DIV_ROUND_UP(paylen, mss));
}

static void osim_lro_expect_agg(struct kunit *test, struct sk_buff *skb,
				const struct osim_kt_pkt *p, unsigned int first,
				unsigned int count)
{
	unsigned int hlen = osim_lro_hlen(p), l3 = hlen - sizeof(struct tcphdr) -
						  p->tcp_optlen;
	struct osim_lro_kt *t = test->priv;
	const char *mode = osim_lro_mode(test);
	struct tcphdr *th;

	KUNIT_ASSERT_EQ_MSG(test, skb->len, hlen + count * p->len,
			    "%s: aggregate of %u segments", mode, count);
	KUNIT_EXPECT_TRUE_MSG(test, osim_kt_payload_ok(skb, hlen,
						       p->pay_off + first * p->len,
						       count * p->len),
			      "%s: payload", mode);
	th = (struct tcphdr *)(skb->data + l3);
	KUNIT_EXPECT_EQ(test, ntohl(th->seq), p->seq + first * p->len);

	if (count == 1) {
		KUNIT_EXPECT_FALSE(test, skb_is_gso(skb));
		return;
	}

	KUNIT_EXPECT_EQ_MSG(test, skb_shinfo(skb)->gso_size, p->len, "%s", mode);
	KUNIT_EXPECT_EQ_MSG(test, skb_shinfo(skb)->gso_segs, count, "%s", mode);
	osim_lro_expect_cut(test, skb, hlen);
	if (p->ipv6) {
		KUNIT_EXPECT_EQ(test, ntohs(ipv6_hdr(skb)->payload_len),
				skb->len - sizeof(struct ipv6hdr));
		KUNIT_EXPECT_TRUE(test, skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6);
	} else {
		KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(skb)->tot_len), skb->len);
		KUNIT_EXPECT_TRUE(test, osim_kt_ip4_csum_ok(skb, 0));
		KUNIT_EXPECT_TRUE(test, skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4);
	}

	if (t->strict) {
		KUNIT_EXPECT_EQ(test, osim_kt_summed(skb), CHECKSUM_PARTIAL);
		KUNIT_EXPECT_PTR_EQ(test, skb_checksum_start(skb), (u8 *)th);
		KUNIT_EXPECT_EQ(test, osim_kt_get16(&th->check),
				osim_kt_fold(osim_kt_pseudo(skb, 0, IPPROTO_TCP,
							    skb->len - l3)));
		/* Paying what it owes gives a correct packet. */
		osim_csum_settle(skb);
		KUNIT_EXPECT_TRUE_MSG(test, osim_kt_l4_csum_ok(skb, 0),
				      "%s: settled aggregate", mode);
	} else {
		KUNIT_EXPECT_EQ(test, osim_kt_summed(skb), CHECKSUM_UNNECESSARY);
	}
}

static const struct osim_kt_pkt osim_lro_tcp4 = {
	.proto		= IPPROTO_TCP,
	.df		= true,
	.ip_id		= 10,
	.sport		= 1000,
	.dport		= 2000,
	.seq		= 5000,
	.ack		= 777,
	.flags		= TCPHDR_ACK,
	.len		= 100,
};

/* In-order segments of one flow become one packet, at the end of the
 * poll; payload in the linear area (chained) or in page frags (moved).
 */
static void osim_lro_merge(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4;
	unsigned int v;

	for (v = 0; v < 8; v++) {
		struct sk_buff *skb;

		osim_lro_reset(test, v & 1);
		p.ipv6 = v & 2;
		p.nfrags = !!(v & 4);
		osim_lro_feed(test, &p, 0, 4);
		KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->done));
		osim_lro_poll(test);
		osim_lro_expect_flushes(test, OSIM_FLUSH_POLL, 1);
		skb = osim_lro_next(test);
		osim_lro_expect_agg(test, skb, &p, 0, 4);
		if (p.nfrags) {
			KUNIT_EXPECT_FALSE(test, skb_has_frag_list(skb));
			KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 4);
		} else {
			KUNIT_EXPECT_TRUE(test, skb_has_frag_list(skb));
		}
		KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->done));
		if (t->strict) {
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_HW_GRO_PACKETS], 1);
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_HW_GRO_SEGMENTS], 4);
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_LRO_PACKETS], 0);
		} else {
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_LRO_PACKETS], 1);
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_LRO_SEGMENTS], 4);
			KUNIT_EXPECT_EQ(test, t->rc.c[OSIM_RX_HW_GRO_PACKETS], 0);
		}
	}
}

/* A segment that is not the next in sequence (a gap, a retransmission)
 * ends the flow and starts a new one.
 */
static void osim_lro_order(struct kunit *test)
{
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int strict;

	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 3);
		KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_ORDER, 1);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 2);

		s = osim_lro_seg(&p, 3);
		KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_ORDER, 2);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 3, 1);
		osim_lro_poll(test);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 3, 1);
	}
}

/* Interleaved flows (another port, address, IPv6 flow label or
 * destination MAC) are held side by side.
 */
static void osim_lro_flows(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt a = osim_lro_tcp4, b;
	unsigned int v, k;

	for (v = 0; v < 8; v++) {
		osim_lro_reset(test, v & 1);
		a.ipv6 = v >= 4;
		b = a;
		b.pay_off = 5;
		switch (v / 2) {
		case 0:
			b.sport++;
			break;
		case 1:
			b.daddr.s6_addr[3] = 9;
			break;
		case 2:
			b.flowlabel = 1;
			break;
		case 3:
			b.dmac = 0x03;
			break;
		}
		for (k = 0; k < 3; k++) {
			osim_lro_feed(test, &a, k, k + 1);
			osim_lro_feed(test, &b, k, k + 1);
		}
		KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->done));
		osim_lro_poll(test);
		osim_lro_expect_flushes(test, OSIM_FLUSH_POLL, 2);
		osim_lro_expect_agg(test, osim_lro_next(test), &a, 0, 3);
		osim_lro_expect_agg(test, osim_lro_next(test), &b, 0, 3);
	}
}

/* PSH and FIN end the aggregate they join, and are carried in it. */
static void osim_lro_flags_end(struct kunit *test)
{
	static const u8 end[] = { TCPHDR_PSH, TCPHDR_FIN, TCPHDR_PSH | TCPHDR_FIN };
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int i, strict;
	struct sk_buff *skb;

	for (strict = 0; strict < 2; strict++) {
		for (i = 0; i < ARRAY_SIZE(end); i++) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			s.flags |= end[i];
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			osim_lro_expect_flushes(test, OSIM_FLUSH_FLAGS, 1);
			skb = osim_lro_next(test);
			osim_lro_expect_agg(test, skb, &p, 0, 3);
			KUNIT_EXPECT_EQ(test, tcp_flag_byte(tcp_hdr(skb)),
					TCPHDR_ACK | end[i]);

			/* The next segment starts a new flow. */
			osim_lro_feed(test, &p, 3, 4);
			osim_lro_expect_flushes(test, OSIM_FLUSH_FLAGS, 1);
		}
	}
}

/* SYN, RST and URG end the held flow and are never held or merged;
 * neither is a first segment with PSH or FIN. CWR or a change of ECE
 * ends the flow; the segment starts the next one.
 */
static void osim_lro_flags_refuse(struct kunit *test)
{
	static const u8 never[] = { TCPHDR_SYN, TCPHDR_RST, TCPHDR_URG };
	static const u8 alone[] = { TCPHDR_PSH, TCPHDR_FIN, TCPHDR_SYN,
				    TCPHDR_RST, TCPHDR_URG };
	static const u8 restart[] = { TCPHDR_CWR, TCPHDR_ECE };
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int i, strict;

	for (strict = 0; strict < 2; strict++) {
		for (i = 0; i < ARRAY_SIZE(never); i++) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 1);
			s = osim_lro_seg(&p, 1);
			s.flags |= never[i];
			KUNIT_EXPECT_FALSE_MSG(test, osim_lro_offer(test, &s),
					       "flags %#x", s.flags);
			osim_lro_expect_flushes(test, OSIM_FLUSH_FLAGS, 1);
			osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 1);
			osim_lro_expect_agg(test, osim_lro_next(test), &s, 0, 1);
		}

		for (i = 0; i < ARRAY_SIZE(alone); i++) {
			osim_lro_reset(test, strict);
			s = p;
			s.flags |= alone[i];
			KUNIT_EXPECT_FALSE_MSG(test, osim_lro_offer(test, &s),
					       "flags %#x", s.flags);
			KUNIT_EXPECT_EQ(test, t->agg.held, 0);
			osim_lro_expect_flushes(test, OSIM_FLUSH_FLAGS, 0);
		}

		for (i = 0; i < ARRAY_SIZE(restart); i++) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			s.flags |= restart[i];
			KUNIT_EXPECT_TRUE_MSG(test, osim_lro_offer(test, &s),
					      "flags %#x", s.flags);
			osim_lro_expect_flushes(test, OSIM_FLUSH_FLAGS, 1);
			osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 2);
			KUNIT_EXPECT_EQ(test, t->agg.held, 1);
		}
	}
}

/* TCP options must stay byte for byte (timestamps), and so must the
 * header length.
 */
static void osim_lro_options(struct kunit *test)
{
	u8 ts[12] = {
		TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TIMESTAMP, TCPOLEN_TIMESTAMP,
		0, 0, 0, 1, 0, 0, 0, 100,
	};
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int strict;

	p.tcp_opts = ts;
	p.tcp_optlen = sizeof(ts);
	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 3);
		osim_lro_expect_flushes(test, OSIM_FLUSH_OPTIONS, 0);

		/* TSval moves on */
		ts[7] = 2;
		osim_lro_feed(test, &p, 3, 4);
		osim_lro_expect_flushes(test, OSIM_FLUSH_OPTIONS, 1);
		ts[7] = 1;
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 3);

		/* no options at all */
		s = osim_lro_seg(&p, 4);
		s.tcp_opts = NULL;
		s.tcp_optlen = 0;
		KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_OPTIONS, 2);
		KUNIT_EXPECT_EQ(test, osim_lro_next(test)->len,
				osim_lro_hlen(&p) + p.len);
	}
}

/* IPv4 TOS (ECN included), TTL and DF, IPv6 traffic class and hop limit
 * must match.
 */
static void osim_lro_ip_fields(struct kunit *test)
{
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int v, strict;

	p.tos = 0x02;		/* ECT(0) */
	for (strict = 0; strict < 2; strict++) {
		for (v = 0; v < 6; v++) {
			osim_lro_reset(test, strict);
			p.ipv6 = v >= 3;
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			switch (v % 3) {
			case 0:
				s.tos = 0x03;	/* CE */
				break;
			case 1:
				s.ttl = 63;
				break;
			case 2:
				if (p.ipv6)
					s.tos = 0x22;
				else
					s.df = false;
				break;
			}
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			osim_lro_expect_flushes(test, OSIM_FLUSH_IP, 1);
			osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 2);
		}
	}
}

/* IPv4 options: LRO ends the flow and passes the segment up; rx-gro-hw
 * passes it up and keeps holding the flow, as inet_gro_receive() does.
 * Fragments are never aggregated and leave the flow alone.
 */
static void osim_lro_ip_options_frags(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int strict;

	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 2);
		s.ip_optlen = 4;
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		if (strict) {
			osim_lro_expect_flushes(test, OSIM_FLUSH_IP, 0);
			KUNIT_EXPECT_EQ(test, t->agg.held, 1);
		} else {
			osim_lro_expect_flushes(test, OSIM_FLUSH_IP, 1);
			KUNIT_EXPECT_EQ(test, t->agg.held, 0);
			osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 2);
		}
		KUNIT_EXPECT_EQ(test, osim_lro_next(test)->len,
				osim_lro_hlen(&s) + s.len);

		/* A first segment with options is not held either. */
		osim_lro_reset(test, strict);
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		KUNIT_EXPECT_EQ(test, t->agg.held, 0);

		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 2);
		s.df = false;
		s.frag = IP_MF;
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		s.frag = 100;
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_IP, 0);
		KUNIT_EXPECT_EQ(test, t->agg.held, 1);
		osim_lro_feed(test, &p, 2, 3);
		osim_lro_poll(test);
		osim_lro_next(test);
		osim_lro_next(test);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 3);
	}
}

/* rx-gro-hw wants IPv4 ids incrementing, or fixed with DF (decided at the
 * second segment); LRO does not look.
 */
static void osim_lro_ip_id(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	struct sk_buff *skb;
	unsigned int strict, k;

	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 2);
		s.ip_id += 5;
		KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_IP, strict);

		osim_lro_reset(test, strict);
		for (k = 0; k < 3; k++) {
			s = osim_lro_seg(&p, k);
			s.ip_id = p.ip_id;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		}
		osim_lro_poll(test);
		osim_lro_expect_flushes(test, OSIM_FLUSH_POLL, 1);
		skb = osim_lro_next(test);
		osim_lro_expect_agg(test, skb, &p, 0, 3);
		KUNIT_EXPECT_EQ(test,
				!!(skb_shinfo(skb)->gso_type & SKB_GSO_TCP_FIXEDID),
				strict);
		KUNIT_EXPECT_TRUE(test, skb_queue_empty(&t->done));
	}
}

/* rx-gro-hw wants the same ACK and window; LRO lets them advance and
 * carries the last ones.
 */
static void osim_lro_ack(struct kunit *test)
{
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	struct sk_buff *skb;
	unsigned int strict, v;

	for (strict = 0; strict < 2; strict++) {
		for (v = 0; v < 2; v++) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			if (v)
				s.window = 4000;
			else
				s.ack += 1448;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			osim_lro_expect_flushes(test, OSIM_FLUSH_ACK, strict);
			osim_lro_poll(test);
			skb = osim_lro_next(test);
			if (strict) {
				osim_lro_expect_agg(test, skb, &p, 0, 2);
				continue;
			}
			osim_lro_expect_agg(test, skb, &p, 0, 3);
			KUNIT_EXPECT_EQ(test, ntohl(tcp_hdr(skb)->ack_seq), s.ack);
			KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->window),
					s.window ?: 512);
		}
	}
}

/* A segment without payload ends the flow and is not held. rx-gro-hw
 * does not merge a segment longer than the first, and ends the flow
 * after a shorter one; LRO merges both.
 */
static void osim_lro_mss(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4, s;
	unsigned int strict, frags;
	struct sk_buff *skb;

	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		s = p;
		s.len = 0;
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		KUNIT_EXPECT_EQ(test, t->agg.held, 0);

		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 2);
		s.len = 0;
		KUNIT_EXPECT_FALSE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_MSS, 1);
		KUNIT_EXPECT_EQ(test, t->agg.held, 0);

		/* longer, its payload linear (LRO copies it into a page frag
		 * rather than chain it where skb_segment() could not cut),
		 * then in a page frag
		 */
		for (frags = 0; frags < 2; frags++) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			s.len = p.len + 1;
			s.nfrags = frags;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			osim_lro_expect_flushes(test, OSIM_FLUSH_MSS, strict);
			osim_lro_poll(test);
			skb = osim_lro_next(test);
			KUNIT_EXPECT_EQ(test, skb->len,
					osim_lro_hlen(&p) + (strict ? 2 : 3) *
					p.len + !strict);
			KUNIT_EXPECT_TRUE(test, osim_kt_payload_ok(skb,
								   osim_lro_hlen(&p),
								   p.pay_off,
								   skb->len - osim_lro_hlen(&p)));
			osim_lro_expect_cut(test, skb, osim_lro_hlen(&p));
			if (strict)
				KUNIT_EXPECT_EQ(test, osim_lro_next(test)->len,
						osim_lro_hlen(&p) + p.len + 1);
		}

		/* LRO: a full segment after a shorter one does not start at a
		 * multiple of gso_size: copied, not chained
		 */
		if (!strict) {
			osim_lro_reset(test, strict);
			osim_lro_feed(test, &p, 0, 2);
			s = osim_lro_seg(&p, 2);
			s.len = p.len - 1;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			s = osim_lro_seg(&p, 3);
			s.seq--;
			s.pay_off--;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			s = osim_lro_seg(&p, 4);
			s.seq--;
			s.pay_off--;
			KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
			osim_lro_expect_flushes(test, OSIM_FLUSH_MSS, 0);
			osim_lro_poll(test);
			skb = osim_lro_next(test);
			KUNIT_EXPECT_EQ(test, skb->len,
					osim_lro_hlen(&p) + 5 * p.len - 1);
			KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, p.len);
			KUNIT_EXPECT_TRUE(test, osim_kt_payload_ok(skb,
								   osim_lro_hlen(&p),
								   p.pay_off,
								   5 * p.len - 1));
			osim_lro_expect_cut(test, skb, osim_lro_hlen(&p));
		}

		/* shorter */
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 2);
		s = osim_lro_seg(&p, 2);
		s.len = p.len - 1;
		KUNIT_EXPECT_TRUE(test, osim_lro_offer(test, &s));
		osim_lro_expect_flushes(test, OSIM_FLUSH_MSS, strict);
		KUNIT_EXPECT_EQ(test, t->agg.held, !strict);
		osim_lro_poll(test);
		skb = osim_lro_next(test);
		KUNIT_EXPECT_EQ(test, skb->len,
				osim_lro_hlen(&p) + 3 * p.len - 1);
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, p.len);
	}
}

/* An aggregate stops short of 64 KB (GSO_LEGACY_MAX_SIZE) and, for LRO,
 * at OSIM_LRO_MAX_SEGS segments: the next segment starts a new one.
 */
static void osim_lro_size(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4;
	unsigned int strict, n;

	/* 40 header bytes + 46 * 1400 = 64440; one more is 65840 > 65535 */
	p.len = 1400;
	for (strict = 0; strict < 2; strict++) {
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, 46);
		osim_lro_expect_flushes(test, OSIM_FLUSH_SIZE, 0);
		osim_lro_feed(test, &p, 46, 47);
		osim_lro_expect_flushes(test, OSIM_FLUSH_SIZE, 1);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 46);
		KUNIT_EXPECT_EQ(test, t->agg.held, 1);
	}

	p.len = 10;
	for (strict = 0; strict < 2; strict++) {
		n = strict ? 100 : OSIM_LRO_MAX_SEGS;
		osim_lro_reset(test, strict);
		osim_lro_feed(test, &p, 0, n);
		osim_lro_expect_flushes(test, OSIM_FLUSH_SIZE, 0);
		osim_lro_feed(test, &p, n, n + 1);
		osim_lro_expect_flushes(test, OSIM_FLUSH_SIZE, !strict);
		osim_lro_poll(test);
		osim_lro_expect_agg(test, osim_lro_next(test), &p, 0,
				    strict ? n + 1 : n);
		if (!strict)
			osim_lro_expect_agg(test, osim_lro_next(test), &p, n, 1);
	}
}

/* A ninth flow evicts the oldest. */
static void osim_lro_evict(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4;
	unsigned int f;

	osim_lro_reset(test, false);
	for (f = 0; f <= OSIM_AGG_FLOWS; f++) {
		p.sport = 1000 + f;
		osim_lro_feed(test, &p, 0, 2);
	}
	osim_lro_expect_flushes(test, OSIM_FLUSH_EVICT, 1);
	p.sport = 1000;
	osim_lro_expect_agg(test, osim_lro_next(test), &p, 0, 2);
	KUNIT_EXPECT_EQ(test, t->agg.held, OSIM_AGG_FLOWS);
}

/* Only TCP whose checksum the hardware vouched for is aggregated. */
static void osim_lro_eligible(struct kunit *test)
{
	struct osim_lro_kt *t = test->priv;
	struct osim_kt_pkt p = osim_lro_tcp4;
	struct sk_buff *skb;

	osim_lro_reset(test, false);
	p.at_l3 = true;
	skb = osim_kt_build(test, &p);
	osim_kt_trash(test, skb);
	KUNIT_EXPECT_FALSE(test, osim_agg_receive(&t->agg, skb, false,
						  &t->done, &t->rc));

	p.proto = IPPROTO_UDP;
	skb = osim_kt_build(test, &p);
	osim_kt_trash(test, skb);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	KUNIT_EXPECT_FALSE(test, osim_agg_receive(&t->agg, skb, false,
						  &t->done, &t->rc));
	KUNIT_EXPECT_EQ(test, t->agg.held, 0);
}

static struct kunit_case osim_lro_cases[] = {
	KUNIT_CASE(osim_lro_merge),
	KUNIT_CASE(osim_lro_order),
	KUNIT_CASE(osim_lro_flows),
	KUNIT_CASE(osim_lro_flags_end),
	KUNIT_CASE(osim_lro_flags_refuse),
	KUNIT_CASE(osim_lro_options),
	KUNIT_CASE(osim_lro_ip_fields),
	KUNIT_CASE(osim_lro_ip_options_frags),
	KUNIT_CASE(osim_lro_ip_id),
	KUNIT_CASE(osim_lro_ack),
	KUNIT_CASE(osim_lro_mss),
	KUNIT_CASE(osim_lro_size),
	KUNIT_CASE(osim_lro_evict),
	KUNIT_CASE(osim_lro_eligible),
	{}
};

static struct kunit_suite osim_lro_suite = {
	.name		= "osim_lro",
	.init		= osim_lro_kt_init,
	.exit		= osim_lro_kt_exit,
	.test_cases	= osim_lro_cases,
};

kunit_test_suite(osim_lro_suite);
