// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: ethtool_ops: driver info, counters, channels, rings,
 * interrupt coalescing and RSS.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "offloadsim.h"

static void osim_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, OSIM_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, OSIM_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, "virtual", sizeof(info->bus_info));
}

static int osim_get_sset_count(struct net_device *dev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return osim_stats_count(dev);
	default:
		return -EOPNOTSUPP;
	}
}

static void osim_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	switch (sset) {
	case ETH_SS_STATS:
		osim_stats_strings(dev, data);
		break;
	}
}

static void osim_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	osim_stats_fill(dev, data);
}

/* ethtool -l/-L: combined channels, each an RX and a TX queue. */
static void osim_get_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	ch->max_combined = min(dev->num_rx_queues, dev->num_tx_queues);
	ch->combined_count = min(dev->real_num_rx_queues,
				 dev->real_num_tx_queues);
}

static int osim_set_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct osim_priv *priv = netdev_priv(dev);

	if (ch->combined_count == dev->real_num_rx_queues &&
	    ch->combined_count == dev->real_num_tx_queues)
		return 0;
	return osim_rx_reconfigure(priv, ch->combined_count,
				   priv->rx_ring_size);
}

/* ethtool -g/-G: RX ring slots. Transmit completes synchronously into the
 * peer's RX ring, so there is no TX ring to size (its maximum is 0, which
 * makes the core refuse any TX size).
 */
static void osim_get_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct osim_priv *priv = netdev_priv(dev);

	ring->rx_max_pending = OSIM_RX_RING_MAX;
	ring->rx_pending = priv->rx_ring_size;
}

static int osim_set_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct osim_priv *priv = netdev_priv(dev);

	if (ring->rx_pending < OSIM_RX_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "RX ring must have at least 64 slots");
		return -EINVAL;
	}
	if (ring->rx_pending == priv->rx_ring_size)
		return 0;
	return osim_rx_reconfigure(priv, dev->real_num_rx_queues,
				   ring->rx_pending);
}

/* ethtool -c/-C: RX interrupt moderation. There is no TX completion
 * interrupt to moderate.
 */
static int osim_get_coalesce(struct net_device *dev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct osim_priv *priv = netdev_priv(dev);

	ec->rx_coalesce_usecs = priv->coal_usecs;
	ec->rx_max_coalesced_frames = priv->coal_frames;
	return 0;
}

static int osim_set_coalesce(struct net_device *dev,
			     struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct osim_priv *priv = netdev_priv(dev);

	if (ec->rx_coalesce_usecs > OSIM_COAL_USECS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs is at most 100000");
		return -EINVAL;
	}
	if (ec->rx_max_coalesced_frames > OSIM_COAL_FRAMES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-frames is at most 16384");
		return -EINVAL;
	}
	if (!ec->rx_coalesce_usecs && ec->rx_max_coalesced_frames > 1) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx-frames needs rx-usecs: without the timer, frames below the threshold would wait forever");
		return -EINVAL;
	}

	WRITE_ONCE(priv->coal_usecs, ec->rx_coalesce_usecs);
	WRITE_ONCE(priv->coal_frames, ec->rx_max_coalesced_frames);
	return 0;
}

static u32 osim_get_rxfh_key_size(struct net_device *dev)
{
	return OSIM_RSS_KEY_SIZE;
}

static u32 osim_get_rxfh_indir_size(struct net_device *dev)
{
	return OSIM_RSS_INDIR_SIZE;
}

static int osim_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd,
			  u32 *rule_locs)
{
	return osim_rss_get_rxnfc(dev, cmd);
}

const struct ethtool_ops osim_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_drvinfo		= osim_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_sset_count		= osim_get_sset_count,
	.get_strings		= osim_get_strings,
	.get_ethtool_stats	= osim_get_ethtool_stats,
	.get_channels		= osim_get_channels,
	.set_channels		= osim_set_channels,
	.get_ringparam		= osim_get_ringparam,
	.set_ringparam		= osim_set_ringparam,
	.get_coalesce		= osim_get_coalesce,
	.set_coalesce		= osim_set_coalesce,
	.get_rxfh_key_size	= osim_get_rxfh_key_size,
	.get_rxfh_indir_size	= osim_get_rxfh_indir_size,
	.get_rxfh		= osim_compat_get_rxfh,
	.set_rxfh		= osim_compat_set_rxfh,
	.get_rxnfc		= osim_get_rxnfc,
	.set_rxnfc		= osim_rss_set_rxnfc,
};
