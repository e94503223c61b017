/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadsim: every difference between the kernels offloadsim builds for
 * (Debian 12's 6.1 and 6.12) lives here. Core files call the osim_ or
 * newest upstream name and never test a version.
 *
 * probed.h is generated at build time by probe.sh from the headers the
 * module is built against.
 */
#ifndef _OSIM_COMPAT_H
#define _OSIM_COMPAT_H

#include <net/rtnetlink.h>

#include "probed.h"

#ifdef OSIM_HAVE_SKBUFF_REF_H
#include <linux/skbuff_ref.h>	/* __skb_frag_ref(); before: skbuff.h */
#endif

#ifdef OSIM_HAVE_NET_GSO_H
#include <net/gso.h>		/* skb_gso_segment(); before: netdevice.h */
#endif

/* Functions the KUnit tests (kernel/tests/) call are static unless the
 * kernel has KUnit; the tests are then built into the module.
 */
#ifdef OSIM_HAVE_KUNIT_VISIBILITY_H
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#else
#define VISIBLE_IF_KUNIT static
#endif

static inline int osim_rtnl_configure_link(struct net_device *dev,
					   const struct ifinfomsg *ifm)
{
#ifdef OSIM_HAVE_RTNL_CONFIGURE_LINK_NLH
	return rtnl_configure_link(dev, ifm, 0, NULL);
#else
	return rtnl_configure_link(dev, ifm);
#endif
}

/* compat/rxfh.c: ethtool's get_rxfh/set_rxfh in the kernel's shape. */
#ifdef OSIM_HAVE_ETHTOOL_RXFH_PARAM
int osim_compat_get_rxfh(struct net_device *dev,
			 struct ethtool_rxfh_param *rxfh);
int osim_compat_set_rxfh(struct net_device *dev,
			 struct ethtool_rxfh_param *rxfh,
			 struct netlink_ext_ack *extack);
#else
int osim_compat_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			 u8 *hfunc);
int osim_compat_set_rxfh(struct net_device *dev, const u32 *indir,
			 const u8 *key, const u8 hfunc);
#endif

/* compat/qstats.c: netdev netlink queue stats where the kernel has them. */
#ifdef OSIM_HAVE_NETDEV_QSTATS
void osim_compat_set_stat_ops(struct net_device *dev);
#else
static inline void osim_compat_set_stat_ops(struct net_device *dev)
{
}
#endif

#endif /* _OSIM_COMPAT_H */
