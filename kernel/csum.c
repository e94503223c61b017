// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the transmit checksum engine.
 *
 * For a frame the segmentation engine does not cut, the stack hands over a
 * CHECKSUM_PARTIAL skb with the pseudo-header sum in the checksum field;
 * the "hardware" sums from csum_start to the end and stores the result at
 * csum_start + csum_offset, as a NIC's checksum engine does from the
 * descriptor's offsets.
 *
 * The frames the segmentation engine cuts carry their checksum as a debt
 * (tso.c): the sum is computed by osim_csum_settle() when somebody can
 * look at the frame's bytes, not on every frame.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>

#include "offloadsim.h"

/* Sum from csum_start to the end into the field at csum_offset, which
 * must be writable; a sum that folds to 0 is sent as 0xffff unless
 * @keep_zero.
 */
VISIBLE_IF_KUNIT void osim_csum_store(struct sk_buff *skb, bool keep_zero)
{
	int start = skb_checksum_start_offset(skb);
	__sum16 *check;

	check = (__sum16 *)(skb->data + start + skb->csum_offset);
	*check = csum_fold(skb_checksum(skb, start, skb->len - start, 0));
	if (!*check && !keep_zero)
		*check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/**
 * osim_csum_complete - fill in the checksum of a CHECKSUM_PARTIAL skb
 * @skb: the frame, data at the Ethernet header
 *
 * Return: 0, -EINVAL if the offsets point outside the frame, or -ENOMEM.
 */
int osim_csum_complete(struct sk_buff *skb)
{
	int start = skb_checksum_start_offset(skb);

	if (start < 0 || start >= skb->len ||
	    skb->csum_offset + sizeof(__sum16) > skb->len - start)
		return -EINVAL;

	/* The field may sit in a header shared with a clone (TCP keeps one
	 * for retransmission): write to a private copy.
	 */
	if (skb_ensure_writable(skb, start + skb->csum_offset + sizeof(__sum16)))
		return -ENOMEM;

	osim_csum_store(skb, false);
	return 0;
}

/**
 * osim_csum_settle - compute the checksum a segmentation engine frame owes
 * @skb: a frame the engine cut, CHECKSUM_PARTIAL with the pseudo-header
 *	 sum in its private TCP or UDP header
 *
 * The result is the bytes the engine would have put on the wire: a TCP sum
 * that folds to 0 stays 0, as tcp_gso_segment() leaves it; a UDP one is
 * sent as 0xffff (RFC 768).
 */
void osim_csum_settle(struct sk_buff *skb)
{
	osim_csum_store(skb, skb->csum_offset != offsetof(struct udphdr, check));
}
