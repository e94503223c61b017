// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: receive side scaling.
 *
 * The receiving end hashes each frame's IPv4/IPv6 addresses (and TCP/UDP
 * ports, per flow type) with the Toeplitz function and the device's key,
 * as Microsoft's RSS specification defines it and NICs implement it, then
 * picks the RX queue through a 128-entry indirection table. The hash
 * goes to the stack as the skb's receive hash (receive-hashing).
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "offloadsim.h"

/* Flow types hashed with ports by default: all TCP and UDP. */
#define OSIM_RSS_L4_DEFAULT	(BIT(TCP_V4_FLOW) | BIT(UDP_V4_FLOW) | \
				 BIT(TCP_V6_FLOW) | BIT(UDP_V6_FLOW))
#define OSIM_RXH_L3		(RXH_IP_SRC | RXH_IP_DST)
#define OSIM_RXH_L4		(OSIM_RXH_L3 | RXH_L4_B_0_1 | RXH_L4_B_2_3)

/**
 * osim_toeplitz - the Toeplitz hash of @data under @key
 * @key: at least @len + 4 bytes
 * @data: the hash input, in network byte order
 * @len: bytes of @data
 *
 * For each set bit of the input, XOR in the 32 key bits that start at
 * that bit position.
 *
 * Return: the 32-bit hash.
 */
u32 osim_toeplitz(const u8 *key, const u8 *data, unsigned int len)
{
	u32 window = (u32)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	unsigned int i, bit;
	u32 hash = 0;

	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			if (data[i] & (0x80 >> bit))
				hash ^= window;
			window <<= 1;
			window |= (key[i + 4] >> (7 - bit)) & 1;
		}
	}
	return hash;
}

/* Set the key and the per-nibble table derived from it. The Toeplitz hash
 * is linear: XOR of the hashes of the input's nibbles, each at its place.
 * A byte at input position i sees the key from byte i on.
 */
VISIBLE_IF_KUNIT void osim_rss_set_key(struct osim_rss *rss, const u8 *key)
{
	unsigned int i, v;
	u8 b;

	BUILD_BUG_ON(OSIM_RSS_INPUT_MAX + 4 > OSIM_RSS_KEY_SIZE);
	memcpy(rss->key, key, OSIM_RSS_KEY_SIZE);
	for (i = 0; i < OSIM_RSS_INPUT_MAX; i++) {
		for (v = 0; v < 16; v++) {
			b = v << 4;
			WRITE_ONCE(rss->nib[2 * i][v], osim_toeplitz(key + i, &b, 1));
			b = v;
			WRITE_ONCE(rss->nib[2 * i + 1][v], osim_toeplitz(key + i, &b, 1));
		}
	}
}

/* osim_toeplitz() under the device's key, a table lookup per nibble. */
VISIBLE_IF_KUNIT u32 osim_rss_toeplitz(const struct osim_rss *rss,
				       const u8 *data, unsigned int len)
{
	unsigned int i;
	u32 hash = 0;

	for (i = 0; i < len; i++)
		hash ^= READ_ONCE(rss->nib[2 * i][data[i] >> 4]) ^
			READ_ONCE(rss->nib[2 * i + 1][data[i] & 0xf]);
	return hash;
}

/* Hash input: addresses then ports, as the RSS specification orders it. */
struct osim_rss_input {
	u8	data[OSIM_RSS_INPUT_MAX];
	u8	len;
};

static void osim_rss_put(struct osim_rss_input *in, const void *p,
			 unsigned int len)
{
	memcpy(in->data + in->len, p, len);
	in->len += len;
}

/* Append the ports at @off if the flow type hashes them. */
static bool osim_rss_ports(const struct osim_rss *rss,
			   const struct sk_buff *skb, unsigned int off,
			   u8 proto, bool ipv6, struct osim_rss_input *in)
{
	__be16 buf[2], *ports;
	u32 flow;

	if (proto == IPPROTO_TCP)
		flow = ipv6 ? TCP_V6_FLOW : TCP_V4_FLOW;
	else if (proto == IPPROTO_UDP)
		flow = ipv6 ? UDP_V6_FLOW : UDP_V4_FLOW;
	else
		return false;

	if (!(READ_ONCE(rss->l4_flows) & BIT(flow)))
		return false;
	ports = skb_header_pointer(skb, off, sizeof(buf), buf);
	if (!ports)
		return false;
	osim_rss_put(in, ports, sizeof(buf));
	return true;
}

/**
 * osim_rss_hash - RSS hash of a frame as it arrives from the wire
 * @rss: the receiving device's RSS state
 * @skb: the frame, data at its Ethernet header
 * @type: set to the hash type: L4 (ports hashed), L3, or NONE (not IP)
 *
 * One 802.1Q/802.1ad tag is looked through. IPv4 fragments and IPv6
 * packets whose next header is not TCP or UDP hash their addresses only.
 *
 * Return: the Toeplitz hash, 0 when @type is PKT_HASH_TYPE_NONE.
 */
u32 osim_rss_hash(const struct osim_rss *rss, const struct sk_buff *skb,
		  enum pkt_hash_types *type)
{
	struct osim_rss_input in = {};
	unsigned int off = ETH_HLEN;
	__be16 *p, buf, proto;
	bool l4 = false;

	*type = PKT_HASH_TYPE_NONE;
	p = skb_header_pointer(skb, offsetof(struct ethhdr, h_proto),
			       sizeof(buf), &buf);
	if (!p)
		return 0;
	proto = *p;
	if (eth_type_vlan(proto)) {
		p = skb_header_pointer(skb, off + 2, sizeof(buf), &buf);
		if (!p)
			return 0;
		proto = *p;
		off += VLAN_HLEN;
	}

	if (proto == htons(ETH_P_IP)) {
		struct iphdr _iph, *iph;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5)
			return 0;
		osim_rss_put(&in, &iph->saddr, 2 * sizeof(iph->saddr));
		if (!ip_is_fragment(iph))
			l4 = osim_rss_ports(rss, skb, off + iph->ihl * 4,
					    iph->protocol, false, &in);
	} else if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr _ip6h, *ip6h;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return 0;
		osim_rss_put(&in, &ip6h->saddr, 2 * sizeof(ip6h->saddr));
		l4 = osim_rss_ports(rss, skb, off + sizeof(*ip6h),
				    ip6h->nexthdr, true, &in);
	} else {
		return 0;
	}

	*type = l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3;
	return osim_rss_toeplitz(rss, in.data, in.len);
}

void osim_rss_default_indir(struct osim_priv *priv, unsigned int queues)
{
	unsigned int i;

	for (i = 0; i < OSIM_RSS_INDIR_SIZE; i++)
		WRITE_ONCE(priv->rss.indir[i], ethtool_rxfh_indir_default(i, queues));
}

void osim_rss_init(struct osim_priv *priv)
{
	u8 key[OSIM_RSS_KEY_SIZE];

	netdev_rss_key_fill(key, sizeof(key));
	osim_rss_set_key(&priv->rss, key);
	priv->rss.l4_flows = OSIM_RSS_L4_DEFAULT;
	osim_rss_default_indir(priv, priv->dev->real_num_rx_queues);
}

/* ethtool -x: the hash function is always Toeplitz. */
int osim_rss_get(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc)
{
	struct osim_priv *priv = netdev_priv(dev);

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir)
		memcpy(indir, priv->rss.indir, sizeof(priv->rss.indir));
	if (key)
		memcpy(key, priv->rss.key, sizeof(priv->rss.key));
	return 0;
}

/* ethtool -X: the core has checked sizes and that every table entry names
 * an existing RX queue.
 */
int osim_rss_set(struct net_device *dev, const u32 *indir, const u8 *key,
		 u8 hfunc, struct netlink_ext_ack *extack)
{
	struct osim_priv *priv = netdev_priv(dev);
	unsigned int i;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP) {
		NL_SET_ERR_MSG_MOD(extack, "only the Toeplitz hash function is supported");
		return -EOPNOTSUPP;
	}

	if (indir)
		for (i = 0; i < OSIM_RSS_INDIR_SIZE; i++)
			WRITE_ONCE(priv->rss.indir[i], indir[i]);
	if (key)
		osim_rss_set_key(&priv->rss, key);
	return 0;
}

/* Hashed fields of a flow type, or -EINVAL for types RSS does not see. */
static int osim_rss_fields(const struct osim_rss *rss, u32 flow, u64 *data)
{
	switch (flow) {
	case TCP_V4_FLOW:
	case UDP_V4_FLOW:
	case TCP_V6_FLOW:
	case UDP_V6_FLOW:
		*data = rss->l4_flows & BIT(flow) ? OSIM_RXH_L4 : OSIM_RXH_L3;
		return 0;
	case SCTP_V4_FLOW:
	case AH_ESP_V4_FLOW:
	case AH_V4_FLOW:
	case ESP_V4_FLOW:
	case IPV4_FLOW:
	case SCTP_V6_FLOW:
	case AH_ESP_V6_FLOW:
	case AH_V6_FLOW:
	case ESP_V6_FLOW:
	case IPV6_FLOW:
		*data = OSIM_RXH_L3;
		return 0;
	default:
		return -EINVAL;
	}
}

int osim_rss_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd)
{
	struct osim_priv *priv = netdev_priv(dev);

	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = dev->real_num_rx_queues;
		return 0;
	case ETHTOOL_GRXFH:
		if (cmd->flow_type & FLOW_RSS)
			return -EINVAL;
		return osim_rss_fields(&priv->rss, cmd->flow_type, &cmd->data);
	default:
		return -EOPNOTSUPP;
	}
}

/* ethtool -N rx-flow-hash: TCP and UDP choose between the 4-tuple and the
 * address pair; every other IP flow type hashes its addresses only.
 *
 * FLOW_RSS says that rss_context names an RSS context. The device has only
 * the default one, and older cores (6.1) copy only cmd, flow_type and data
 * of ETHTOOL_SRXFH from user space, leaving rss_context uninitialised: a
 * request for another context must not be taken for one about the
 * default. Refuse FLOW_RSS, as drivers without RSS contexts do.
 */
int osim_rss_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd)
{
	struct osim_priv *priv = netdev_priv(dev);
	u32 flow = cmd->flow_type;
	u64 cur;
	int err;

	if (cmd->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	if (flow & FLOW_RSS)
		return -EINVAL;

	err = osim_rss_fields(&priv->rss, flow, &cur);
	if (err)
		return err;
	if (cmd->data == cur)
		return 0;

	switch (flow) {
	case TCP_V4_FLOW:
	case UDP_V4_FLOW:
	case TCP_V6_FLOW:
	case UDP_V6_FLOW:
		if (cmd->data == OSIM_RXH_L4)
			WRITE_ONCE(priv->rss.l4_flows, priv->rss.l4_flows | BIT(flow));
		else if (cmd->data == OSIM_RXH_L3)
			WRITE_ONCE(priv->rss.l4_flows, priv->rss.l4_flows & ~BIT(flow));
		else
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}
