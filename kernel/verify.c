// SPDX-License-Identifier: GPL-2.0
/*
 * offloadsim: the oracle for the segmentation engine.
 *
 * With the "verify" module parameter set, every GSO skb the engine cuts in
 * its correct mode (lso_mtu 0) is also segmented by the kernel's own
 * software GSO, on a private copy and with no offload features, so that
 * every segment comes out with complete checksums. The engine's frames
 * settle the checksums they owe first. The two frame trains must be
 * byte-identical; a difference is counted in verify_mismatch and logged
 * (rate-limited) with the first differing offset.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "offloadsim.h"

/* Return the first offset where @a and @b differ, or -1 if they do not. */
static int osim_verify_cmp(const struct sk_buff *a, const struct sk_buff *b)
{
	unsigned int off, n, i;
	u8 abuf[64], bbuf[64];

	for (off = 0; off < min(a->len, b->len); off += n) {
		const u8 *pa, *pb;

		n = min_t(unsigned int, sizeof(abuf), min(a->len, b->len) - off);
		pa = skb_header_pointer(a, off, n, abuf);
		pb = skb_header_pointer(b, off, n, bbuf);
		if (!pa || !pb)
			return off;
		for (i = 0; i < n; i++)
			if (pa[i] != pb[i])
				return off + i;
	}
	return a->len == b->len ? -1 : min(a->len, b->len);
}

/**
 * osim_verify_segments - compare the engine's frames with software GSO
 * @skb: the GSO skb as the engine received it
 * @frames: the frames the engine cut from it
 * @tc: counters to update
 */
void osim_verify_segments(struct sk_buff *skb, struct sk_buff_head *frames,
			  struct osim_tx_counts *tc)
{
	struct sk_buff *copy, *segs, *seg, *next, *frame;
	unsigned int i = 0;
	int where = -1;

	skb_queue_walk(frames, frame)
		osim_csum_settle(frame);

	/* Headers private, payload shared: GSO only reads the payload. */
	copy = pskb_copy(skb, GFP_ATOMIC);
	if (!copy)
		return;

	segs = skb_gso_segment(copy, 0);
	if (IS_ERR_OR_NULL(segs)) {
		/* Software GSO refuses what the engine accepted (e.g. a
		 * payload no longer than gso_size): nothing to compare.
		 */
		consume_skb(copy);
		return;
	}

	frame = skb_peek(frames);
	skb_list_walk_safe(segs, seg, next) {
		if (where < 0) {
			if (!frame)
				where = 0;
			else
				where = osim_verify_cmp(seg, frame);
			if (where < 0) {
				frame = skb_peek_next(frame, frames);
				i++;
			}
		}
		consume_skb(seg);
	}
	if (where < 0 && frame)
		where = 0;

	tc->verify_checked++;
	if (where >= 0) {
		tc->verify_mismatch++;
		if (net_ratelimit())
			netdev_info(skb->dev, "verify: frame %u differs from software GSO at byte %d (gso_size %u, len %u)\n",
				    i, where, skb_shinfo(skb)->gso_size,
				    skb->len);
	}
	consume_skb(copy);
}
