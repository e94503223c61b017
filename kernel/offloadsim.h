/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadsim - a virtual NIC pair that performs offloads the way hardware
 * does, and fails the way hardware fails.
 *
 * Private header shared by every file of the module.
 */
#ifndef _OFFLOADSIM_H
#define _OFFLOADSIM_H

#include <linux/ethtool.h>
#include <linux/hrtimer.h>
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
#define OSIM_RX_RING_MIN	64
#define OSIM_RX_RING_MAX	16384
/* Interrupt coalescing limits (ethtool -C rx-usecs, rx-frames). */
#define OSIM_COAL_USECS_MAX	100000
#define OSIM_COAL_FRAMES_MAX	OSIM_RX_RING_MAX

/* RSS: Toeplitz key and indirection table sizes, as most NICs have. */
#define OSIM_RSS_KEY_SIZE	40
#define OSIM_RSS_INDIR_SIZE	128
/* Longest hash input: two IPv6 addresses and two ports. */
#define OSIM_RSS_INPUT_MAX	(2 * 16 + 2 * 2)

/* LRO / hardware GRO: open flows per RX queue, segments per aggregate. */
#define OSIM_AGG_FLOWS		8
#define OSIM_LRO_MAX_SEGS	64

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
/* What the receive engine does in hardware. */
#define OSIM_RX_FEATURES	(NETIF_F_RXCSUM | NETIF_F_RXHASH | \
				 NETIF_F_LRO | NETIF_F_GRO_HW)

/* IFLA_INFO_DATA attributes: the same layout as veth's, so that the peer
 * is described by a struct ifinfomsg followed by IFLA_* attributes.
 */
enum {
	OSIM_INFO_UNSPEC,
	OSIM_INFO_PEER,
	__OSIM_INFO_MAX
};

#define OSIM_INFO_MAX	(__OSIM_INFO_MAX - 1)

/**
 * enum osim_rx_stat - per RX queue counters owned by the queue's NAPI poll
 *
 * One array index per counter, so that a poll counts into a plain array
 * and folds it into the queue's u64_stats block in one loop. The names
 * ethtool shows are in stats.c; Documentation/offloadsim.rst explains each.
 */
enum osim_rx_stat {
	OSIM_RX_PACKETS,
	OSIM_RX_BYTES,
	OSIM_RX_POLLS,
	OSIM_RX_CSUM_GOOD,
	OSIM_RX_CSUM_TRUSTED,
	OSIM_RX_CSUM_BAD,
	OSIM_RX_CSUM_NONE,
	OSIM_RX_LRO_PACKETS,
	OSIM_RX_LRO_SEGMENTS,
	OSIM_RX_HW_GRO_PACKETS,
	OSIM_RX_HW_GRO_SEGMENTS,
	OSIM_RX_HW_GRO_BYTES,
	OSIM_RX_HW_GRO_WIRE_BYTES,
	/* One per enum osim_flush, in the same order. */
	OSIM_RX_FLUSH_FLAGS,
	OSIM_RX_FLUSH_OPTIONS,
	OSIM_RX_FLUSH_IP,
	OSIM_RX_FLUSH_ORDER,
	OSIM_RX_FLUSH_ACK,
	OSIM_RX_FLUSH_MSS,
	OSIM_RX_FLUSH_SIZE,
	OSIM_RX_FLUSH_POLL,
	OSIM_RX_FLUSH_EVICT,
	OSIM_RX_NSTATS
};

/**
 * enum osim_flush - why the aggregation engine delivered an aggregate
 * @OSIM_FLUSH_NONE: not flushed (the segment can be merged)
 * @OSIM_FLUSH_FLAGS: PSH/FIN ends it, or URG/RST/SYN/CWR or other flags
 *	differ from the held segment's
 * @OSIM_FLUSH_OPTIONS: TCP header length or option bytes (timestamps) differ
 * @OSIM_FLUSH_IP: IPv4 TTL/TOS/DF (and ID with rx-gro-hw), IPv6 traffic
 *	class or hop limit differ, or IP options
 * @OSIM_FLUSH_ORDER: the segment is not the next in sequence
 * @OSIM_FLUSH_ACK: ACK number or window differ (rx-gro-hw only)
 * @OSIM_FLUSH_MSS: a segment without payload; with rx-gro-hw also one
 *	longer than the first (not merged) or shorter (merged, then flushed);
 *	with LRO one whose linear payload can be neither chained where
 *	skb_segment() can cut it nor copied into a page frag (not merged)
 * @OSIM_FLUSH_SIZE: 64 KB, or OSIM_LRO_MAX_SEGS segments for LRO
 * @OSIM_FLUSH_POLL: end of a NAPI poll
 * @OSIM_FLUSH_EVICT: every flow slot of the queue was busy
 */
enum osim_flush {
	OSIM_FLUSH_NONE = -1,
	OSIM_FLUSH_FLAGS,
	OSIM_FLUSH_OPTIONS,
	OSIM_FLUSH_IP,
	OSIM_FLUSH_ORDER,
	OSIM_FLUSH_ACK,
	OSIM_FLUSH_MSS,
	OSIM_FLUSH_SIZE,
	OSIM_FLUSH_POLL,
	OSIM_FLUSH_EVICT,
};

/* What one NAPI poll counted, folded into struct osim_rq_stats at its end. */
struct osim_rx_counts {
	u64	c[OSIM_RX_NSTATS];
};

/* Written only by the queue's NAPI poll. */
struct osim_rq_stats {
	u64_stats_t		c[OSIM_RX_NSTATS];
	struct u64_stats_sync	syncp;
};

/* Written under the ring's producer lock: by the peer's transmit path and
 * by the coalescing timer.
 */
struct osim_rq_pstats {
	u64_stats_t		missed;
	u64_stats_t		length_errors;
	u64_stats_t		irqs;
	u64_stats_t		coal_timer;
	struct u64_stats_sync	syncp;
};

/**
 * struct osim_agg_flow - one TCP flow the aggregation engine holds
 * @skb: the aggregate: the first segment, later ones merged into it;
 *	NULL when the slot is free
 * @last: where the next payload goes: @skb, or the tail of its frag_list
 * @next_seq: sequence number the next in-order segment carries
 * @mss: payload length of the first segment
 * @count: segments merged so far
 * @hlen: network plus TCP header length
 * @thlen: TCP header length
 * @ipv6: the flow is TCP over IPv6
 * @strict: rx-gro-hw rules; LRO rules when false
 * @fixedid: IPv4 ID stays fixed (DF set), decided at the second segment
 * @stamp: when the flow was opened, for eviction of the oldest
 */
struct osim_agg_flow {
	struct sk_buff	*skb;
	struct sk_buff	*last;
	u32		next_seq;
	u16		mss;
	u16		count;
	u16		hlen;
	u16		thlen;
	bool		ipv6;
	bool		strict;
	bool		fixedid;
	u32		stamp;
};

/**
 * struct osim_agg - the LRO / hardware GRO engine of one RX queue
 * @flow: open flows; all are flushed at the end of every NAPI poll
 * @held: flows in use
 * @stamp: counter that orders flows by age
 */
struct osim_agg {
	struct osim_agg_flow	flow[OSIM_AGG_FLOWS];
	unsigned int		held;
	u32			stamp;
};

/* The receive engine's private area of skb->cb, from the peer's xmit to our
 * NAPI poll, while the driver owns the frame.
 */
struct osim_skb_cb {
	bool	csum_trusted;
};

#define OSIM_SKB_CB(skb)	((struct osim_skb_cb *)(skb)->cb)

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
 * @coal_timer: the interrupt moderation timer (ethtool -C rx-usecs)
 * @coal_pending: frames that arrived since the last "interrupt"; under
 *	the ring's producer lock
 * @agg: LRO / hardware GRO state, owned by the NAPI poll
 * @stats: counters owned by the NAPI poll
 * @pstats: counters owned by the producers (the peer's TX queues)
 */
struct osim_rq {
	struct napi_struct	napi;
	struct ptr_ring		ring;
	struct hrtimer		coal_timer;
	unsigned int		coal_pending;
	struct osim_agg		agg;
	struct osim_rq_stats	stats;
	struct osim_rq_pstats	pstats;
} ____cacheline_aligned_in_smp;

/**
 * struct osim_rss - receive side scaling state
 * @key: Toeplitz key
 * @indir: indirection table: hash % OSIM_RSS_INDIR_SIZE -> RX queue
 * @l4_flows: BIT(flow type) of TCP/UDP flow types hashed with ports
 * @nib: the Toeplitz hash of each value (16) of each input nibble (the
 *	 high one of byte i at 2i, the low one at 2i + 1) under @key; the
 *	 hash of an input is the XOR of its nibbles' entries
 *
 * Written under RTNL by ethtool; read locklessly by the peer's transmit
 * path. A frame hashed during an update lands on some valid queue.
 */
struct osim_rss {
	u8	key[OSIM_RSS_KEY_SIZE];
	u32	indir[OSIM_RSS_INDIR_SIZE];
	u32	l4_flows;
	u32	nib[2 * OSIM_RSS_INPUT_MAX][16];
};

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
 * @coal_usecs: ethtool -C rx-usecs
 * @coal_frames: ethtool -C rx-frames
 * @rss: RSS key, table and hashed fields
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
	unsigned int		coal_usecs;
	unsigned int		coal_frames;
	struct osim_rss		rss;
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
void osim_csum_settle(struct sk_buff *skb);

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
int osim_rx_reconfigure(struct osim_priv *priv, unsigned int queues,
			unsigned int ring_size);
bool osim_rx_enqueue(struct net_device *dev, struct sk_buff *skb);

/* rxcsum.c */
void osim_rx_csum(struct sk_buff *skb, netdev_features_t features,
		  bool tapped, struct osim_rx_counts *rc);

/* lro.c */
bool osim_agg_receive(struct osim_agg *agg, struct sk_buff *skb, bool strict,
		      struct sk_buff_head *done, struct osim_rx_counts *rc);
void osim_agg_flush_all(struct osim_agg *agg, enum osim_flush why,
			struct sk_buff_head *done, struct osim_rx_counts *rc);

/* rss.c */
void osim_rss_init(struct osim_priv *priv);
void osim_rss_default_indir(struct osim_priv *priv, unsigned int queues);
u32 osim_rss_hash(const struct osim_rss *rss, const struct sk_buff *skb,
		  enum pkt_hash_types *type);
u32 osim_toeplitz(const u8 *key, const u8 *data, unsigned int len);
int osim_rss_get(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc);
int osim_rss_set(struct net_device *dev, const u32 *indir, const u8 *key,
		 u8 hfunc, struct netlink_ext_ack *extack);
int osim_rss_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd);
int osim_rss_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd);

/* stats.c */
void osim_get_stats64(struct net_device *dev,
		      struct rtnl_link_stats64 *tot);
void osim_rq_read(const struct osim_rq *rq, u64 *c, u64 *missed,
		  u64 *len_err);
void osim_sq_read(const struct osim_sq *sq, struct osim_tx_counts *tc);
int osim_stats_count(const struct net_device *dev);
void osim_stats_strings(const struct net_device *dev, u8 *data);
void osim_stats_fill(const struct net_device *dev, u64 *data);

/* ethtool.c */
extern const struct ethtool_ops osim_ethtool_ops;

/* Static functions the KUnit tests (tests/) call: VISIBLE_IF_KUNIT. */
#if IS_ENABLED(CONFIG_KUNIT)
/* csum.c */
void osim_csum_store(struct sk_buff *skb, bool keep_zero);
/* rss.c */
void osim_rss_set_key(struct osim_rss *rss, const u8 *key);
u32 osim_rss_toeplitz(const struct osim_rss *rss, const u8 *data,
		      unsigned int len);
#endif

#endif /* _OFFLOADSIM_H */
