// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the receive path.
 *
 * Each RX queue is a ring of frames written by the peer's transmit path and
 * drained by the queue's NAPI context, as a NIC's RX descriptor ring is
 * filled by DMA and drained by its NAPI poll. A frame that finds its ring
 * full is dropped and counted as missed, which is what a NIC reports when
 * the host does not replenish its ring fast enough.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "offloadsim.h"

static void osim_rx_free_skb(void *ptr)
{
	kfree_skb(ptr);
}

static int osim_poll(struct napi_struct *napi, int budget)
{
	struct osim_rq *rq = container_of(napi, struct osim_rq, napi);
	unsigned int bytes = 0;
	struct sk_buff *skb;
	int done = 0;

	while (done < budget) {
		/* NAPI serialises polls of one context: no consumer lock. */
		skb = __ptr_ring_consume(&rq->ring);
		if (!skb)
			break;

		/* eth_type_trans() pulled the Ethernet header: count it. */
		bytes += skb->len + ETH_HLEN;
		napi_gro_receive(napi, skb);
		done++;
	}

	u64_stats_update_begin(&rq->stats.syncp);
	u64_stats_add(&rq->stats.packets, done);
	u64_stats_add(&rq->stats.bytes, bytes);
	u64_stats_inc(&rq->stats.polls);
	u64_stats_update_end(&rq->stats.syncp);

	/* A producer that finds NAPI still scheduled marks it missed, so
	 * napi_complete_done() reschedules instead of losing the wakeup.
	 */
	if (done < budget)
		napi_complete_done(napi, done);

	return done;
}

/**
 * osim_rx_enqueue - put a frame from the peer on one of @dev's RX rings
 * @dev: the receiving end
 * @skb: the frame, owned by this function from here on
 *
 * Called from the peer's ndo_start_xmit, under RCU.
 *
 * Return: true if the frame reached a ring, false if it was dropped.
 */
bool osim_rx_enqueue(struct net_device *dev, struct sk_buff *skb)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct osim_rq *rq;
	int err;

	/* Pairs with smp_store_release() in osim_rx_open(). */
	if (unlikely(!smp_load_acquire(&priv->rx_up))) {
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		return false;
	}

	rq = &priv->rq[skb_get_queue_mapping(skb) % dev->real_num_rx_queues];

	/* A NIC takes frames up to its MTU plus Ethernet and one VLAN tag. */
	if (unlikely(skb->len > dev->mtu + dev->hard_header_len + VLAN_HLEN)) {
		spin_lock(&rq->ring.producer_lock);
		u64_stats_update_begin(&rq->pstats.syncp);
		u64_stats_inc(&rq->pstats.length_errors);
		u64_stats_update_end(&rq->pstats.syncp);
		spin_unlock(&rq->ring.producer_lock);
		kfree_skb(skb);
		return false;
	}

	/* Copies user zerocopy frags, scrubs cross-netns state and runs
	 * eth_type_trans(). A frame it refuses is freed and counted in
	 * rx_dropped by the core.
	 */
	if (__dev_forward_skb(dev, skb))
		return false;
	skb_record_rx_queue(skb, rq - priv->rq);

	spin_lock(&rq->ring.producer_lock);
	err = __ptr_ring_produce(&rq->ring, skb);
	if (unlikely(err)) {
		u64_stats_update_begin(&rq->pstats.syncp);
		u64_stats_inc(&rq->pstats.missed);
		u64_stats_update_end(&rq->pstats.syncp);
	}
	spin_unlock(&rq->ring.producer_lock);

	if (unlikely(err)) {
		kfree_skb(skb);
		return false;
	}

	napi_schedule(&rq->napi);
	return true;
}

static void osim_rx_free_queues(struct osim_priv *priv, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		netif_napi_del(&priv->rq[i].napi);
		ptr_ring_cleanup(&priv->rq[i].ring, osim_rx_free_skb);
	}
}

/**
 * osim_rx_open - allocate the rings and start NAPI on every real RX queue
 * @priv: the device
 *
 * Return: 0 or -ENOMEM.
 */
int osim_rx_open(struct osim_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int i;
	int err;

	for (i = 0; i < dev->real_num_rx_queues; i++) {
		struct osim_rq *rq = &priv->rq[i];

		err = ptr_ring_init(&rq->ring, priv->rx_ring_size, GFP_KERNEL);
		if (err)
			goto err_free_queues;
		netif_napi_add(dev, &rq->napi, osim_poll);
	}

	for (i = 0; i < dev->real_num_rx_queues; i++)
		napi_enable(&priv->rq[i].napi);

	/* Pairs with smp_load_acquire() in osim_rx_enqueue(). */
	smp_store_release(&priv->rx_up, true);
	return 0;

err_free_queues:
	osim_rx_free_queues(priv, i);
	return err;
}

/**
 * osim_rx_close - stop NAPI and free the rings of every real RX queue
 * @priv: the device
 *
 * Frames still on the rings are dropped, as a NIC drops its RX ring on
 * ifdown.
 */
void osim_rx_close(struct osim_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int i;

	WRITE_ONCE(priv->rx_up, false);
	/* No producer may still be inside osim_rx_enqueue() after this. */
	synchronize_net();

	for (i = 0; i < dev->real_num_rx_queues; i++)
		napi_disable(&priv->rq[i].napi);
	osim_rx_free_queues(priv, dev->real_num_rx_queues);
}
