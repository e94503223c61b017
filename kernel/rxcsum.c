// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: receive checksum offload (rx-checksumming).
 *
 * The "hardware" checks the IPv4 header checksum and the TCP or UDP
 * checksum of every frame before NAPI hands it to the stack, as a NIC does
 * while it writes the frame into host memory:
 *
 *   good        -> CHECKSUM_UNNECESSARY         (csum_good)
 *   bad         -> CHECKSUM_NONE, the stack     (csum_bad)
 *                  verifies again and drops it
 *   not TCP/UDP, an IPv4 fragment, UDP without  (csum_none)
 *   a checksum or with a length longer than
 *   the IP payload, rx-checksumming off
 *               -> CHECKSUM_NONE
 *
 * A frame the sending offloadsim segmentation engine cut (TSO/USO) is the
 * very buffer whose headers the engine built and whose checksum it owes
 * (tso.c): nothing touched it on the way, so it is passed without
 * verifying (csum_trusted). It goes up CHECKSUM_PARTIAL, the checksum
 * still owed, unless somebody can read its bytes: with a packet tap on
 * the device (tcpdump) or rx-checksumming off, the owed checksum is
 * computed first (osim_csum_settle()). A frame whose checksum the sender's
 * checksum offload filled in at offsets and from a pseudo-header seed the
 * sender chose is verified like any other.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "offloadsim.h"

enum osim_csum_result {
	OSIM_CSUM_GOOD = OSIM_RX_CSUM_GOOD,
	OSIM_CSUM_BAD = OSIM_RX_CSUM_BAD,
	OSIM_CSUM_NONE = OSIM_RX_CSUM_NONE,
};

/* Verify the TCP or UDP checksum of the L4 segment at @off, @len long (a
 * UDP datagram: its own length, at most @len, over which the stack checks
 * it after trimming the rest; one that claims more is left to the stack).
 */
static enum osim_csum_result osim_l4_check(struct sk_buff *skb,
					   unsigned int off, unsigned int len,
					   u8 proto, const void *ip, bool ipv6)
{
	__wsum csum;
	__sum16 res;

	if (proto == IPPROTO_TCP) {
		if (len < sizeof(struct tcphdr))
			return OSIM_CSUM_NONE;
	} else if (proto == IPPROTO_UDP) {
		struct udphdr _uh, *uh;

		if (len < sizeof(*uh))
			return OSIM_CSUM_NONE;
		uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
		if (!uh || (!ipv6 && !uh->check) ||
		    ntohs(uh->len) < sizeof(*uh) || ntohs(uh->len) > len)
			return OSIM_CSUM_NONE;
		len = ntohs(uh->len);
	} else {
		return OSIM_CSUM_NONE;
	}

	csum = skb_checksum(skb, off, len, 0);
	if (ipv6) {
		const struct ipv6hdr *ip6h = ip;

		res = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len, proto,
				      csum);
	} else {
		const struct iphdr *iph = ip;

		res = csum_tcpudp_magic(iph->saddr, iph->daddr, len, proto,
					csum);
	}
	return res ? OSIM_CSUM_BAD : OSIM_CSUM_GOOD;
}

static enum osim_csum_result osim_csum_ipv4(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int ihl, tot;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return OSIM_CSUM_NONE;
	iph = (const struct iphdr *)skb->data;
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) ||
	    !pskb_may_pull(skb, ihl))
		return OSIM_CSUM_NONE;
	iph = (const struct iphdr *)skb->data;

	if (ip_fast_csum(iph, iph->ihl))
		return OSIM_CSUM_BAD;

	tot = ntohs(iph->tot_len);
	if (tot < ihl || tot > skb->len || ip_is_fragment(iph))
		return OSIM_CSUM_NONE;

	return osim_l4_check(skb, ihl, tot - ihl, iph->protocol, iph, false);
}

static enum osim_csum_result osim_csum_ipv6(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return OSIM_CSUM_NONE;
	ip6h = (const struct ipv6hdr *)skb->data;
	len = ntohs(ip6h->payload_len);
	/* Extension headers and jumbograms are left to the stack. */
	if (!len || sizeof(*ip6h) + len > skb->len)
		return OSIM_CSUM_NONE;

	return osim_l4_check(skb, sizeof(*ip6h), len, ip6h->nexthdr, ip6h,
			     true);
}

/**
 * osim_rx_csum - the receive checksum engine, for one frame
 * @skb: the frame, data at its network header
 * @features: the device's features, as the poll sampled them
 * @tapped: a packet tap may read the frame (dev_nit_active())
 * @rc: counters of the running poll
 *
 * Sets skb->ip_summed for the stack; whatever the sender left there is
 * overwritten, as a NIC's descriptor knows nothing of the sender. Only a
 * segmentation engine frame may go up CHECKSUM_PARTIAL, its checksum owed.
 */
void osim_rx_csum(struct sk_buff *skb, netdev_features_t features,
		  bool tapped, struct osim_rx_counts *rc)
{
	bool trusted = OSIM_SKB_CB(skb)->csum_trusted;
	enum osim_csum_result res;

	if (trusted && skb->ip_summed == CHECKSUM_PARTIAL) {
		if (!tapped && (features & NETIF_F_RXCSUM)) {
			rc->c[OSIM_RX_CSUM_TRUSTED]++;
			return;
		}
		osim_csum_settle(skb);
	}

	skb->ip_summed = CHECKSUM_NONE;
	skb->csum_level = 0;

	if (!(features & NETIF_F_RXCSUM)) {
		rc->c[OSIM_RX_CSUM_NONE]++;
		return;
	}

	if (trusted) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		rc->c[OSIM_RX_CSUM_TRUSTED]++;
		return;
	}

	if (skb->protocol == htons(ETH_P_IP))
		res = osim_csum_ipv4(skb);
	else if (skb->protocol == htons(ETH_P_IPV6))
		res = osim_csum_ipv6(skb);
	else
		res = OSIM_CSUM_NONE;

	if (res == OSIM_CSUM_GOOD)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	rc->c[res]++;
}
