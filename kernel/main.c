// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: module entry points.
 */
#include <linux/module.h>

#include "offloadsim.h"

static int __init osim_init(void)
{
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
