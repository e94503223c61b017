// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the segmentation engine (TSO and USO).
 *
 * This is the device's "hardware": given one GSO skb it reads the headers
 * from the packet bytes, as an LSO engine does from the descriptor, and
 * emits wire frames, each with headers it built itself. It never calls the
 * kernel's software GSO; verify.c compares the two.
 *
 * Each frame's TCP/UDP checksum is the engine's to compute, and a NIC
 * computes it at no cost to the host. Summing every payload byte here
 * would charge the host a pass over the data that no hardware costs it,
 * so the engine leaves the sum owed: the frame leaves CHECKSUM_PARTIAL
 * with the pseudo-header sum in its private header, and
 * osim_csum_settle() writes the real checksum when somebody can read the
 * bytes (a packet tap on the receiver, a receiver without
 * rx-checksumming, the verify oracle). Everyone else gets the frame
 * CHECKSUM_PARTIAL, which the stack treats as verified, and forwards it
 * with the checksum completed on the way out, as it does veth's frames.
 *
 * Payload is attached by reference: each frame's page frags point into the
 * GSO skb's pages, as skb_segment() does. Bytes are copied only from the
 * GSO skb's linear area, for skbs with a frag_list, for user zerocopy
 * pages (MSG_ZEROCOPY: copied once by skb_orphan_frags_rx() so that the
 * sender's completion does not wait on the receiver), and when a frame
 * would need more than MAX_SKB_FRAGS frags.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "offloadsim.h"

#define OSIM_SEG_GSO_TYPES	(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 |	\
				 SKB_GSO_TCP_ECN | SKB_GSO_TCP_FIXEDID | \
				 SKB_GSO_UDP_L4 | SKB_GSO_DODGY)

/**
 * struct osim_seg - a GSO packet as the engine parsed it
 * @hdr: copy of the headers, Ethernet to the end of TCP/UDP
 * @nh_off: offset of the IP header
 * @th_off: offset of the TCP/UDP header
 * @hdr_len: length of all headers
 * @mss: payload bytes per frame
 * @payload: payload bytes in the packet
 * @seq: TCP sequence number of the first payload byte
 * @ip_id: IPv4 id of the first frame
 * @l4proto: IPPROTO_TCP or IPPROTO_UDP
 * @ipv6: IPv6 rather than IPv4
 * @fixedid: keep the IPv4 id of every frame (tx-tcp-mangleid-segmentation)
 */
struct osim_seg {
	u8	hdr[OSIM_SEG_MAX_HDR];
	u16	nh_off;
	u16	th_off;
	u16	hdr_len;
	u32	mss;
	u32	payload;
	u32	seq;
	u16	ip_id;
	u8	l4proto;
	bool	ipv6;
	bool	fixedid;
};

/* Parse and validate @skb's headers. Every read is bounded by the copy in
 * @s->hdr, itself bounded by skb->len.
 */
static int osim_seg_parse(const struct sk_buff *skb, struct osim_seg *s)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int gso_type = shinfo->gso_type;
	unsigned int n, off = ETH_HLEN, l4len;
	bool want_tcp, want_udp;
	int vlan_depth = 0;
	__be16 proto;

	if (gso_type & ~OSIM_SEG_GSO_TYPES || !shinfo->gso_size)
		return -EINVAL;
	want_tcp = gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6);
	want_udp = gso_type & SKB_GSO_UDP_L4;
	if (want_tcp == want_udp)
		return -EINVAL;
	/* The engine builds every checksum itself. The stack hands it
	 * CHECKSUM_PARTIAL skbs, and CHECKSUM_UNNECESSARY ones: an LRO
	 * aggregate leaving through another device (tc mirred), which
	 * netif_needs_gso() lets through and tcp4_gso_segment() also takes.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL &&
	    skb->ip_summed != CHECKSUM_UNNECESSARY)
		return -EINVAL;

	n = min_t(unsigned int, skb->len, sizeof(s->hdr));
	if (n < ETH_HLEN || skb_copy_bits(skb, 0, s->hdr, n))
		return -EINVAL;

	proto = ((struct ethhdr *)s->hdr)->h_proto;
	while (eth_type_vlan(proto)) {
		if (++vlan_depth > 2 || off + VLAN_HLEN > n)
			return -EINVAL;
		proto = ((struct vlan_hdr *)(s->hdr + off))->h_vlan_encapsulated_proto;
		off += VLAN_HLEN;
	}
	s->nh_off = off;

	if (proto == htons(ETH_P_IP)) {
		const struct iphdr *iph = (const struct iphdr *)(s->hdr + off);

		if (off + sizeof(*iph) > n || iph->version != 4 || iph->ihl < 5)
			return -EINVAL;
		if (gso_type & SKB_GSO_TCPV6 || ip_is_fragment(iph))
			return -EINVAL;
		s->fixedid = gso_type & SKB_GSO_TCP_FIXEDID;
		/* As inet_gso_segment(): a fixed id needs DF. */
		if (s->fixedid && !(iph->frag_off & htons(IP_DF)))
			return -EINVAL;
		s->ipv6 = false;
		s->ip_id = ntohs(iph->id);
		s->l4proto = iph->protocol;
		off += iph->ihl * 4;
	} else if (proto == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h = (const struct ipv6hdr *)(s->hdr + off);

		if (off + sizeof(*ip6h) > n || ip6h->version != 6)
			return -EINVAL;
		/* SKB_GSO_TCP_FIXEDID means nothing to IPv6, and software
		 * GSO ignores it (bpf_skb_change_proto() keeps it on a GRO'd
		 * IPv4 packet it turns into IPv6).
		 */
		if (gso_type & SKB_GSO_TCPV4)
			return -EINVAL;
		/* No extension headers: osim_features_check() sends those
		 * to software GSO.
		 */
		s->ipv6 = true;
		s->fixedid = false;
		s->l4proto = ip6h->nexthdr;
		off += sizeof(*ip6h);
	} else {
		return -EINVAL;
	}
	s->th_off = off;

	if (want_tcp) {
		const struct tcphdr *th = (const struct tcphdr *)(s->hdr + off);

		if (s->l4proto != IPPROTO_TCP || off + sizeof(*th) > n)
			return -EINVAL;
		l4len = th->doff * 4;
		if (l4len < sizeof(*th))
			return -EINVAL;
		s->seq = ntohl(th->seq);
	} else {
		if (s->l4proto != IPPROTO_UDP)
			return -EINVAL;
		l4len = sizeof(struct udphdr);
	}

	s->hdr_len = off + l4len;
	if (s->hdr_len > n || skb->len <= s->hdr_len)
		return -EINVAL;
	s->payload = skb->len - s->hdr_len;

	/* The stack's idea of the packet must be the engine's. */
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_start_offset(skb) != s->th_off)
		return -EINVAL;

	s->mss = shinfo->gso_size;
	return 0;
}

/* How many page frags @len payload bytes at @pos of @skb span. */
static unsigned int osim_seg_nfrags(const struct sk_buff *skb, u32 pos, u32 len)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 fpos = skb_headlen(skb), end = pos + len;
	unsigned int i, nr = 0;

	for (i = 0; i < shinfo->nr_frags && fpos < end; i++) {
		u32 fend = fpos + skb_frag_size(&shinfo->frags[i]);

		if (fend > pos)
			nr++;
		fpos = fend;
	}
	return nr;
}

/* Attach @len payload bytes at @pos of @skb to @frame as frag references. */
static void osim_seg_attach(struct sk_buff *frame, const struct sk_buff *skb,
			    u32 pos, u32 len)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct skb_shared_info *fshinfo = skb_shinfo(frame);
	u32 fpos = skb_headlen(skb), rest = len;
	unsigned int i;

	for (i = 0; i < shinfo->nr_frags && rest; i++) {
		const skb_frag_t *frag = &shinfo->frags[i];
		u32 size = skb_frag_size(frag), in, take;
		skb_frag_t *nfrag;

		if (pos >= fpos + size) {
			fpos += size;
			continue;
		}
		in = pos - fpos;
		take = min(size - in, rest);

		nfrag = &fshinfo->frags[fshinfo->nr_frags++];
		*nfrag = *frag;
		__skb_frag_ref(nfrag);
		skb_frag_off_add(nfrag, in);
		skb_frag_size_set(nfrag, take);

		pos += take;
		rest -= take;
		fpos += size;
	}

	fshinfo->flags |= shinfo->flags & SKBFL_SHARED_FRAG;
	frame->len += len;
	frame->data_len += len;
	frame->truesize += len;
}

/* One wire frame: headers from @s, payload bytes [off, off + len). */
static struct sk_buff *osim_seg_frame(struct net_device *dev,
				      const struct sk_buff *skb,
				      const struct osim_seg *s, u32 off, u32 len)
{
	u32 pos = s->hdr_len + off, lin = 0, headlen = skb_headlen(skb);
	struct sk_buff *frame;

	if (pos < headlen)
		lin = min(len, headlen - pos);
	if (skb_has_frag_list(skb) ||
	    osim_seg_nfrags(skb, pos + lin, len - lin) > MAX_SKB_FRAGS)
		lin = len;

	frame = netdev_alloc_skb(dev, s->hdr_len + lin);
	if (!frame)
		return NULL;

	skb_put_data(frame, s->hdr, s->hdr_len);
	if (lin && skb_copy_bits(skb, pos, skb_put(frame, lin), lin)) {
		kfree_skb(frame);
		return NULL;
	}
	if (len > lin)
		osim_seg_attach(frame, skb, pos + lin, len - lin);

	frame->protocol = skb->protocol;
	frame->priority = skb->priority;
	skb_set_queue_mapping(frame, skb_get_queue_mapping(skb));
	skb_reset_mac_header(frame);
	skb_set_network_header(frame, s->nh_off);
	skb_set_transport_header(frame, s->th_off);
	return frame;
}

/* Rewrite frame @i's headers: the IPv4 header checksum now, the TCP/UDP
 * checksum owed (see the top of this file).
 */
static void osim_seg_fixup(struct sk_buff *frame, const struct osim_seg *s,
			   unsigned int i, u32 off, bool last)
{
	unsigned int l4len = frame->len - s->th_off;
	__sum16 *check;

	if (s->ipv6) {
		struct ipv6hdr *ip6h = ipv6_hdr(frame);

		ip6h->payload_len = htons(frame->len - s->nh_off - sizeof(*ip6h));
	} else {
		struct iphdr *iph = ip_hdr(frame);

		iph->tot_len = htons(frame->len - s->nh_off);
		if (!s->fixedid)
			iph->id = htons((u16)(s->ip_id + i));
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}

	if (s->l4proto == IPPROTO_TCP) {
		struct tcphdr *th = tcp_hdr(frame);

		th->seq = htonl(s->seq + off);
		/* CWR on the first frame only, FIN and PSH on the last. */
		if (i)
			th->cwr = 0;
		if (!last) {
			th->fin = 0;
			th->psh = 0;
		}
		check = &th->check;
	} else {
		struct udphdr *uh = udp_hdr(frame);

		uh->len = htons(l4len);
		check = &uh->check;
	}

	if (s->ipv6)
		*check = ~csum_ipv6_magic(&ipv6_hdr(frame)->saddr,
					  &ipv6_hdr(frame)->daddr, l4len,
					  s->l4proto, 0);
	else
		*check = ~csum_tcpudp_magic(ip_hdr(frame)->saddr,
					    ip_hdr(frame)->daddr, l4len,
					    s->l4proto, 0);
	frame->ip_summed = CHECKSUM_PARTIAL;
	frame->csum_start = skb_transport_header(frame) - frame->head;
	frame->csum_offset = (u8 *)check - skb_transport_header(frame);
}

/**
 * osim_tso_segment - cut a GSO skb into wire frames
 * @dev: the sending device
 * @skb: the GSO skb; left untouched but for zerocopy frags being copied
 * @lso_mtu: 0, or the IP datagram size to cut TCP at instead of gso_size
 * @frames: receives the frames, in order
 * @tc: counters to update
 *
 * Return: 0, -EINVAL for a packet the engine cannot parse (counted as
 * malformed), or -ENOMEM.
 */
int osim_tso_segment(struct net_device *dev, struct sk_buff *skb,
		     unsigned int lso_mtu, struct sk_buff_head *frames,
		     struct osim_tx_counts *tc)
{
	struct osim_seg s;
	unsigned int i;
	u32 off, len;
	int err;

	err = osim_seg_parse(skb, &s);
	if (err) {
		tc->malformed++;
		return err;
	}

	/* An engine stuck on its default cuts TCP at lso_mtu, whatever
	 * gso_size the stack asked for.
	 */
	BUILD_BUG_ON(OSIM_SEG_MAX_HDR >= OSIM_LSO_MTU_MIN);
	if (lso_mtu && s.l4proto == IPPROTO_TCP)
		s.mss = lso_mtu - (s.hdr_len - s.nh_off);

	if (skb_orphan_frags_rx(skb, GFP_ATOMIC))
		return -ENOMEM;

	for (off = 0, i = 0; off < s.payload; off += len, i++) {
		struct sk_buff *frame;

		len = min(s.mss, s.payload - off);
		frame = osim_seg_frame(dev, skb, &s, off, len);
		if (!frame) {
			__skb_queue_purge(frames);
			return -ENOMEM;
		}
		osim_seg_fixup(frame, &s, i, off, off + len == s.payload);
		__skb_queue_tail(frames, frame);
	}

	if (s.l4proto == IPPROTO_TCP) {
		tc->tso_packets++;
		tc->tso_frames += i;
		tc->tso_bytes += skb->len;
		if (lso_mtu)
			tc->lso_mtu_frames += i;
	} else {
		tc->uso_packets++;
		tc->uso_frames += i;
	}
	tc->csum_offload += i;
	return 0;
}

/**
 * osim_features_check - what the engine cannot do for this skb
 * @skb: the packet about to be transmitted
 * @dev: the device
 * @features: what the device offers
 *
 * The engine segments Ethernet with at most one VLAN tag, IPv4 (options
 * included) or IPv6 without extension headers, then TCP or UDP. Tunnels,
 * stacked VLAN tags and IPv6 extension headers go to software GSO, as a
 * NIC driver sends them there.
 *
 * Return: @features less what the skb needs and the engine lacks.
 */
netdev_features_t osim_features_check(struct sk_buff *skb,
				      struct net_device *dev,
				      netdev_features_t features)
{
	features = vlan_features_check(skb, features);

	if (!skb_is_gso(skb))
		return features;

	if (skb->encapsulation)
		return features & ~NETIF_F_GSO_MASK;

	if (vlan_get_protocol(skb) == htons(ETH_P_IPV6) &&
	    skb_transport_offset(skb) - skb_network_offset(skb) !=
	    sizeof(struct ipv6hdr))
		return features & ~NETIF_F_GSO_MASK;

	return features;
}
