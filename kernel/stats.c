// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: counters.
 *
 * Every counter lives in a per-queue block guarded by its own
 * u64_stats_sync. One descriptor table per queue kind drives
 * ethtool's get_sset_count, get_strings and get_ethtool_stats alike, so a
 * counter added to a table shows up in `ethtool -S` with nothing else to
 * change. ndo_get_stats64 sums the same blocks for `ip -s link`.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "offloadsim.h"

/**
 * struct osim_stat_desc - one per-queue counter as ethtool shows it
 * @name: suffix after "rx_queue_N_" or "tx_queue_N_"
 * @offset: of the u64_stats_t within the queue structure
 * @syncp: offset of the u64_stats_sync that guards it
 */
struct osim_stat_desc {
	char	name[ETH_GSTRING_LEN];
	size_t	offset;
	size_t	syncp;
};

#define OSIM_RQ_STAT(m) {						\
	.name	= #m,							\
	.offset	= offsetof(struct osim_rq, stats.m),			\
	.syncp	= offsetof(struct osim_rq, stats.syncp),		\
}

/* Counted by the peer's TX path, under the ring's producer lock. */
#define OSIM_RQ_PSTAT(m) {						\
	.name	= #m,							\
	.offset	= offsetof(struct osim_rq, pstats.m),			\
	.syncp	= offsetof(struct osim_rq, pstats.syncp),		\
}

#define OSIM_SQ_STAT(m) {						\
	.name	= #m,							\
	.offset	= offsetof(struct osim_sq, stats.m),			\
	.syncp	= offsetof(struct osim_sq, stats.syncp),		\
}

static const struct osim_stat_desc osim_rq_stats_desc[] = {
	OSIM_RQ_STAT(packets),
	OSIM_RQ_STAT(bytes),
	OSIM_RQ_STAT(polls),
	OSIM_RQ_PSTAT(missed),
	OSIM_RQ_PSTAT(length_errors),
};

static const struct osim_stat_desc osim_sq_stats_desc[] = {
	OSIM_SQ_STAT(packets),
	OSIM_SQ_STAT(bytes),
	OSIM_SQ_STAT(dropped),
	OSIM_SQ_STAT(tso_packets),
	OSIM_SQ_STAT(tso_frames),
	OSIM_SQ_STAT(tso_bytes),
	OSIM_SQ_STAT(uso_packets),
	OSIM_SQ_STAT(uso_frames),
	OSIM_SQ_STAT(csum_offload),
	OSIM_SQ_STAT(lso_mtu_frames),
	OSIM_SQ_STAT(wire_mtu_drops),
	OSIM_SQ_STAT(malformed),
	OSIM_SQ_STAT(verify_checked),
	OSIM_SQ_STAT(verify_mismatch),
};

#define OSIM_RQ_STATS_LEN	ARRAY_SIZE(osim_rq_stats_desc)
#define OSIM_SQ_STATS_LEN	ARRAY_SIZE(osim_sq_stats_desc)

static u64 osim_stat_read(const void *base, const struct osim_stat_desc *d)
{
	const struct u64_stats_sync *syncp = base + d->syncp;
	const u64_stats_t *v = base + d->offset;
	unsigned int start;
	u64 val;

	do {
		start = u64_stats_fetch_begin(syncp);
		val = u64_stats_read(v);
	} while (u64_stats_fetch_retry(syncp, start));

	return val;
}

int osim_stats_count(const struct net_device *dev)
{
	return dev->real_num_rx_queues * OSIM_RQ_STATS_LEN +
	       dev->real_num_tx_queues * OSIM_SQ_STATS_LEN;
}

void osim_stats_strings(const struct net_device *dev, u8 *data)
{
	unsigned int q, i;

	for (q = 0; q < dev->real_num_rx_queues; q++)
		for (i = 0; i < OSIM_RQ_STATS_LEN; i++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", q,
					osim_rq_stats_desc[i].name);

	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < OSIM_SQ_STATS_LEN; i++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", q,
					osim_sq_stats_desc[i].name);
}

void osim_stats_fill(const struct net_device *dev, u64 *data)
{
	const struct osim_priv *priv = netdev_priv(dev);
	unsigned int q, i;

	for (q = 0; q < dev->real_num_rx_queues; q++)
		for (i = 0; i < OSIM_RQ_STATS_LEN; i++)
			*data++ = osim_stat_read(&priv->rq[q],
						 &osim_rq_stats_desc[i]);

	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < OSIM_SQ_STATS_LEN; i++)
			*data++ = osim_stat_read(&priv->sq[q],
						 &osim_sq_stats_desc[i]);
}

void osim_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot)
{
	struct osim_priv *priv = netdev_priv(dev);
	u64 packets, bytes, dropped, errors;
	unsigned int q, start;

	for (q = 0; q < dev->num_rx_queues; q++) {
		const struct osim_rq *rq = &priv->rq[q];

		do {
			start = u64_stats_fetch_begin(&rq->stats.syncp);
			packets = u64_stats_read(&rq->stats.packets);
			bytes = u64_stats_read(&rq->stats.bytes);
		} while (u64_stats_fetch_retry(&rq->stats.syncp, start));
		tot->rx_packets += packets;
		tot->rx_bytes += bytes;

		do {
			start = u64_stats_fetch_begin(&rq->pstats.syncp);
			dropped = u64_stats_read(&rq->pstats.missed);
			errors = u64_stats_read(&rq->pstats.length_errors);
		} while (u64_stats_fetch_retry(&rq->pstats.syncp, start));
		tot->rx_missed_errors += dropped;
		tot->rx_length_errors += errors;
		tot->rx_errors += errors;
	}

	for (q = 0; q < dev->num_tx_queues; q++) {
		const struct osim_sq *sq = &priv->sq[q];

		do {
			start = u64_stats_fetch_begin(&sq->stats.syncp);
			packets = u64_stats_read(&sq->stats.packets);
			bytes = u64_stats_read(&sq->stats.bytes);
			dropped = u64_stats_read(&sq->stats.dropped);
		} while (u64_stats_fetch_retry(&sq->stats.syncp, start));
		tot->tx_packets += packets;
		tot->tx_bytes += bytes;
		tot->tx_dropped += dropped;
	}
}
