// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 plugin for rtnl link kind "offloadsim".
 *
 *   ip link add osim0 type offloadsim peer name osim1 [<link options>]
 *
 * For a kind it has no built-in parser for, ip's get_link_kind() does
 * dlopen("$IP_LIB_DIR/link_<kind>.so") and dlsym("<kind>_link_util"), so
 * this file only has to export a writable "offloadsim_link_util" (ip
 * stores its list link into ->next, so it must not be const).
 *
 * The module's IFLA_INFO_DATA is identical to veth's: attribute 1
 * (OSIM_INFO_PEER == VETH_INFO_PEER) holding a struct ifinfomsg followed
 * by the peer's IFLA_* attributes.  Peer parsing is therefore delegated
 * to ip's own built-in veth parser, found at run time with
 * dlsym(RTLD_DEFAULT, "veth_link_util"), rather than re-implemented on
 * top of iplink_parse() the way ip/link_veth.c does it.  Why:
 *
 *  - iplink_parse() is not a stable ABI: its prototype changed (it used
 *    to take name/link/dev/group/index out-pointers, now it takes
 *    (argc, argv, struct iplink_req *, char **type)), and it writes into
 *    struct iplink_req, whose buffer size is ip-internal.  Calling it
 *    from a plugin built without ip's headers would silently break on
 *    another iproute2 version.
 *  - veth's parse_opt does exactly the encoding the module expects,
 *    including the ifi_index/ifi_flags/ifi_change juggling that moves
 *    "peer ... index N" / "up" into the peer's ifinfomsg, and it is kept
 *    in sync with iplink_parse() by iproute2 itself.
 *  - The only ABI this relies on is the head of struct link_util (next,
 *    id, maxattr, parse_opt), unchanged since the plugin mechanism was
 *    introduced, plus veth_link_util being exported.  ip has veth built
 *    in and is always linked with -export-dynamic: get_link_kind() finds
 *    its own built-in kinds with dlopen(NULL) + dlsym(), so a binary
 *    that did not export veth_link_util could not load plugins at all.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define OSIM_INFO_PEER	1	/* == VETH_INFO_PEER */
#define OSIM_INFO_MAX	OSIM_INFO_PEER

/*
 * Local copy of struct link_util from iproute2 6.1 ip/ip_common.h.
 * Checked against Debian 12's /usr/sbin/ip: veth_link_util and all other
 * *_link_util objects are 0x48 bytes; get_link_kind() reads ->id at +0x08
 * and writes ->next at +0x00, print_linkinfo() reads ->maxattr at +0x10,
 * ->print_opt at +0x20 and ->print_xstats at +0x28, iplink_parse() calls
 * ->parse_opt at +0x18 and "ip link help <kind>" calls ->print_help at
 * +0x30; bond_link_util has its xstats hooks at +0x38 and +0x40.
 * The reserved tail keeps the object larger than any ip that appends
 * hooks later; those then read as NULL.
 */
struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *lu, int argc,
					     char **argv, struct nlmsghdr *n);
	void			(*print_opt)(struct link_util *lu, FILE *f,
					     struct rtattr *tb[]);
	void			(*print_xstats)(struct link_util *lu, FILE *f,
						struct rtattr *xstats);
	void			(*print_help)(struct link_util *lu, int argc,
					      char **argv, FILE *f);
	int			(*parse_ifla_xstats)(struct link_util *lu,
						     int argc, char **argv);
	int			(*print_ifla_xstats)(struct nlmsghdr *n,
						     void *arg);
	void			*reserved[8];
};

_Static_assert(offsetof(struct link_util, maxattr) == 0x10, "maxattr");
_Static_assert(offsetof(struct link_util, parse_opt) == 0x18, "parse_opt");
_Static_assert(offsetof(struct link_util, print_opt) == 0x20, "print_opt");
_Static_assert(offsetof(struct link_util, print_help) == 0x30, "print_help");
_Static_assert(offsetof(struct link_util, print_ifla_xstats) == 0x40,
	       "print_ifla_xstats");

static void print_usage(FILE *f)
{
	fprintf(f,
		"Usage: ip link <options> type offloadsim [peer <options>]\n"
		"To get <options> type 'ip link add help'\n");
}

static int offloadsim_parse_opt(struct link_util *lu, int argc, char **argv,
				struct nlmsghdr *n)
{
	struct link_util *veth;

	(void)lu;

	/* ip only calls us with argc > 0 */
	if (strcmp(argv[0], "help") == 0) {
		print_usage(stderr);
		return -1;
	}
	if (strcmp(argv[0], "peer") != 0) {
		fprintf(stderr, "offloadsim: unknown option \"%s\"\n", argv[0]);
		print_usage(stderr);
		return -1;
	}

	veth = dlsym(RTLD_DEFAULT, "veth_link_util");
	if (!veth || !veth->parse_opt) {
		fprintf(stderr,
			"offloadsim: this ip does not export veth_link_util, cannot parse \"peer\"\n");
		return -1;
	}

	/* argv[0] == "peer"; veth encodes VETH_INFO_PEER == OSIM_INFO_PEER */
	return veth->parse_opt(veth, argc, argv, n);
}

static void offloadsim_print_help(struct link_util *lu, int argc, char **argv,
				  FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	print_usage(f);
}

/*
 * No print_opt: like veth, the module reports nothing in IFLA_INFO_DATA
 * and ip skips a NULL print_opt ("ip -d link show" prints just the kind).
 */
struct link_util offloadsim_link_util = {
	.id		= "offloadsim",
	.maxattr	= OSIM_INFO_MAX,
	.parse_opt	= offloadsim_parse_opt,
	.print_help	= offloadsim_print_help,
};
