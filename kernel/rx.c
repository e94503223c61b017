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
#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "offloadsim.h"

/* Hand the skbs on @list (data at the network header) to the stack, in
 * order: through software GRO when @gro (generic-receive-offload in the
 * poll's snapshot of the features).
 */
static void osim_rx_deliver(struct osim_rq *rq, struct sk_buff_head *list,
			    bool gro)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list))) {
		if (gro)
			napi_gro_receive(&rq->napi, skb);
		else
			netif_receive_skb(skb);
	}
}

static void osim_rx_account(struct osim_rq *rq,
			    const struct osim_rx_counts *rc)
{
	unsigned int i;

	u64_stats_update_begin(&rq->stats.syncp);
	for (i = 0; i < OSIM_RX_NSTATS; i++)
		u64_stats_add(&rq->stats.c[i], rc->c[i]);
	u64_stats_update_end(&rq->stats.syncp);
}

/* One poll: each frame goes through the checksum engine, then LRO or
 * hardware GRO when on, then to the stack, after the aggregates it ended.
 * Each ring slot consumed counts against the budget, as a NIC counts
 * descriptors.
 */
static int osim_poll(struct napi_struct *napi, int budget)
{
	struct osim_rq *rq = container_of(napi, struct osim_rq, napi);
	netdev_features_t features = READ_ONCE(napi->dev->features);
	bool tapped = dev_nit_active(napi->dev);
	struct osim_rx_counts rc = {};
	struct sk_buff_head deliver;
	bool agg, strict, gro;
	struct sk_buff *skb;
	int done = 0;

	gro = features & NETIF_F_GRO;
	strict = features & NETIF_F_GRO_HW;
	agg = strict || (features & NETIF_F_LRO);
	__skb_queue_head_init(&deliver);

	while (done < budget) {
		/* NAPI serialises polls of one context: no consumer lock. */
		skb = __ptr_ring_consume(&rq->ring);
		if (!skb)
			break;
		done++;

		/* eth_type_trans() pulled the Ethernet header: count it. */
		rc.c[OSIM_RX_PACKETS]++;
		rc.c[OSIM_RX_BYTES] += skb->len + ETH_HLEN;

		osim_rx_csum(skb, features, tapped, &rc);
		if (!agg || !osim_agg_receive(&rq->agg, skb, strict, &deliver,
					      &rc))
			__skb_queue_tail(&deliver, skb);
		osim_rx_deliver(rq, &deliver, gro);
	}

	/* Aggregates never outlive the poll that built them. */
	osim_agg_flush_all(&rq->agg, OSIM_FLUSH_POLL, &deliver, &rc);
	osim_rx_deliver(rq, &deliver, gro);

	rc.c[OSIM_RX_POLLS]++;
	osim_rx_account(rq, &rc);

	/* A producer that finds NAPI still scheduled marks it missed, so
	 * napi_complete_done() reschedules instead of losing the wakeup.
	 */
	if (done < budget)
		napi_complete_done(napi, done);

	return done;
}

/* Raise the queue's "interrupt": schedule NAPI. Under the producer lock. */
static void osim_rx_irq(struct osim_rq *rq)
{
	rq->coal_pending = 0;
	u64_stats_update_begin(&rq->pstats.syncp);
	u64_stats_inc(&rq->pstats.irqs);
	u64_stats_update_end(&rq->pstats.syncp);
	napi_schedule(&rq->napi);
}

/* The moderation timer expired: interrupt for what has arrived. Runs in
 * softirq context (HRTIMER_MODE_REL_SOFT), like every producer.
 */
static enum hrtimer_restart osim_coal_timer_fn(struct hrtimer *timer)
{
	struct osim_rq *rq = container_of(timer, struct osim_rq, coal_timer);

	spin_lock(&rq->ring.producer_lock);
	u64_stats_update_begin(&rq->pstats.syncp);
	u64_stats_inc(&rq->pstats.coal_timer);
	u64_stats_update_end(&rq->pstats.syncp);
	osim_rx_irq(rq);
	spin_unlock(&rq->ring.producer_lock);

	return HRTIMER_NORESTART;
}

/* A frame is on the ring: interrupt now, or when rx-frames frames have
 * arrived, or rx-usecs after the first of them, whichever comes first.
 * Under the producer lock.
 */
static void osim_rx_coalesce(struct osim_priv *priv, struct osim_rq *rq)
{
	unsigned int usecs = READ_ONCE(priv->coal_usecs);
	unsigned int frames = READ_ONCE(priv->coal_frames);

	if (!usecs || (frames && rq->coal_pending + 1 >= frames)) {
		if (rq->coal_pending)
			hrtimer_try_to_cancel(&rq->coal_timer);
		osim_rx_irq(rq);
		return;
	}

	if (!rq->coal_pending++)
		hrtimer_start(&rq->coal_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
}

/**
 * osim_rx_enqueue - put a frame from the peer on one of @dev's RX rings
 * @dev: the receiving end
 * @skb: the frame, owned by this function from here on
 *
 * Called from the peer's ndo_start_xmit, under RCU with BHs off. The RSS
 * hash picks the ring.
 *
 * Return: true if the frame reached a ring, false if it was dropped.
 */
bool osim_rx_enqueue(struct net_device *dev, struct sk_buff *skb)
{
	struct osim_priv *priv = netdev_priv(dev);
	enum pkt_hash_types htype;
	unsigned int nq, q;
	struct osim_rq *rq;
	bool rxhash;
	u32 hash;
	int err;

	/* Pairs with smp_store_release() in osim_rx_open(). */
	if (unlikely(!smp_load_acquire(&priv->rx_up))) {
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		return false;
	}

	/* One queue and nobody to tell the hash to: no hash to compute. */
	rxhash = dev->features & NETIF_F_RXHASH;
	nq = READ_ONCE(dev->real_num_rx_queues);
	htype = PKT_HASH_TYPE_NONE;
	hash = 0;
	q = 0;
	if (nq > 1 || rxhash)
		hash = osim_rss_hash(&priv->rss, skb, &htype);
	if (nq > 1 && htype != PKT_HASH_TYPE_NONE)
		q = READ_ONCE(priv->rss.indir[hash % OSIM_RSS_INDIR_SIZE]);
	rq = &priv->rq[q < nq ? q : 0];

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

	/* Scrubs cross-netns state and runs eth_type_trans() (user
	 * zerocopy pages were copied by the sender, osim_wire_send()). A
	 * frame it refuses is freed and counted in rx_dropped by the core.
	 */
	if (__dev_forward_skb(dev, skb))
		return false;
	skb_record_rx_queue(skb, rq - priv->rq);
	if (rxhash && htype != PKT_HASH_TYPE_NONE)
		skb_set_hash(skb, hash, htype);
	else
		skb_clear_hash(skb);

	spin_lock(&rq->ring.producer_lock);
	err = __ptr_ring_produce(&rq->ring, skb);
	if (unlikely(err)) {
		u64_stats_update_begin(&rq->pstats.syncp);
		u64_stats_inc(&rq->pstats.missed);
		u64_stats_update_end(&rq->pstats.syncp);
	} else {
		osim_rx_coalesce(priv, rq);
	}
	spin_unlock(&rq->ring.producer_lock);

	if (unlikely(err)) {
		kfree_skb(skb);
		return false;
	}
	return true;
}

/* Delete the NAPI contexts and free the rings of the first @n queues.
 * Frames still on a ring are dropped, as a NIC drops its RX ring on ifdown
 * or reset, and counted in rx_dropped.
 */
static void osim_rx_free_queues(struct osim_priv *priv, unsigned int n)
{
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct osim_rq *rq = &priv->rq[i];

		netif_napi_del(&rq->napi);
		while ((skb = __ptr_ring_consume(&rq->ring))) {
			dev_core_stats_rx_dropped_inc(priv->dev);
			kfree_skb(skb);
		}
		ptr_ring_cleanup(&rq->ring, NULL);
	}
}

/*
 * The one allocation of the receive path. Not inlined, so that a kernel
 * with CONFIG_FAIL_FUNCTION can make it fail (/sys/kernel/debug/
 * fail_function): selftests/rx_reset_fail.sh drives the error paths of
 * ifup and of a ring or channel change through it.
 */
static noinline int osim_rx_ring_init(struct osim_rq *rq, unsigned int size)
{
	return ptr_ring_init(&rq->ring, size, GFP_KERNEL);
}
ALLOW_ERROR_INJECTION(osim_rx_ring_init, ERRNO);

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

		err = osim_rx_ring_init(rq, priv->rx_ring_size);
		if (err)
			goto err_free_queues;
		netif_napi_add(dev, &rq->napi, osim_poll);
		hrtimer_init(&rq->coal_timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		rq->coal_timer.function = osim_coal_timer_fn;
		rq->coal_pending = 0;
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
 * Frames still on the rings are dropped and counted in rx_dropped, as a
 * NIC drops its RX ring on ifdown. A running device whose reset failed
 * (osim_rx_reconfigure()) has no rings and no NAPI left: nothing to stop.
 */
void osim_rx_close(struct osim_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int i;

	if (!priv->rx_up)
		return;

	WRITE_ONCE(priv->rx_up, false);
	/* No producer may still be inside osim_rx_enqueue() after this, so
	 * nothing re-arms a timer that is cancelled here.
	 */
	synchronize_net();

	for (i = 0; i < dev->real_num_rx_queues; i++) {
		hrtimer_cancel(&priv->rq[i].coal_timer);
		napi_disable(&priv->rq[i].napi);
	}
	osim_rx_free_queues(priv, dev->real_num_rx_queues);
}

/**
 * osim_rx_reconfigure - change the queue count and RX ring size
 * @priv: the device
 * @queues: combined channels: RX and TX queues
 * @ring_size: slots per RX ring
 *
 * Like a NIC reset: a running device stops its rings, frames on them are
 * dropped, and it starts again with the new layout. An indirection table
 * the user never set follows the new queue count. Called under RTNL.
 *
 * Return: 0 or a negative errno; on error the old layout is kept. When even
 * the old layout cannot be started again, the device stays up without
 * rings and drops what it receives (rx_dropped) until the next reset: a
 * down and up, or another ring or channel change.
 */
int osim_rx_reconfigure(struct osim_priv *priv, unsigned int queues,
			unsigned int ring_size)
{
	unsigned int old_queues = priv->dev->real_num_rx_queues;
	unsigned int old_ring = priv->rx_ring_size;
	struct net_device *dev = priv->dev;
	bool running = netif_running(dev);
	int err;

	if (running)
		osim_rx_close(priv);

	err = netif_set_real_num_tx_queues(dev, queues);
	if (err)
		goto err_reopen;
	err = netif_set_real_num_rx_queues(dev, queues);
	if (err)
		goto err_restore_tx;
	priv->rx_ring_size = ring_size;
	if (!netif_is_rxfh_configured(dev))
		osim_rss_default_indir(priv, queues);

	if (running) {
		err = osim_rx_open(priv);
		if (err)
			goto err_restore_rx;
	}
	return 0;

err_restore_rx:
	priv->rx_ring_size = old_ring;
	netif_set_real_num_rx_queues(dev, old_queues);
	if (!netif_is_rxfh_configured(dev))
		osim_rss_default_indir(priv, old_queues);
err_restore_tx:
	netif_set_real_num_tx_queues(dev, old_queues);
err_reopen:
	if (running && osim_rx_open(priv))
		netdev_err(dev, "cannot restart the receive rings: receiving nothing until the next reset\n");
	return err;
}
