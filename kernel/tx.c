// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the transmit path.
 *
 *   ndo_start_xmit
 *     GSO skb          -> tso.c cuts it into wire frames (verify.c may
 *                         compare them with the kernel's software GSO)
 *     CHECKSUM_PARTIAL -> csum.c fills in the checksum
 *     each frame       -> the simulated switch (wire_mtu) -> the peer's
 *                         RX ring (rx.c)
 *
 * A frame handed to ndo_start_xmit leaves this end "on the wire": the skb
 * is completed here, as a NIC completes a descriptor once DMA has read it,
 * and the sender's socket no longer owns it.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "offloadsim.h"

/* Length of @frame above L2 (Ethernet and up to two VLAN tags), which is
 * what a switch's MTU limits.
 */
static unsigned int osim_l3_len(const struct sk_buff *frame)
{
	unsigned int off = ETH_HLEN, depth = 0;
	__be16 proto, *p, buf;

	p = skb_header_pointer(frame, offsetof(struct ethhdr, h_proto),
			       sizeof(buf), &buf);
	if (!p)
		return 0;
	proto = *p;
	while (eth_type_vlan(proto) && depth++ < 2) {
		p = skb_header_pointer(frame, off + 2, sizeof(buf), &buf);
		if (!p)
			break;
		proto = *p;
		off += VLAN_HLEN;
	}
	return frame->len > off ? frame->len - off : 0;
}

/* Put one frame on the wire towards @peer. @csum_trusted: the
 * segmentation engine built the frame's headers and computed its IPv4 and
 * TCP/UDP checksums from them (see rxcsum.c). Not so for a frame whose
 * checksum csum.c filled in at the offsets and from the pseudo-header seed
 * the sender gave: the receiver must verify that.
 */
static void osim_wire_send(struct net_device *peer, struct sk_buff *frame,
			   unsigned int wire_mtu, bool csum_trusted,
			   struct osim_tx_counts *tc)
{
	unsigned int len = frame->len;

	/* A NIC DMAs each frame into a fresh RX buffer: the receiver must own
	 * the frame's head and frag table. A TCP frame is a clone sharing
	 * them with the skb TCP keeps for retransmission, and the receiver's
	 * GRO rewrites the frag table of what it merges. Nor may it hold the
	 * sender's user pages (MSG_ZEROCOPY), which the sender reuses once
	 * told the frame left: they are copied now, as the stack copies them
	 * before a local delivery (skb_orphan_frags_rx()). LRO, which moves
	 * frags into another skb, would otherwise carry them past that copy.
	 */
	if (unlikely(skb_unclone(frame, GFP_ATOMIC) ||
		     skb_orphan_frags_rx(frame, GFP_ATOMIC))) {
		tc->dropped++;
		kfree_skb(frame);
		return;
	}

	tc->packets++;
	tc->bytes += len;
	OSIM_SKB_CB(frame)->csum_trusted = csum_trusted;

	/* The switch drops what it cannot carry, and tells nobody. */
	if (wire_mtu && osim_l3_len(frame) > wire_mtu) {
		tc->wire_mtu_drops++;
		consume_skb(frame);
		return;
	}

	osim_rx_enqueue(peer, frame);
}

static void osim_tx_account(struct osim_sq *sq, const struct osim_tx_counts *tc)
{
	struct osim_sq_stats *st = &sq->stats;

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->packets, tc->packets);
	u64_stats_add(&st->bytes, tc->bytes);
	u64_stats_add(&st->dropped, tc->dropped);
	u64_stats_add(&st->tso_packets, tc->tso_packets);
	u64_stats_add(&st->tso_frames, tc->tso_frames);
	u64_stats_add(&st->tso_bytes, tc->tso_bytes);
	u64_stats_add(&st->uso_packets, tc->uso_packets);
	u64_stats_add(&st->uso_frames, tc->uso_frames);
	u64_stats_add(&st->csum_offload, tc->csum_offload);
	u64_stats_add(&st->lso_mtu_frames, tc->lso_mtu_frames);
	u64_stats_add(&st->wire_mtu_drops, tc->wire_mtu_drops);
	u64_stats_add(&st->malformed, tc->malformed);
	u64_stats_add(&st->verify_checked, tc->verify_checked);
	u64_stats_add(&st->verify_mismatch, tc->verify_mismatch);
	u64_stats_update_end(&st->syncp);
}

/* Segment a GSO skb and send its frames; consumes @skb. */
static void osim_xmit_gso(struct osim_priv *priv, struct net_device *peer,
			  struct sk_buff *skb, unsigned int wire_mtu,
			  struct osim_tx_counts *tc)
{
	unsigned int lso_mtu = READ_ONCE(priv->lso_mtu);
	struct sk_buff_head frames;
	struct sk_buff *frame;

	__skb_queue_head_init(&frames);
	if (osim_tso_segment(priv->dev, skb, lso_mtu, &frames, tc)) {
		tc->dropped++;
		kfree_skb(skb);
		return;
	}

	if (unlikely(READ_ONCE(osim_verify)) && !lso_mtu)
		osim_verify_segments(skb, &frames, tc);
	consume_skb(skb);

	while ((frame = __skb_dequeue(&frames)))
		osim_wire_send(peer, frame, wire_mtu, true, tc);
}

netdev_tx_t osim_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct osim_tx_counts tc = {};
	struct net_device *peer;
	unsigned int wire_mtu;
	struct osim_sq *sq;

	sq = &priv->sq[skb_get_queue_mapping(skb)];
	skb_tx_timestamp(skb);
	/* The frame is on the wire: this is its TX completion. */
	skb_orphan(skb);

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (unlikely(!peer)) {
		tc.dropped++;
		kfree_skb(skb);
		goto out;
	}

	wire_mtu = READ_ONCE(priv->wire_mtu);
	if (skb_is_gso(skb)) {
		osim_xmit_gso(priv, peer, skb, wire_mtu, &tc);
		goto out;
	}

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		int err = osim_csum_complete(skb);

		if (unlikely(err)) {
			if (err == -EINVAL)
				tc.malformed++;
			tc.dropped++;
			kfree_skb(skb);
			goto out;
		}
		tc.csum_offload++;
	}
	osim_wire_send(peer, skb, wire_mtu, false, &tc);
out:
	rcu_read_unlock();
	osim_tx_account(sq, &tc);
	return NETDEV_TX_OK;
}
