// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the transmit path.
 *
 * A frame handed to ndo_start_xmit leaves this end "on the wire": it is
 * completed here, as a NIC completes a descriptor once DMA has read it (the
 * sender's socket no longer owns it), and lands in one of the peer's RX
 * rings, which the peer's NAPI drains.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "offloadsim.h"

netdev_tx_t osim_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct osim_sq *sq = &priv->sq[skb_get_queue_mapping(skb)];
	unsigned int len = skb->len;
	struct net_device *peer;
	bool sent = false;

	skb_tx_timestamp(skb);
	/* The frame is on the wire: this is its TX completion. */
	skb_orphan(skb);

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (likely(peer))
		sent = osim_rx_enqueue(peer, skb);
	else
		kfree_skb(skb);
	rcu_read_unlock();

	u64_stats_update_begin(&sq->stats.syncp);
	if (likely(sent)) {
		u64_stats_inc(&sq->stats.packets);
		u64_stats_add(&sq->stats.bytes, len);
	} else {
		u64_stats_inc(&sq->stats.dropped);
	}
	u64_stats_update_end(&sq->stats.syncp);

	return NETDEV_TX_OK;
}
