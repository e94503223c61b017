/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadsim KUnit tests: what the suites share (util.c). Built into the
 * module when the kernel has CONFIG_KUNIT; KUnit runs the suites when the
 * module is loaded.
 *
 * Checksums here are computed the plain way, independently of the kernel's
 * csum_*() helpers and of the module: a ones' complement sum of big-endian
 * 16-bit words, an odd last byte padded with zero.
 */
#ifndef _OSIM_KUNIT_H
#define _OSIM_KUNIT_H

#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/skbuff.h>

/* What the L4 checksum field of a built packet holds. */
enum osim_kt_csum {
	OSIM_KT_CSUM_OK,	/* the correct checksum (UDP: 0 sent as 0xffff) */
	OSIM_KT_CSUM_ZERO,	/* 0 */
	OSIM_KT_CSUM_PARTIAL,	/* the pseudo-header sum, CHECKSUM_PARTIAL */
};

/**
 * struct osim_kt_pkt - a packet for osim_kt_build()
 * @ipv6: IPv6 rather than IPv4
 * @proto: IPPROTO_TCP, IPPROTO_UDP, or another protocol (no L4 header)
 * @at_l3: skb->data at the network header, as after eth_type_trans();
 *	else at the Ethernet header, as a driver's xmit sees it
 * @vlan: an 802.1Q tag after the Ethernet addresses
 * @tos: IPv4 TOS or IPv6 traffic class
 * @ttl: IPv4 TTL or IPv6 hop limit (0: 64)
 * @df: IPv4 don't fragment
 * @frag: IPv4 frag_off field (host order, MF and offset) besides DF
 * @ip_id: IPv4 id
 * @ip_optlen: IPv4 option bytes (NOPs), a multiple of 4
 * @flowlabel: IPv6 flow label
 * @saddr: source address (IPv4 in the first 4 bytes); 0: a default
 * @daddr: destination address; 0: a default
 * @sport: source port
 * @dport: destination port
 * @seq: TCP sequence number
 * @ack: TCP acknowledgment number
 * @flags: TCP flags (TCPHDR_*)
 * @window: TCP window (0: 512)
 * @tcp_opts: TCP option bytes, @tcp_optlen long; NULL: NOPs
 * @tcp_optlen: a multiple of 4
 * @len: payload bytes
 * @pay_off: payload byte i is osim_kt_byte(@pay_off + i)
 * @nfrags: payload in this many page frags; 0: in the linear area
 * @csum: what the L4 checksum field holds
 * @dmac: last byte of the destination MAC address (0: 0x02)
 */
struct osim_kt_pkt {
	bool		ipv6;
	u8		proto;
	bool		at_l3;
	bool		vlan;
	u8		tos;
	u8		ttl;
	bool		df;
	u16		frag;
	u16		ip_id;
	u8		ip_optlen;
	u32		flowlabel;
	struct in6_addr	saddr;
	struct in6_addr	daddr;
	u16		sport;
	u16		dport;
	u32		seq;
	u32		ack;
	u8		flags;
	u16		window;
	const u8	*tcp_opts;
	u8		tcp_optlen;
	u32		len;
	u32		pay_off;
	u8		nfrags;
	enum osim_kt_csum csum;
	u8		dmac;
};

/* test->priv of every suite starts with this: skbs freed after the case,
 * whether it passed or not.
 */
struct osim_kt {
	struct sk_buff_head	trash;
};

/* skb->ip_summed is a bit-field, which the KUNIT_EXPECT macros cannot take. */
static inline u8 osim_kt_summed(const struct sk_buff *skb)
{
	return skb->ip_summed;
}

int osim_kt_init(struct kunit *test, size_t size);
void osim_kt_exit(struct kunit *test);
void osim_kt_trash(struct kunit *test, struct sk_buff *skb);

u8 osim_kt_byte(u32 pos);
u32 osim_kt_sum(u32 sum, const void *buf, unsigned int len);
u32 osim_kt_sum_skb(u32 sum, const struct sk_buff *skb, unsigned int off,
		    unsigned int len);
u16 osim_kt_fold(u32 sum);
u16 osim_kt_get16(const void *p);
u32 osim_kt_pseudo(const struct sk_buff *skb, unsigned int nh, u8 proto,
		   u32 len);

struct sk_buff *osim_kt_build(struct kunit *test, const struct osim_kt_pkt *p);
bool osim_kt_ip4_csum_ok(const struct sk_buff *skb, unsigned int nh);
bool osim_kt_l4_csum_ok(const struct sk_buff *skb, unsigned int nh);
bool osim_kt_payload_ok(const struct sk_buff *skb, unsigned int off,
			u32 pay_off, u32 len);

#endif /* _OSIM_KUNIT_H */
