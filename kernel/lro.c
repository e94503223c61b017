// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the receive aggregation engine, LRO and hardware GRO.
 *
 * Per RX queue, the engine holds up to OSIM_AGG_FLOWS TCP flows and merges
 * each in-order segment of a held flow into it: payload page frags move
 * into the aggregate's frag table (or, when that is full or the payload is
 * linear, the segment is chained on its frag_list), as skb_gro_receive()
 * does. Every flow is flushed at the end of each NAPI poll.
 *
 * Two rule sets share the engine:
 *
 * rx-gro-hw ("strict") follows net/ipv4/tcp_offload.c:tcp_gro_receive()
 * and include/net/gro.h:inet_gro_flush(): same flags but PSH/FIN/CWR, same
 * ACK and window, same options, same TTL/TOS/DF, IPv4 IDs incrementing (or
 * fixed with DF), no segment longer than the first. The aggregate keeps the
 * first segment's headers with PSH/FIN ORed in and is finished like
 * tcp_gro_complete(): CHECKSUM_PARTIAL, gso_size = the first segment's
 * payload. Software GRO cannot tell it from its own work.
 *
 * large-receive-offload ("loose") is classic NIC LRO: ACK number and window
 * may advance (the aggregate carries the last ones), IP IDs are not
 * checked, and up to OSIM_LRO_MAX_SEGS segments merge. The aggregate goes
 * up CHECKSUM_UNNECESSARY. Its headers describe no packet that was ever on
 * the wire, which is why the kernel turns LRO off on a device that
 * forwards (dev_disable_lro()). Segment sizes are not checked either, but
 * the aggregate must stay one that skb_segment() can cut at gso_size when
 * it leaves through another device after all (tc mirred does not turn LRO
 * off), or skb_segment() hits a BUG_ON(): a segment with linear payload is
 * chained on the frag_list only where it starts at a multiple of gso_size
 * and is no longer. Elsewhere its payload is copied into a page frag, as a
 * NIC writes payload into its own buffers (osim_agg_merge()).
 *
 * Both match flows as dev_gro_receive() does, Ethernet header included.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "offloadsim.h"

#define OSIM_TCP_WINDOW		htonl(0x0000ffff)
/* A segment with one of these is delivered right after it is merged. */
#define OSIM_TCP_FINAL		(TCP_FLAG_URG | TCP_FLAG_PSH | TCP_FLAG_RST | \
				 TCP_FLAG_SYN | TCP_FLAG_FIN)

/**
 * struct osim_seg - a received TCP segment, parsed
 * @nh: network header (skb->data)
 * @th: TCP header
 * @nhlen: network header length
 * @hlen: network plus TCP header length
 * @len: payload length
 * @ipv6: TCP over IPv6
 * @ip_opts: IPv4 with options: never merged
 * @skb: the frame
 */
struct osim_seg {
	const struct sk_buff *skb;
	void		*nh;
	struct tcphdr	*th;
	unsigned int	nhlen;
	unsigned int	hlen;
	unsigned int	len;
	bool		ipv6;
	bool		ip_opts;
};

/* Parse @skb (data at the network header) as TCP over IPv4 or IPv6 without
 * extension headers. Headers end up in the linear area.
 */
static bool osim_seg_parse(struct sk_buff *skb, struct osim_seg *s)
{
	unsigned int thlen;

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return false;
		iph = (const struct iphdr *)skb->data;
		if (iph->version != 4 || iph->ihl < 5 ||
		    iph->protocol != IPPROTO_TCP || ip_is_fragment(iph) ||
		    ntohs(iph->tot_len) != skb->len)
			return false;
		s->nhlen = iph->ihl * 4;
		s->ip_opts = iph->ihl > 5;
		s->ipv6 = false;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return false;
		ip6h = (const struct ipv6hdr *)skb->data;
		if (ip6h->nexthdr != IPPROTO_TCP ||
		    sizeof(*ip6h) + ntohs(ip6h->payload_len) != skb->len)
			return false;
		s->nhlen = sizeof(*ip6h);
		s->ip_opts = false;
		s->ipv6 = true;
	} else {
		return false;
	}

	if (!pskb_may_pull(skb, s->nhlen + sizeof(struct tcphdr)))
		return false;
	thlen = ((struct tcphdr *)(skb->data + s->nhlen))->doff * 4;
	if (thlen < sizeof(struct tcphdr) ||
	    !pskb_may_pull(skb, s->nhlen + thlen))
		return false;

	/* pskb_may_pull() may have moved the head. */
	s->skb = skb;
	s->nh = skb->data;
	s->th = (struct tcphdr *)(skb->data + s->nhlen);
	s->hlen = s->nhlen + thlen;
	s->len = skb->len - s->hlen;
	return true;
}

static struct tcphdr *osim_agg_th(const struct osim_agg_flow *f)
{
	return (struct tcphdr *)(f->skb->data + f->hlen - f->thlen);
}

/* Same Ethernet header and VLAN tag, same 4-tuple (and IPv6 flow label):
 * GRO's flow match.
 */
static bool osim_agg_same_flow(const struct osim_agg_flow *f,
			       const struct osim_seg *s)
{
	const struct tcphdr *th2 = osim_agg_th(f);
	const void *nh2 = f->skb->data;

	if (f->ipv6 != s->ipv6 || th2->source != s->th->source ||
	    th2->dest != s->th->dest)
		return false;
	if (f->skb->vlan_proto != s->skb->vlan_proto ||
	    f->skb->vlan_tci != s->skb->vlan_tci ||
	    compare_ether_header(skb_mac_header(f->skb),
				 skb_mac_header(s->skb)))
		return false;

	if (s->ipv6) {
		const struct ipv6hdr *ip6h = s->nh, *ip6h2 = nh2;

		return ipv6_addr_equal(&ip6h->saddr, &ip6h2->saddr) &&
		       ipv6_addr_equal(&ip6h->daddr, &ip6h2->daddr) &&
		       !((*(__be32 *)ip6h ^ *(__be32 *)ip6h2) &
			 htonl(0xf00fffff));
	} else {
		const struct iphdr *iph = s->nh, *iph2 = nh2;

		return iph->saddr == iph2->saddr && iph->daddr == iph2->daddr;
	}
}

/* The network-layer rules: inet_gro_flush() and ipv6_gro_flush(). */
static bool osim_agg_ip_differs(struct osim_agg_flow *f,
				const struct osim_seg *s)
{
	if (s->ipv6) {
		const struct ipv6hdr *ip6h = s->nh, *ip6h2 = (void *)f->skb->data;

		return ((*(__be32 *)ip6h ^ *(__be32 *)ip6h2) & htonl(0x0ff00000)) ||
		       ip6h->hop_limit != ip6h2->hop_limit;
	} else {
		const struct iphdr *iph = s->nh, *iph2 = (void *)f->skb->data;
		u16 id_off = ntohs(iph->id) - ntohs(iph2->id);
		bool df = iph->frag_off & htons(IP_DF);

		if (iph->ttl != iph2->ttl || iph->tos != iph2->tos ||
		    ((iph->frag_off ^ iph2->frag_off) & htons(IP_DF)))
			return true;
		if (!f->strict)
			return false;
		/* The second segment decides whether IDs are fixed. */
		if (f->count == 1 && df && !id_off)
			f->fixedid = true;
		return id_off != (f->fixedid ? 0 : f->count);
	}
}

/* How osim_agg_merge() takes a segment in. */
enum osim_agg_way {
	OSIM_AGG_FRAGS,		/* its page frags move to the aggregate */
	OSIM_AGG_CHAIN,		/* it is chained on the frag_list */
	OSIM_AGG_COPY,		/* its payload is copied into a page frag */
	OSIM_AGG_NONE,		/* none of these: not merged */
};

/*
 * Payload all in page frags that fit the frag table of @f's last skb:
 * they move there, as skb_gro_receive() moves them. Otherwise the segment
 * is chained on the frag_list, as GRO chains it. skb_segment() cuts a
 * chained skb with linear payload only when it starts at a multiple of
 * gso_size and is no longer (its BUG_ON()s): always so with rx-gro-hw,
 * whose rules are GRO's; LRO copies a segment that would break that into
 * a page frag of the last skb.
 */
static enum osim_agg_way osim_agg_way(const struct osim_agg_flow *f,
				      const struct osim_seg *s)
{
	const struct sk_buff *skb = s->skb, *lp = f->last;
	bool linear = skb_headlen(skb) > s->hlen;

	if (!linear && skb_shinfo(lp)->nr_frags + skb_shinfo(skb)->nr_frags <=
	    MAX_SKB_FRAGS && lp->pp_recycle == skb->pp_recycle)
		return OSIM_AGG_FRAGS;
	if (!linear || f->strict ||
	    (s->len <= f->mss && !((f->skb->len - f->hlen) % f->mss)))
		return OSIM_AGG_CHAIN;
	if (skb_shinfo(lp)->nr_frags < MAX_SKB_FRAGS && s->len <= PAGE_SIZE)
		return OSIM_AGG_COPY;
	return OSIM_AGG_NONE;
}

/* Can @s be merged into @f? If not, why @f must be flushed. */
static enum osim_flush osim_agg_check(struct osim_agg_flow *f,
				      const struct osim_seg *s)
{
	const struct tcphdr *th = s->th, *th2 = osim_agg_th(f);
	__be32 flags = tcp_flag_word(th), diff;
	unsigned int i;

	if (s->ip_opts)
		return OSIM_FLUSH_IP;
	if (th->doff != th2->doff)
		return OSIM_FLUSH_OPTIONS;

	diff = flags ^ tcp_flag_word(th2);
	if ((flags & TCP_FLAG_CWR) ||
	    (diff & ~(TCP_FLAG_CWR | TCP_FLAG_FIN | TCP_FLAG_PSH |
		      OSIM_TCP_WINDOW)))
		return OSIM_FLUSH_FLAGS;
	if (f->strict && ((diff & OSIM_TCP_WINDOW) ||
			  th->ack_seq != th2->ack_seq))
		return OSIM_FLUSH_ACK;

	for (i = sizeof(*th); i < th->doff * 4; i += 4)
		if (*(u32 *)((u8 *)th + i) != *(u32 *)((u8 *)th2 + i))
			return OSIM_FLUSH_OPTIONS;

	if (ntohl(th->seq) != f->next_seq)
		return OSIM_FLUSH_ORDER;
	if (osim_agg_ip_differs(f, s))
		return OSIM_FLUSH_IP;
	if (f->strict && s->len > f->mss)
		return OSIM_FLUSH_MSS;
	if (osim_agg_way(f, s) == OSIM_AGG_NONE)
		return OSIM_FLUSH_MSS;
	if (f->skb->len + s->len >= GSO_LEGACY_MAX_SIZE ||
	    (!f->strict && f->count >= OSIM_LRO_MAX_SEGS))
		return OSIM_FLUSH_SIZE;
	return OSIM_FLUSH_NONE;
}

/* Move @skb's payload into the aggregate, as skb_gro_receive() does, and
 * consume @skb. Return: false, @skb untouched, if there was no memory for
 * a copy.
 */
static bool osim_agg_merge(struct osim_agg_flow *f, struct sk_buff *skb,
			   const struct osim_seg *s)
{
	struct skb_shared_info *pinfo, *sinfo = skb_shinfo(skb);
	struct sk_buff *p = f->skb, *lp = f->last;
	enum osim_agg_way way = osim_agg_way(f, s);
	unsigned int delta_truesize;

	pinfo = skb_shinfo(lp);
	if (way == OSIM_AGG_COPY) {
		struct page *page;
		void *buf;

		buf = netdev_alloc_frag(s->len);
		if (!buf)
			return false;
		if (skb_copy_bits(skb, s->hlen, buf, s->len)) {
			skb_free_frag(buf);
			return false;
		}
		page = virt_to_head_page(buf);
		skb_fill_page_desc(lp, pinfo->nr_frags, page,
				   buf - page_address(page), s->len);
		delta_truesize = SKB_DATA_ALIGN(s->len);
		consume_skb(skb);
	} else if (way == OSIM_AGG_FRAGS) {
		/* The payload is all in page frags: take them over. */
		memcpy(pinfo->frags + pinfo->nr_frags, sinfo->frags,
		       sinfo->nr_frags * sizeof(skb_frag_t));
		pinfo->nr_frags += sinfo->nr_frags;
		pinfo->flags |= sinfo->flags & SKBFL_SHARED_FRAG;
		skb_shinfo(p)->flags |= sinfo->flags & SKBFL_SHARED_FRAG;
		sinfo->nr_frags = 0;

		delta_truesize = skb->truesize -
				 SKB_TRUESIZE(skb_end_offset(skb));
		skb->truesize -= skb->data_len;
		skb->len -= skb->data_len;
		skb->data_len = 0;
		consume_skb(skb);
	} else {
		/* Chain the segment, headers pulled, on the frag_list. */
		__skb_pull(skb, s->hlen);
		if (lp == p)
			skb_shinfo(p)->frag_list = skb;
		else
			lp->next = skb;
		f->last = skb;
		__skb_header_release(skb);
		delta_truesize = skb->truesize;
		lp = p;
	}

	p->data_len += s->len;
	p->truesize += delta_truesize;
	p->len += s->len;
	if (lp != p) {
		lp->data_len += s->len;
		lp->truesize += delta_truesize;
		lp->len += s->len;
	}
	return true;
}

/* Turn a multi-segment aggregate into what the stack expects. */
static void osim_agg_finish(struct osim_agg_flow *f, struct sk_buff *skb,
			    struct osim_rx_counts *rc)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int l4len = skb->len - (f->hlen - f->thlen);
	struct tcphdr *th = osim_agg_th(f);

	if (f->ipv6) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)skb->data;

		ip6h->payload_len = htons(l4len);
		shinfo->gso_type = SKB_GSO_TCPV6;
		if (f->strict)
			th->check = ~tcp_v6_check(l4len, &ip6h->saddr,
						  &ip6h->daddr, 0);
	} else {
		struct iphdr *iph = (struct iphdr *)skb->data;

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
		shinfo->gso_type = SKB_GSO_TCPV4;
		if (f->strict && f->fixedid)
			shinfo->gso_type |= SKB_GSO_TCP_FIXEDID;
		if (f->strict)
			th->check = ~tcp_v4_check(l4len, iph->saddr,
						  iph->daddr, 0);
	}
	if (th->cwr)
		shinfo->gso_type |= SKB_GSO_TCP_ECN;
	shinfo->gso_size = f->mss;
	shinfo->gso_segs = f->count;

	if (f->strict) {
		/* tcp_gro_complete() */
		skb->csum_start = (unsigned char *)th - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		skb->ip_summed = CHECKSUM_PARTIAL;
		rc->c[OSIM_RX_HW_GRO_PACKETS]++;
		rc->c[OSIM_RX_HW_GRO_SEGMENTS] += f->count;
		rc->c[OSIM_RX_HW_GRO_BYTES] += skb->len + ETH_HLEN;
		rc->c[OSIM_RX_HW_GRO_WIRE_BYTES] += skb->len + ETH_HLEN +
			(f->count - 1) * (f->hlen + ETH_HLEN);
	} else {
		/* The first segment's owed checksum belongs to no packet now. */
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		rc->c[OSIM_RX_LRO_PACKETS]++;
		rc->c[OSIM_RX_LRO_SEGMENTS] += f->count;
	}
}

/* End @f: its aggregate goes on @done, for the caller to deliver. */
static void osim_agg_flush(struct osim_agg *agg, struct osim_agg_flow *f,
			   enum osim_flush why, struct sk_buff_head *done,
			   struct osim_rx_counts *rc)
{
	struct sk_buff *skb = f->skb;

	rc->c[OSIM_RX_FLUSH_FLAGS + why]++;
	if (f->count > 1)
		osim_agg_finish(f, skb, rc);
	f->skb = NULL;
	agg->held--;
	__skb_queue_tail(done, skb);
}

/**
 * osim_agg_flush_all - end every held flow of a queue
 * @agg: the queue's engine
 * @why: the reason to count
 * @done: receives the aggregates, for the caller to deliver in order
 * @rc: counters of the running poll
 */
void osim_agg_flush_all(struct osim_agg *agg, enum osim_flush why,
			struct sk_buff_head *done, struct osim_rx_counts *rc)
{
	unsigned int i;

	for (i = 0; i < OSIM_AGG_FLOWS && agg->held; i++)
		if (agg->flow[i].skb)
			osim_agg_flush(agg, &agg->flow[i], why, done, rc);
}

/* Start holding @skb as the first segment of a flow. */
static void osim_agg_hold(struct osim_agg *agg, struct sk_buff *skb,
			  const struct osim_seg *s, bool strict,
			  struct sk_buff_head *done, struct osim_rx_counts *rc)
{
	struct osim_agg_flow *f = NULL;
	unsigned int i;

	for (i = 0; i < OSIM_AGG_FLOWS; i++) {
		struct osim_agg_flow *g = &agg->flow[i];

		if (!g->skb) {
			f = g;
			break;
		}
		if (!f || (s32)(g->stamp - f->stamp) < 0)
			f = g;
	}
	if (f->skb)
		osim_agg_flush(agg, f, OSIM_FLUSH_EVICT, done, rc);

	*f = (struct osim_agg_flow) {
		.skb		= skb,
		.last		= skb,
		.next_seq	= ntohl(s->th->seq) + s->len,
		.mss		= s->len,
		.count		= 1,
		.hlen		= s->hlen,
		.thlen		= s->th->doff * 4,
		.ipv6		= s->ipv6,
		.strict		= strict,
		.stamp		= agg->stamp++,
	};
	agg->held++;
}

/**
 * osim_agg_receive - offer one received frame to the aggregation engine
 * @agg: the receiving queue's engine
 * @skb: the frame, data at its network header, checksum already checked
 * @strict: rx-gro-hw rules (true) or LRO rules (false)
 * @done: receives the aggregates this frame ends, for the caller to
 *	deliver in order before @skb (if the engine does not take it)
 * @rc: counters of the running poll
 *
 * The engine decides; it delivers nothing itself.
 *
 * Return: true if the engine took @skb (merged or held), false if the
 * caller delivers it. A held flow of the same connection that @skb cannot
 * join is put on @done first, so a flow's order is kept.
 */
bool osim_agg_receive(struct osim_agg *agg, struct sk_buff *skb, bool strict,
		      struct sk_buff_head *done, struct osim_rx_counts *rc)
{
	struct osim_agg_flow *f = NULL;
	enum osim_flush why;
	struct osim_seg s;
	unsigned int i;
	__be32 flags;

	/* Only segments whose checksum the hardware vouched for merge:
	 * verified, or owed by the sender's segmentation engine.
	 */
	if ((skb->ip_summed != CHECKSUM_UNNECESSARY &&
	     skb->ip_summed != CHECKSUM_PARTIAL) || skb_has_frag_list(skb) ||
	    !osim_seg_parse(skb, &s))
		return false;
	/* Software GRO passes an IPv4 packet with options straight up and
	 * keeps holding its flow (inet_gro_receive()); so does rx-gro-hw.
	 * LRO flushes the flow first, keeping its order.
	 */
	if (strict && s.ip_opts)
		return false;
	flags = tcp_flag_word(s.th);

	for (i = 0; i < OSIM_AGG_FLOWS && agg->held; i++) {
		if (agg->flow[i].skb && osim_agg_same_flow(&agg->flow[i], &s)) {
			f = &agg->flow[i];
			break;
		}
	}

	if (f) {
		why = s.len ? osim_agg_check(f, &s) : OSIM_FLUSH_MSS;
		if (why == OSIM_FLUSH_NONE) {
			struct tcphdr *th2 = osim_agg_th(f);
			/* Read before the merge, which may free @skb's head
			 * and with it s.th.
			 */
			__be32 ack = s.th->ack_seq;
			__be16 window = s.th->window;

			if (!osim_agg_merge(f, skb, &s)) {
				why = OSIM_FLUSH_MSS;
				goto flush;
			}
			if (!f->strict) {
				th2->ack_seq = ack;
				th2->window = window;
			}
			f->count++;
			f->next_seq += s.len;
			tcp_flag_word(th2) |= flags & (TCP_FLAG_FIN | TCP_FLAG_PSH);

			if (flags & OSIM_TCP_FINAL)
				osim_agg_flush(agg, f, OSIM_FLUSH_FLAGS, done, rc);
			else if (f->strict && s.len < f->mss)
				osim_agg_flush(agg, f, OSIM_FLUSH_MSS, done, rc);
			return true;
		}
flush:
		osim_agg_flush(agg, f, why, done, rc);
	}

	if (!s.len || s.ip_opts || (flags & OSIM_TCP_FINAL))
		return false;

	osim_agg_hold(agg, skb, &s, strict, done, rc);
	return true;
}
