// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: ethtool_ops.
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

const struct ethtool_ops osim_ethtool_ops = {
	.get_drvinfo		= osim_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_sset_count		= osim_get_sset_count,
	.get_strings		= osim_get_strings,
	.get_ethtool_stats	= osim_get_ethtool_stats,
};
