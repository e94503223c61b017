// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: module entry points.
 */
#include <linux/module.h>

#include "offloadsim.h"

unsigned int osim_default_lso_mtu;
module_param_named(lso_mtu, osim_default_lso_mtu, uint, 0444);
MODULE_PARM_DESC(lso_mtu,
		 "lso_mtu of new devices: 0 (honour gso_size) or 576..65535");

unsigned int osim_default_wire_mtu;
module_param_named(wire_mtu, osim_default_wire_mtu, uint, 0444);
MODULE_PARM_DESC(wire_mtu,
		 "wire_mtu of new devices: 0 (direct cable) or 68..65535");

bool osim_verify;
module_param_named(verify, osim_verify, bool, 0644);
MODULE_PARM_DESC(verify,
		 "Compare every segmented GSO skb with the kernel's software GSO");

static int __init osim_init(void)
{
	if (!osim_lso_mtu_valid(osim_default_lso_mtu)) {
		pr_err("offloadsim: lso_mtu=%u: must be 0 or %u..%u\n",
		       osim_default_lso_mtu, OSIM_LSO_MTU_MIN, OSIM_LSO_MTU_MAX);
		return -EINVAL;
	}
	if (!osim_wire_mtu_valid(osim_default_wire_mtu)) {
		pr_err("offloadsim: wire_mtu=%u: must be 0 or %u..%u\n",
		       osim_default_wire_mtu, OSIM_WIRE_MTU_MIN, OSIM_WIRE_MTU_MAX);
		return -EINVAL;
	}
	return osim_rtnl_init();
}

static void __exit osim_exit(void)
{
	osim_rtnl_exit();
}

module_init(osim_init);
module_exit(osim_exit);

MODULE_DESCRIPTION("Virtual NIC pair that emulates hardware offloads");
MODULE_LICENSE("GPL");
MODULE_VERSION(OSIM_DRV_VERSION);
