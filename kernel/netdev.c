// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: net_device_ops and the lifetime of one end of a pair.
 *
 * A device is allocated with OSIM_MAX_QUEUES queues of each kind; the real
 * counts start at one. Queue memory (rings, NAPI) exists only while the
 * device is up, as in a NIC driver that allocates its rings in ndo_open.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "offloadsim.h"

static int osim_dev_init(struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	unsigned int i;

	priv->dev = dev;
	priv->rx_ring_size = OSIM_RX_RING_DEFAULT;
	osim_rss_init(priv);
	priv->lso_mtu = osim_default_lso_mtu;
	priv->wire_mtu = osim_default_wire_mtu;

	priv->rq = kcalloc(dev->num_rx_queues, sizeof(*priv->rq), GFP_KERNEL);
	if (!priv->rq)
		return -ENOMEM;

	priv->sq = kcalloc(dev->num_tx_queues, sizeof(*priv->sq), GFP_KERNEL);
	if (!priv->sq)
		goto err_free_rq;

	for (i = 0; i < dev->num_rx_queues; i++) {
		u64_stats_init(&priv->rq[i].stats.syncp);
		u64_stats_init(&priv->rq[i].pstats.syncp);
	}
	for (i = 0; i < dev->num_tx_queues; i++)
		u64_stats_init(&priv->sq[i].stats.syncp);

	return 0;

err_free_rq:
	kfree(priv->rq);
	priv->rq = NULL;
	return -ENOMEM;
}

/* priv_destructor: runs once the core is done with the device. */
static void osim_dev_free(struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);

	kfree(priv->sq);
	kfree(priv->rq);
}

static int osim_open(struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int err;

	peer = rtnl_dereference(priv->peer);
	if (!peer)
		return -ENOTCONN;

	err = osim_rx_open(priv);
	if (err)
		return err;

	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int osim_stop(struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct net_device *peer;

	peer = rtnl_dereference(priv->peer);
	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);

	osim_rx_close(priv);
	return 0;
}

static int osim_get_iflink(const struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	iflink = peer ? READ_ONCE(peer->ifindex) : 0;
	rcu_read_unlock();

	return iflink;
}

/* The segmentation engine checksums every frame it cuts: USO, like TSO,
 * needs checksum offload. (Newer cores enforce this for USO themselves;
 * 6.1's netdev_fix_features() does not.)
 */
static netdev_features_t osim_fix_features(struct net_device *dev,
					   netdev_features_t features)
{
	if ((features & NETIF_F_GSO_UDP_L4) &&
	    (features & OSIM_TX_CSUM_FEATURES) != OSIM_TX_CSUM_FEATURES)
		features &= ~NETIF_F_GSO_UDP_L4;

	/* The aggregation engine merges only segments whose checksum the
	 * receive engine verified. (The core drops rx-gro-hw without
	 * rx-checksumming itself, and LRO when rx-gro-hw is on.)
	 */
	if (!(features & NETIF_F_RXCSUM))
		features &= ~(NETIF_F_LRO | NETIF_F_GRO_HW);
	return features;
}

static const struct net_device_ops osim_netdev_ops = {
	.ndo_init		= osim_dev_init,
	.ndo_open		= osim_open,
	.ndo_stop		= osim_stop,
	.ndo_start_xmit		= osim_start_xmit,
	.ndo_features_check	= osim_features_check,
	.ndo_fix_features	= osim_fix_features,
	.ndo_get_stats64	= osim_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= osim_get_iflink,
};

void osim_setup(struct net_device *dev)
{
	ether_setup(dev);

	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;

	dev->netdev_ops = &osim_netdev_ops;
	dev->ethtool_ops = &osim_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = osim_dev_free;

	dev->sysfs_groups[0] = &osim_sysfs_group;
	osim_compat_set_stat_ops(dev);

	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;

	/* Every offload the engines perform can be toggled. Transmit
	 * offloads, receive checksumming and hashing are on by default as on
	 * a NIC; LRO and rx-gro-hw are off until asked for. The device reads
	 * any page, so highdma is fixed on.
	 */
	dev->hw_features = OSIM_TX_FEATURES | OSIM_RX_FEATURES;
	dev->features = OSIM_TX_FEATURES | NETIF_F_RXCSUM | NETIF_F_RXHASH |
			NETIF_F_HIGHDMA;
	dev->vlan_features = OSIM_TX_FEATURES | NETIF_F_HIGHDMA;
}
