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

/* Counted by the queue's NAPI poll. */
#define OSIM_RQ_STAT(n, i) {						\
	.name	= n,							\
	.offset	= offsetof(struct osim_rq, stats.c[i]),			\
	.syncp	= offsetof(struct osim_rq, stats.syncp),		\
}

/* Counted under the ring's producer lock: the peer's TX path and the
 * coalescing timer.
 */
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
	OSIM_RQ_STAT("packets", OSIM_RX_PACKETS),
	OSIM_RQ_STAT("bytes", OSIM_RX_BYTES),
	OSIM_RQ_STAT("polls", OSIM_RX_POLLS),
	OSIM_RQ_PSTAT(irqs),
	OSIM_RQ_PSTAT(coal_timer),
	OSIM_RQ_PSTAT(missed),
	OSIM_RQ_PSTAT(length_errors),
	OSIM_RQ_STAT("csum_good", OSIM_RX_CSUM_GOOD),
	OSIM_RQ_STAT("csum_trusted", OSIM_RX_CSUM_TRUSTED),
	OSIM_RQ_STAT("csum_bad", OSIM_RX_CSUM_BAD),
	OSIM_RQ_STAT("csum_none", OSIM_RX_CSUM_NONE),
	OSIM_RQ_STAT("lro_packets", OSIM_RX_LRO_PACKETS),
	OSIM_RQ_STAT("lro_segments", OSIM_RX_LRO_SEGMENTS),
	OSIM_RQ_STAT("hw_gro_packets", OSIM_RX_HW_GRO_PACKETS),
	OSIM_RQ_STAT("hw_gro_segments", OSIM_RX_HW_GRO_SEGMENTS),
	OSIM_RQ_STAT("hw_gro_bytes", OSIM_RX_HW_GRO_BYTES),
	OSIM_RQ_STAT("hw_gro_wire_bytes", OSIM_RX_HW_GRO_WIRE_BYTES),
	OSIM_RQ_STAT("agg_flush_flags", OSIM_RX_FLUSH_FLAGS),
	OSIM_RQ_STAT("agg_flush_options", OSIM_RX_FLUSH_OPTIONS),
	OSIM_RQ_STAT("agg_flush_ip", OSIM_RX_FLUSH_IP),
	OSIM_RQ_STAT("agg_flush_order", OSIM_RX_FLUSH_ORDER),
	OSIM_RQ_STAT("agg_flush_ack", OSIM_RX_FLUSH_ACK),
	OSIM_RQ_STAT("agg_flush_mss", OSIM_RX_FLUSH_MSS),
	OSIM_RQ_STAT("agg_flush_size", OSIM_RX_FLUSH_SIZE),
	OSIM_RQ_STAT("agg_flush_poll", OSIM_RX_FLUSH_POLL),
	OSIM_RQ_STAT("agg_flush_evict", OSIM_RX_FLUSH_EVICT),
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

/**
 * osim_rq_read - a consistent copy of one RX queue's NAPI counters
 * @rq: the queue
 * @c: OSIM_RX_NSTATS values, indexed by enum osim_rx_stat
 * @missed: frames dropped on a full ring
 * @len_err: frames longer than the MTU allows
 */
void osim_rq_read(const struct osim_rq *rq, u64 *c, u64 *missed,
		  u64 *len_err)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&rq->stats.syncp);
		for (i = 0; i < OSIM_RX_NSTATS; i++)
			c[i] = u64_stats_read(&rq->stats.c[i]);
	} while (u64_stats_fetch_retry(&rq->stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&rq->pstats.syncp);
		*missed = u64_stats_read(&rq->pstats.missed);
		*len_err = u64_stats_read(&rq->pstats.length_errors);
	} while (u64_stats_fetch_retry(&rq->pstats.syncp, start));
}

/**
 * osim_sq_read - a consistent copy of one TX queue's counters
 * @sq: the queue
 * @tc: filled with them
 */
void osim_sq_read(const struct osim_sq *sq, struct osim_tx_counts *tc)
{
	const struct osim_sq_stats *st = &sq->stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&st->syncp);
		tc->packets = u64_stats_read(&st->packets);
		tc->bytes = u64_stats_read(&st->bytes);
		tc->dropped = u64_stats_read(&st->dropped);
		tc->tso_packets = u64_stats_read(&st->tso_packets);
		tc->tso_frames = u64_stats_read(&st->tso_frames);
		tc->tso_bytes = u64_stats_read(&st->tso_bytes);
		tc->uso_packets = u64_stats_read(&st->uso_packets);
		tc->uso_frames = u64_stats_read(&st->uso_frames);
		tc->csum_offload = u64_stats_read(&st->csum_offload);
		tc->lso_mtu_frames = u64_stats_read(&st->lso_mtu_frames);
		tc->wire_mtu_drops = u64_stats_read(&st->wire_mtu_drops);
		tc->malformed = u64_stats_read(&st->malformed);
		tc->verify_checked = u64_stats_read(&st->verify_checked);
		tc->verify_mismatch = u64_stats_read(&st->verify_mismatch);
	} while (u64_stats_fetch_retry(&st->syncp, start));
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
	u64 c[OSIM_RX_NSTATS], missed, len_err;
	struct osim_tx_counts tc;
	unsigned int q;

	for (q = 0; q < dev->num_rx_queues; q++) {
		osim_rq_read(&priv->rq[q], c, &missed, &len_err);
		tot->rx_packets += c[OSIM_RX_PACKETS];
		tot->rx_bytes += c[OSIM_RX_BYTES];
		tot->rx_missed_errors += missed;
		tot->rx_length_errors += len_err;
		tot->rx_errors += len_err;
	}

	for (q = 0; q < dev->num_tx_queues; q++) {
		osim_sq_read(&priv->sq[q], &tc);
		tot->tx_packets += tc.packets;
		tot->tx_bytes += tc.bytes;
		tot->tx_dropped += tc.dropped;
	}
}
