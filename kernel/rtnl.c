// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the "offloadsim" rtnl link type.
 *
 *   ip link add [NAME] type offloadsim [peer [name NAME2] [PEER OPTIONS]]
 *
 * The peer is described exactly as veth describes it (OSIM_INFO_PEER holds
 * a struct ifinfomsg followed by IFLA_* attributes), so one netlink request
 * creates both ends. Deleting either end deletes both.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "offloadsim.h"

static const struct nla_policy osim_policy[OSIM_INFO_MAX + 1] = {
	[OSIM_INFO_PEER]	= { .len = sizeof(struct ifinfomsg) },
};

static int osim_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast and non-zero");
			return -EADDRNOTAVAIL;
		}
	}

	if (tb[IFLA_NUM_TX_QUEUES] &&
	    nla_get_u32(tb[IFLA_NUM_TX_QUEUES]) > OSIM_MAX_QUEUES) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_NUM_TX_QUEUES],
				    "Too many TX queues (max 16)");
		return -EINVAL;
	}
	if (tb[IFLA_NUM_RX_QUEUES] &&
	    nla_get_u32(tb[IFLA_NUM_RX_QUEUES]) > OSIM_MAX_QUEUES) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_NUM_RX_QUEUES],
				    "Too many RX queues (max 16)");
		return -EINVAL;
	}

	return 0;
}

static unsigned int osim_get_num_queues(void)
{
	return OSIM_MAX_QUEUES;
}

/* Combined channels, each one RX and one TX queue: one until the user
 * asks for more, with ethtool -L or with numtxqueues and numrxqueues at
 * creation (which also set the maximum). Given only one of them, or two
 * different counts, the device starts with as many channels as both
 * allow, so that ethtool -l describes the queues in use.
 */
static int osim_init_queues(struct net_device *dev, struct nlattr *tb[])
{
	unsigned int queues = 1;
	int err;

	if (tb[IFLA_NUM_TX_QUEUES] && tb[IFLA_NUM_RX_QUEUES])
		queues = min(dev->num_tx_queues, dev->num_rx_queues);

	err = netif_set_real_num_tx_queues(dev, queues);
	if (err)
		return err;
	err = netif_set_real_num_rx_queues(dev, queues);
	if (err)
		return err;
	osim_rss_default_indir(netdev_priv(dev), queues);
	return 0;
}

static int osim_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1], **tbp = tb;
	unsigned char name_assign_type = NET_NAME_ENUM;
	struct ifinfomsg *ifmp = NULL;
	char ifname[IFNAMSIZ];
	struct osim_priv *priv;
	struct net_device *peer;
	struct net *net;
	int err;

	if (data && data[OSIM_INFO_PEER]) {
		struct nlattr *nla_peer = data[OSIM_INFO_PEER];

		ifmp = nla_data(nla_peer);
		err = rtnl_nla_parse_ifinfomsg(peer_tb, nla_peer, extack);
		if (err < 0)
			return err;

		err = osim_validate(peer_tb, NULL, extack);
		if (err < 0)
			return err;

		tbp = peer_tb;
	}

	if (ifmp && tbp[IFLA_IFNAME]) {
		nla_strscpy(ifname, tbp[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		strscpy(ifname, OSIM_IFNAME_FMT, IFNAMSIZ);
	}

	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net))
		return PTR_ERR(net);

	peer = rtnl_create_link(net, ifname, name_assign_type, dev->rtnl_link_ops,
				tbp, extack);
	if (IS_ERR(peer)) {
		put_net(net);
		return PTR_ERR(peer);
	}

	if (!ifmp || !tbp[IFLA_ADDRESS])
		eth_hw_addr_random(peer);

	if (ifmp && dev->ifindex)
		peer->ifindex = ifmp->ifi_index;

	netif_inherit_tso_max(peer, dev);

	err = register_netdevice(peer);
	put_net(net);
	if (err < 0)
		goto err_free_peer;

	netif_carrier_off(peer);

	err = osim_rtnl_configure_link(peer, ifmp);
	if (err < 0)
		goto err_unregister_peer;

	/* The peer took the first free "osim%d": name this end after it. */
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		strscpy(dev->name, OSIM_IFNAME_FMT, IFNAMSIZ);

	err = register_netdevice(dev);
	if (err < 0)
		goto err_unregister_peer;

	netif_carrier_off(dev);

	err = osim_init_queues(dev, tb);
	if (err)
		goto err_unregister_dev;
	err = osim_init_queues(peer, tbp);
	if (err)
		goto err_unregister_dev;

	priv = netdev_priv(dev);
	rcu_assign_pointer(priv->peer, peer);
	priv = netdev_priv(peer);
	rcu_assign_pointer(priv->peer, dev);

	return 0;

err_unregister_dev:
	unregister_netdevice(dev);
err_unregister_peer:
	unregister_netdevice(peer);
	return err;

err_free_peer:
	free_netdev(peer);
	return err;
}

static void osim_dellink(struct net_device *dev, struct list_head *head)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	/* dellink() may run from default_device_exit_batch() before an RCU
	 * grace period; the devices are not freed before one elapses.
	 */
	RCU_INIT_POINTER(priv->peer, NULL);
	unregister_netdevice_queue(dev, head);

	if (peer) {
		priv = netdev_priv(peer);
		RCU_INIT_POINTER(priv->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static struct net *osim_get_link_net(const struct net_device *dev)
{
	struct osim_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops osim_link_ops = {
	.kind			= OSIM_DRV_NAME,
	.priv_size		= sizeof(struct osim_priv),
	.setup			= osim_setup,
	.validate		= osim_validate,
	.newlink		= osim_newlink,
	.dellink		= osim_dellink,
	.policy			= osim_policy,
	.maxtype		= OSIM_INFO_MAX,
	.get_link_net		= osim_get_link_net,
	.get_num_tx_queues	= osim_get_num_queues,
	.get_num_rx_queues	= osim_get_num_queues,
};

int osim_rtnl_init(void)
{
	return rtnl_link_register(&osim_link_ops);
}

void osim_rtnl_exit(void)
{
	rtnl_link_unregister(&osim_link_ops);
}

MODULE_ALIAS_RTNL_LINK(OSIM_DRV_NAME);
