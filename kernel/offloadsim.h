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

/* Longest header (Ethernet to the end of TCP/UDP) the engine segments. */
#define OSIM_SEG_MAX_HDR	256
/* lso_mtu: 0 (honour gso_size) or an IP datagram size in this range. */
#define OSIM_LSO_MTU_MIN	576
#define OSIM_LSO_MTU_MAX	65535
/* wire_mtu: 0 (a direct cable) or an L3 MTU in this range. */
#define OSIM_WIRE_MTU_MIN	68
#define OSIM_WIRE_MTU_MAX	65535

/* What the transmit engine does in hardware, as ethtool -k shows it. */
#define OSIM_TX_CSUM_FEATURES	(NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM)
#define OSIM_TSO_FEATURES	(NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN | \
				 NETIF_F_TSO_MANGLEID)
#define OSIM_TX_FEATURES	(NETIF_F_SG | OSIM_TX_CSUM_FEATURES | \
				 OSIM_TSO_FEATURES | NETIF_F_GSO_UDP_L4 | \
				 NETIF_F_GSO_ROBUST)

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
	u64_stats_t		length_errors;
	struct u64_stats_sync	syncp;
};

/**
 * struct osim_tx_counts - what one ndo_start_xmit call did
 * @packets: frames put on the wire (the switch may still drop them)
 * @bytes: their bytes
 * @dropped: skbs the device dropped before the wire (malformed, no memory,
 *	no peer)
 * @tso_packets: TCP GSO skbs the engine segmented
 * @tso_frames: wire frames it cut from them
 * @tso_bytes: bytes of those GSO skbs, as handed to the driver
 * @uso_packets: UDP GSO skbs the engine segmented
 * @uso_frames: wire frames (datagrams) it cut from them
 * @csum_offload: frames whose TCP/UDP checksum the engine computed
 * @lso_mtu_frames: frames cut at lso_mtu instead of the skb's gso_size
 * @wire_mtu_drops: frames longer than wire_mtu, dropped by the "switch"
 * @malformed: skbs dropped because the engine could not parse them
 * @verify_checked: GSO skbs compared against the kernel's software GSO
 * @verify_mismatch: of those, how many differed in any byte
 */
struct osim_tx_counts {
	u64	packets;
	u64	bytes;
	u64	dropped;
	u64	tso_packets;
	u64	tso_frames;
	u64	tso_bytes;
	u64	uso_packets;
	u64	uso_frames;
	u64	csum_offload;
	u64	lso_mtu_frames;
	u64	wire_mtu_drops;
	u64	malformed;
	u64	verify_checked;
	u64	verify_mismatch;
};

/* Written only under the TX queue's xmit lock: struct osim_tx_counts. */
struct osim_sq_stats {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	u64_stats_t		dropped;
	u64_stats_t		tso_packets;
	u64_stats_t		tso_frames;
	u64_stats_t		tso_bytes;
	u64_stats_t		uso_packets;
	u64_stats_t		uso_frames;
	u64_stats_t		csum_offload;
	u64_stats_t		lso_mtu_frames;
	u64_stats_t		wire_mtu_drops;
	u64_stats_t		malformed;
	u64_stats_t		verify_checked;
	u64_stats_t		verify_mismatch;
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
 * @lso_mtu: 0, or the IP datagram size the LSO engine cuts TCP at instead
 *	of each skb's gso_size (an engine stuck on its default)
 * @wire_mtu: 0, or the L3 MTU of the simulated switch this end sends into
 * @rx_up: rings and NAPI are live; read by the peer's xmit under RCU
 */
struct osim_priv {
	struct net_device __rcu	*peer;
	struct net_device	*dev;
	struct osim_rq		*rq;
	struct osim_sq		*sq;
	unsigned int		rx_ring_size;
	unsigned int		lso_mtu;
	unsigned int		wire_mtu;
	bool			rx_up;
};

/* main.c: module parameters */
extern unsigned int osim_default_lso_mtu;
extern unsigned int osim_default_wire_mtu;
extern bool osim_verify;

/* netdev.c */
void osim_setup(struct net_device *dev);

/* rtnl.c */
int osim_rtnl_init(void);
void osim_rtnl_exit(void);

/* tx.c */
netdev_tx_t osim_start_xmit(struct sk_buff *skb, struct net_device *dev);

/* tso.c */
int osim_tso_segment(struct net_device *dev, struct sk_buff *skb,
		     unsigned int lso_mtu, struct sk_buff_head *frames,
		     struct osim_tx_counts *tc);
netdev_features_t osim_features_check(struct sk_buff *skb,
				      struct net_device *dev,
				      netdev_features_t features);

/* csum.c */
int osim_csum_complete(struct sk_buff *skb);

/* verify.c */
void osim_verify_segments(struct sk_buff *skb, struct sk_buff_head *frames,
			  struct osim_tx_counts *tc);

/* sysfs.c */
extern const struct attribute_group osim_sysfs_group;
bool osim_lso_mtu_valid(unsigned int mtu);
bool osim_wire_mtu_valid(unsigned int mtu);

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
