// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim compat: the get_rxfh/set_rxfh ethtool ops.
 *
 * v6.8 ("net: ethtool: pass a pointer to parameters to get/set_rxfh
 * ethtool ops") replaced their argument lists with struct
 * ethtool_rxfh_param. Both shapes call into rss.c.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "../offloadsim.h"

#ifdef OSIM_HAVE_ETHTOOL_RXFH_PARAM

int osim_compat_get_rxfh(struct net_device *dev,
			 struct ethtool_rxfh_param *rxfh)
{
	return osim_rss_get(dev, rxfh->indir, rxfh->key, &rxfh->hfunc);
}

int osim_compat_set_rxfh(struct net_device *dev,
			 struct ethtool_rxfh_param *rxfh,
			 struct netlink_ext_ack *extack)
{
	return osim_rss_set(dev, rxfh->indir, rxfh->key, rxfh->hfunc, extack);
}

#else

int osim_compat_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			 u8 *hfunc)
{
	return osim_rss_get(dev, indir, key, hfunc);
}

int osim_compat_set_rxfh(struct net_device *dev, const u32 *indir,
			 const u8 *key, const u8 hfunc)
{
	return osim_rss_set(dev, indir, key, hfunc, NULL);
}

#endif
