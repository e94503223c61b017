// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: transmit checksum offload for frames the engine does not
 * segment.
 *
 * The stack hands over a CHECKSUM_PARTIAL skb with the pseudo-header sum
 * in the checksum field; the "hardware" sums from csum_start to the end and
 * stores the result at csum_start + csum_offset, as a NIC's checksum
 * engine does from the descriptor's offsets.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/checksum.h>

#include "offloadsim.h"

/**
 * osim_csum_complete - fill in the checksum of a CHECKSUM_PARTIAL skb
 * @skb: the frame, data at the Ethernet header
 *
 * Return: 0, -EINVAL if the offsets point outside the frame, or -ENOMEM.
 */
int osim_csum_complete(struct sk_buff *skb)
{
	int start = skb_checksum_start_offset(skb);
	unsigned int at;
	__wsum csum;

	if (start < 0 || start >= skb->len ||
	    skb->csum_offset + sizeof(__sum16) > skb->len - start)
		return -EINVAL;

	at = start + skb->csum_offset;
	/* The field may sit in a header shared with a clone (TCP keeps one
	 * for retransmission): write to a private copy.
	 */
	if (skb_ensure_writable(skb, at + sizeof(__sum16)))
		return -ENOMEM;

	csum = skb_checksum(skb, start, skb->len - start, 0);
	*(__sum16 *)(skb->data + at) = csum_fold(csum) ?: CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}
