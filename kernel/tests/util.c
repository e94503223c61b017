// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim KUnit tests: packets built byte by byte and checked with a
 * plain ones' complement sum, independently of the code under test.
 */
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "osim_kunit.h"

int osim_kt_init(struct kunit *test, size_t size)
{
	struct osim_kt *kt = kunit_kzalloc(test, size, GFP_KERNEL);

	if (!kt)
		return -ENOMEM;
	__skb_queue_head_init(&kt->trash);
	test->priv = kt;
	return 0;
}

void osim_kt_exit(struct kunit *test)
{
	struct osim_kt *kt = test->priv;

	__skb_queue_purge(&kt->trash);
}

/* Free @skb (and what it chains) when the case ends. */
void osim_kt_trash(struct kunit *test, struct sk_buff *skb)
{
	struct osim_kt *kt = test->priv;

	__skb_queue_tail(&kt->trash, skb);
}

/* The payload pattern: not periodic in 2 or 256 bytes, so that a shifted
 * or reordered payload never matches.
 */
u8 osim_kt_byte(u32 pos)
{
	return pos * 7 + (pos >> 8) + 1;
}

/* Add @buf to @sum as big-endian 16-bit words, the first byte high. */
u32 osim_kt_sum(u32 sum, const void *buf, unsigned int len)
{
	const u8 *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		sum += i & 1 ? p[i] : p[i] << 8;
	return sum;
}

/* osim_kt_sum() of @len bytes of @skb at @off, wherever they are. */
u32 osim_kt_sum_skb(u32 sum, const struct sk_buff *skb, unsigned int off,
		    unsigned int len)
{
	unsigned int i;
	u8 b;

	for (i = 0; i < len; i++) {
		if (skb_copy_bits(skb, off + i, &b, 1))
			return 0;
		sum += i & 1 ? b : b << 8;
	}
	return sum;
}

/* Store @v big-endian at @p. */
static void osim_kt_put16(void *p, u16 v)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

/* Load a big-endian 16-bit value from @p. */
u16 osim_kt_get16(const void *p)
{
	const u8 *b = p;

	return b[0] << 8 | b[1];
}

/* Fold the carries of @sum into 16 bits, not complemented. */
u16 osim_kt_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* The pseudo-header sum of the IP header at @nh (from skb->data). */
u32 osim_kt_pseudo(const struct sk_buff *skb, unsigned int nh, u8 proto,
		   u32 len)
{
	const u8 *ip = skb->data + nh;
	u32 sum = proto + (len >> 16) + (len & 0xffff);

	if ((ip[0] >> 4) == 6)
		return osim_kt_sum(sum, ip + offsetof(struct ipv6hdr, saddr), 32);
	return osim_kt_sum(sum, ip + offsetof(struct iphdr, saddr), 8);
}

static const struct in6_addr osim_kt_addr6[2] = {
	{ .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	{ .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } },
};

static const u8 osim_kt_addr4[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };

static void osim_kt_addr(u8 *dst, const struct in6_addr *a, bool ipv6,
			 unsigned int dflt)
{
	unsigned int len = ipv6 ? 16 : 4;

	if (!ipv6_addr_any(a))
		memcpy(dst, a->s6_addr, len);
	else if (ipv6)
		memcpy(dst, osim_kt_addr6[dflt].s6_addr, len);
	else
		memcpy(dst, osim_kt_addr4[dflt], len);
}

static void osim_kt_payload(struct kunit *test, struct sk_buff *skb,
			    const struct osim_kt_pkt *p)
{
	unsigned int i, j, pos = 0;

	if (!p->nfrags) {
		u8 *d = skb_put(skb, p->len);

		for (i = 0; i < p->len; i++)
			d[i] = osim_kt_byte(p->pay_off + i);
		return;
	}

	for (i = 0; i < p->nfrags; i++) {
		unsigned int size = p->len / p->nfrags;
		struct page *page;
		u8 *d;

		if (i == p->nfrags - 1)
			size = p->len - pos;
		KUNIT_ASSERT_LE(test, size, PAGE_SIZE);
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		d = page_address(page);
		for (j = 0; j < size; j++)
			d[j] = osim_kt_byte(p->pay_off + pos + j);
		skb_add_rx_frag(skb, i, page, 0, size, PAGE_SIZE);
		pos += size;
	}
}

/**
 * osim_kt_build - a packet as @p describes it
 * @test: the running case
 * @p: the packet
 *
 * Return: a new skb, Ethernet header included (pulled with @p->at_l3);
 * headers in the linear area, the IPv4 header checksum correct.
 */
struct sk_buff *osim_kt_build(struct kunit *test, const struct osim_kt_pkt *p)
{
	unsigned int l2 = ETH_HLEN + (p->vlan ? VLAN_HLEN : 0), l3, l4 = 0;
	__be16 proto = htons(p->ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	struct ethhdr *eth;
	struct sk_buff *skb;
	__sum16 *check;
	u8 *h, *nh;
	u16 c;

	l3 = p->ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + p->ip_optlen;
	if (p->proto == IPPROTO_TCP)
		l4 = sizeof(struct tcphdr) + p->tcp_optlen;
	else if (p->proto == IPPROTO_UDP)
		l4 = sizeof(struct udphdr);

	skb = alloc_skb(NET_SKB_PAD + l2 + l3 + l4 + (p->nfrags ? 0 : p->len),
			GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	h = skb_put_zero(skb, l2 + l3 + l4);

	eth = (struct ethhdr *)h;
	eth_zero_addr(eth->h_dest);
	eth_zero_addr(eth->h_source);
	eth->h_dest[0] = 0x02;
	eth->h_dest[5] = p->dmac ?: 0x02;
	eth->h_source[0] = 0x02;
	eth->h_source[5] = 0x01;
	eth->h_proto = proto;
	if (p->vlan) {
		struct vlan_hdr *vh = (struct vlan_hdr *)(h + ETH_HLEN);

		eth->h_proto = htons(ETH_P_8021Q);
		vh->h_vlan_TCI = htons(5);
		vh->h_vlan_encapsulated_proto = proto;
	}

	nh = h + l2;
	if (p->ipv6) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)nh;

		*(__be32 *)ip6h = htonl(6 << 28 | p->tos << 20 |
					(p->flowlabel & 0xfffff));
		ip6h->payload_len = htons(l4 + p->len);
		ip6h->nexthdr = p->proto;
		ip6h->hop_limit = p->ttl ?: 64;
		osim_kt_addr(ip6h->saddr.s6_addr, &p->saddr, true, 0);
		osim_kt_addr(ip6h->daddr.s6_addr, &p->daddr, true, 1);
	} else {
		struct iphdr *iph = (struct iphdr *)nh;

		iph->version = 4;
		iph->ihl = l3 / 4;
		iph->tos = p->tos;
		iph->tot_len = htons(l3 + l4 + p->len);
		iph->id = htons(p->ip_id);
		iph->frag_off = htons(p->frag | (p->df ? IP_DF : 0));
		iph->ttl = p->ttl ?: 64;
		iph->protocol = p->proto;
		osim_kt_addr((u8 *)&iph->saddr, &p->saddr, false, 0);
		osim_kt_addr((u8 *)&iph->daddr, &p->daddr, false, 1);
		memset(iph + 1, IPOPT_NOP, p->ip_optlen);
		osim_kt_put16(&iph->check, ~osim_kt_fold(osim_kt_sum(0, iph, l3)));
	}

	check = NULL;
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(nh + l3);

		th->source = htons(p->sport);
		th->dest = htons(p->dport);
		th->seq = htonl(p->seq);
		th->ack_seq = htonl(p->ack);
		th->doff = l4 / 4;
		((u8 *)th)[13] = p->flags;
		th->window = htons(p->window ?: 512);
		if (p->tcp_opts)
			memcpy(th + 1, p->tcp_opts, p->tcp_optlen);
		else
			memset(th + 1, TCPOPT_NOP, p->tcp_optlen);
		check = &th->check;
	} else if (p->proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)(nh + l3);

		uh->source = htons(p->sport);
		uh->dest = htons(p->dport);
		uh->len = htons(l4 + p->len);
		check = &uh->check;
	}

	osim_kt_payload(test, skb, p);

	skb->protocol = proto;
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, l2);
	skb_set_transport_header(skb, l2 + l3);

	if (check && p->csum == OSIM_KT_CSUM_OK) {
		c = ~osim_kt_fold(osim_kt_sum_skb(osim_kt_pseudo(skb, l2,
								 p->proto,
								 l4 + p->len),
						  skb, l2 + l3, l4 + p->len));
		if (!c && p->proto == IPPROTO_UDP)
			c = 0xffff;
		osim_kt_put16(check, c);
	} else if (check && p->csum == OSIM_KT_CSUM_PARTIAL) {
		c = osim_kt_fold(osim_kt_pseudo(skb, l2, p->proto, l4 + p->len));
		osim_kt_put16(check, c);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = (u8 *)check - skb_transport_header(skb);
	}

	if (p->at_l3)
		__skb_pull(skb, l2);
	return skb;
}

/* The IPv4 header at @nh sums to 0xffff, its checksum included. */
bool osim_kt_ip4_csum_ok(const struct sk_buff *skb, unsigned int nh)
{
	const struct iphdr *iph = (const struct iphdr *)(skb->data + nh);

	return osim_kt_fold(osim_kt_sum(0, iph, iph->ihl * 4)) == 0xffff;
}

/* The TCP or UDP checksum of the packet whose IP header is at @nh is
 * correct: pseudo-header, header and payload sum to 0xffff.
 */
bool osim_kt_l4_csum_ok(const struct sk_buff *skb, unsigned int nh)
{
	const u8 *ip = skb->data + nh;
	unsigned int l4off, l4len;
	u8 proto;

	if ((ip[0] >> 4) == 6) {
		const struct ipv6hdr *ip6h = (const struct ipv6hdr *)ip;

		l4off = nh + sizeof(*ip6h);
		l4len = ntohs(ip6h->payload_len);
		proto = ip6h->nexthdr;
	} else {
		const struct iphdr *iph = (const struct iphdr *)ip;

		l4off = nh + iph->ihl * 4;
		l4len = ntohs(iph->tot_len) - iph->ihl * 4;
		proto = iph->protocol;
	}
	return osim_kt_fold(osim_kt_sum_skb(osim_kt_pseudo(skb, nh, proto, l4len),
					    skb, l4off, l4len)) == 0xffff;
}

/* Bytes [@off, @off + @len) of @skb are the payload pattern from @pay_off. */
bool osim_kt_payload_ok(const struct sk_buff *skb, unsigned int off,
			u32 pay_off, u32 len)
{
	u32 i;
	u8 b;

	for (i = 0; i < len; i++)
		if (skb_copy_bits(skb, off + i, &b, 1) ||
		    b != osim_kt_byte(pay_off + i))
			return false;
	return true;
}
