// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: per-device knobs in /sys/class/net/<dev>/offloadsim/.
 *
 *   lso_mtu   0: the LSO engine honours each skb's gso_size (correct).
 *             576..65535: it cuts TCP into frames whose IP datagram is this
 *             long, whatever the stack asked for: an engine stuck on its
 *             default.
 *   wire_mtu  0: a direct cable. 68..65535: the L3 MTU of a switch between
 *             this end and its peer; longer frames this end sends are
 *             dropped silently and counted in wire_mtu_drops.
 *
 * Both take effect on the next frame. Writes out of range, not a number,
 * or with a NUL byte in them ("576\0junk" is not 576), fail with -EINVAL
 * and a rate-limited log line, and leave the value as it was.
 */
#include <linux/device.h>
#include <linux/netdevice.h>
#include <linux/sysfs.h>

#include "offloadsim.h"

bool osim_lso_mtu_valid(unsigned int mtu)
{
	return !mtu || (mtu >= OSIM_LSO_MTU_MIN && mtu <= OSIM_LSO_MTU_MAX);
}

bool osim_wire_mtu_valid(unsigned int mtu)
{
	return !mtu || (mtu >= OSIM_WIRE_MTU_MIN && mtu <= OSIM_WIRE_MTU_MAX);
}

static ssize_t osim_mtu_store(struct device *d, const char *buf, size_t len,
			      const char *name, unsigned int *knob,
			      bool (*valid)(unsigned int), unsigned int min)
{
	struct net_device *dev = to_net_dev(d);
	unsigned int val;
	int err;

	/* kstrtouint() would stop at a NUL byte and ignore what follows. */
	err = strnlen(buf, len) == len ? kstrtouint(buf, 0, &val) : -EINVAL;
	if (err == -ERANGE) {
		if (net_ratelimit())
			netdev_info(dev, "%s: out of range: 0 or %u..65535\n",
				    name, min);
		return -EINVAL;
	}
	if (err) {
		if (net_ratelimit())
			netdev_info(dev, "%s: not a number\n", name);
		return -EINVAL;
	}
	if (!valid(val)) {
		if (net_ratelimit())
			netdev_info(dev, "%s: %u out of range: 0 or %u..65535\n",
				    name, val, min);
		return -EINVAL;
	}
	WRITE_ONCE(*knob, val);
	return len;
}

static ssize_t lso_mtu_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct osim_priv *priv = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%u\n", READ_ONCE(priv->lso_mtu));
}

static ssize_t lso_mtu_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct osim_priv *priv = netdev_priv(to_net_dev(d));

	return osim_mtu_store(d, buf, len, "lso_mtu", &priv->lso_mtu,
			      osim_lso_mtu_valid, OSIM_LSO_MTU_MIN);
}
static DEVICE_ATTR_RW(lso_mtu);

static ssize_t wire_mtu_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct osim_priv *priv = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%u\n", READ_ONCE(priv->wire_mtu));
}

static ssize_t wire_mtu_store(struct device *d, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	struct osim_priv *priv = netdev_priv(to_net_dev(d));

	return osim_mtu_store(d, buf, len, "wire_mtu", &priv->wire_mtu,
			      osim_wire_mtu_valid, OSIM_WIRE_MTU_MIN);
}
static DEVICE_ATTR_RW(wire_mtu);

static struct attribute *osim_sysfs_attrs[] = {
	&dev_attr_lso_mtu.attr,
	&dev_attr_wire_mtu.attr,
	NULL
};

const struct attribute_group osim_sysfs_group = {
	.name	= "offloadsim",
	.attrs	= osim_sysfs_attrs,
};
