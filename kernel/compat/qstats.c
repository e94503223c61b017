// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim compat: per-queue statistics through the netdev netlink
 * family (`ynl --family netdev --dump qstats-get`).
 *
 * struct netdev_stat_ops appeared in v6.9 ("netdev: add queue stats"),
 * its checksum, GSO and GRO counters in v6.10. Older kernels have only
 * ethtool -S, which shows the same counters.
 */
#include <linux/netdevice.h>

#include "../offloadsim.h"

#ifdef OSIM_HAVE_NETDEV_QSTATS

#include <net/netdev_queues.h>

/* Set the RX fields offloadsim counts; the core leaves the rest unset.
 * hw-drops counts every frame that entered the device and never left it:
 * ring full (@missed, also hw-drop-overruns) and too long (@len_err).
 */
static void osim_qstats_rx_fill(struct netdev_queue_stats_rx *st,
				const u64 *c, u64 missed, u64 len_err)
{
	st->packets = c[OSIM_RX_PACKETS];
	st->bytes = c[OSIM_RX_BYTES];
	st->hw_drops = missed + len_err;
	st->hw_drop_overruns = missed;
	st->csum_unnecessary = c[OSIM_RX_CSUM_GOOD] + c[OSIM_RX_CSUM_TRUSTED];
	st->csum_none = c[OSIM_RX_CSUM_NONE];
	st->csum_bad = c[OSIM_RX_CSUM_BAD];
	st->hw_gro_packets = c[OSIM_RX_HW_GRO_PACKETS];
	st->hw_gro_bytes = c[OSIM_RX_HW_GRO_BYTES];
	st->hw_gro_wire_packets = c[OSIM_RX_HW_GRO_SEGMENTS];
	st->hw_gro_wire_bytes = c[OSIM_RX_HW_GRO_WIRE_BYTES];
}

static void osim_qstats_tx_fill(struct netdev_queue_stats_tx *st,
				const struct osim_tx_counts *tc)
{
	st->packets = tc->packets;
	st->bytes = tc->bytes;
	st->hw_drops = tc->dropped;
	st->hw_drop_errors = tc->malformed;
	st->needs_csum = tc->csum_offload;
	st->hw_gso_packets = tc->tso_packets + tc->uso_packets;
	st->hw_gso_bytes = tc->tso_bytes;
	st->hw_gso_wire_packets = tc->tso_frames + tc->uso_frames;
}

static void osim_qstats_rx(struct net_device *dev, int idx,
			   struct netdev_queue_stats_rx *st)
{
	struct osim_priv *priv = netdev_priv(dev);
	u64 c[OSIM_RX_NSTATS], missed, len_err;

	osim_rq_read(&priv->rq[idx], c, &missed, &len_err);
	osim_qstats_rx_fill(st, c, missed, len_err);
}

static void osim_qstats_tx(struct net_device *dev, int idx,
			   struct netdev_queue_stats_tx *st)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct osim_tx_counts tc;

	osim_sq_read(&priv->sq[idx], &tc);
	osim_qstats_tx_fill(st, &tc);
}

/* What queues beyond the real count (ethtool -L shrank it) counted. */
static void osim_qstats_base(struct net_device *dev,
			     struct netdev_queue_stats_rx *rx,
			     struct netdev_queue_stats_tx *tx)
{
	struct osim_priv *priv = netdev_priv(dev);
	u64 c[OSIM_RX_NSTATS], sum[OSIM_RX_NSTATS] = {}, missed, len_err;
	struct osim_tx_counts tc, tsum = {};
	u64 msum = 0, lsum = 0;
	unsigned int i, k;

	for (i = dev->real_num_rx_queues; i < dev->num_rx_queues; i++) {
		osim_rq_read(&priv->rq[i], c, &missed, &len_err);
		for (k = 0; k < OSIM_RX_NSTATS; k++)
			sum[k] += c[k];
		msum += missed;
		lsum += len_err;
	}
	osim_qstats_rx_fill(rx, sum, msum, lsum);

	for (i = dev->real_num_tx_queues; i < dev->num_tx_queues; i++) {
		osim_sq_read(&priv->sq[i], &tc);
		tsum.packets += tc.packets;
		tsum.bytes += tc.bytes;
		tsum.dropped += tc.dropped;
		tsum.malformed += tc.malformed;
		tsum.csum_offload += tc.csum_offload;
		tsum.tso_packets += tc.tso_packets;
		tsum.uso_packets += tc.uso_packets;
		tsum.tso_bytes += tc.tso_bytes;
		tsum.tso_frames += tc.tso_frames;
		tsum.uso_frames += tc.uso_frames;
	}
	osim_qstats_tx_fill(tx, &tsum);
}

static const struct netdev_stat_ops osim_stat_ops = {
	.get_queue_stats_rx	= osim_qstats_rx,
	.get_queue_stats_tx	= osim_qstats_tx,
	.get_base_stats		= osim_qstats_base,
};

void osim_compat_set_stat_ops(struct net_device *dev)
{
	dev->stat_ops = &osim_stat_ops;
}

#endif /* OSIM_HAVE_NETDEV_QSTATS */
