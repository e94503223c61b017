/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadsim - a virtual NIC pair that performs offloads the way hardware
 * does, and fails the way hardware fails.
 *
 * Private header shared by every file of the module.
 */
#ifndef _OFFLOADSIM_H
#define _OFFLOADSIM_H

#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/u64_stats_sync.h>

#include "compat/compat.h"

#define OSIM_DRV_NAME		"offloadsim"
#define OSIM_DRV_VERSION	"0.1.0"
#define OSIM_IFNAME_FMT		"osim%d"

/* Hard limit on queues a device is allocated with (ethtool -L range). */
#define OSIM_MAX_QUEUES		16
/* Slots in each RX ring, the queue between the peer's xmit and our NAPI. */
#define OSIM_RX_RING_DEFAULT	1024

/* IFLA_INFO_DATA attributes: the same layout as veth's, so that the peer
 * is described by a struct ifinfomsg followed by IFLA_* attributes.
 */
enum {
	OSIM_INFO_UNSPEC,
	OSIM_INFO_PEER,
	__OSIM_INFO_MAX
};

#define OSIM_INFO_MAX	(__OSIM_INFO_MAX - 1)

/* Written only by the queue's NAPI poll. */
struct osim_rq_stats {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	u64_stats_t		polls;
	struct u64_stats_sync	syncp;
};

/* Written by the peer's transmit path, under the ring's producer lock. */
struct osim_rq_pstats {
	u64_stats_t		missed;
	struct u64_stats_sync	syncp;
};

/* Written only under the TX queue's xmit lock. */
struct osim_sq_stats {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	u64_stats_t		dropped;
	struct u64_stats_sync	syncp;
};

/**
 * struct osim_rq - one receive queue: a ring filled by the peer, and NAPI
 * @napi: context that drains @ring; added only while the device is up
 * @ring: frames "on the wire" towards this queue, in order
 * @stats: counters owned by the NAPI poll
 * @pstats: counters owned by the producers (the peer's TX queues)
 */
struct osim_rq {
	struct napi_struct	napi;
	struct ptr_ring		ring;
	struct osim_rq_stats	stats;
	struct osim_rq_pstats	pstats;
} ____cacheline_aligned_in_smp;

/**
 * struct osim_sq - one transmit queue
 * @stats: counters owned by the queue's xmit lock
 */
struct osim_sq {
	struct osim_sq_stats	stats;
} ____cacheline_aligned_in_smp;

/**
 * struct osim_priv - per-device private data
 * @peer: the other end of the pair; NULL once the pair is being torn down
 * @dev: back pointer
 * @rq: dev->num_rx_queues receive queues
 * @sq: dev->num_tx_queues transmit queues
 * @rx_ring_size: slots per RX ring, applied when the rings are allocated
 * @rx_up: rings and NAPI are live; read by the peer's xmit under RCU
 */
struct osim_priv {
	struct net_device __rcu	*peer;
	struct net_device	*dev;
	struct osim_rq		*rq;
	struct osim_sq		*sq;
	unsigned int		rx_ring_size;
	bool			rx_up;
};

/* netdev.c */
void osim_setup(struct net_device *dev);

/* rtnl.c */
int osim_rtnl_init(void);
void osim_rtnl_exit(void);

/* tx.c */
netdev_tx_t osim_start_xmit(struct sk_buff *skb, struct net_device *dev);

/* rx.c */
int osim_rx_open(struct osim_priv *priv);
void osim_rx_close(struct osim_priv *priv);
bool osim_rx_enqueue(struct net_device *dev, struct sk_buff *skb);

/* stats.c */
void osim_get_stats64(struct net_device *dev,
		      struct rtnl_link_stats64 *tot);
int osim_stats_count(const struct net_device *dev);
void osim_stats_strings(const struct net_device *dev, u8 *data);
void osim_stats_fill(const struct net_device *dev, u64 *data);

/* ethtool.c */
extern const struct ethtool_ops osim_ethtool_ops;

#endif /* _OFFLOADSIM_H */
