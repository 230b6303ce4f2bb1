/**
 * The fixed keyspace: every item of every cache lives in one of
 * {@linkcode SLOT_COUNT} slots, chosen by a stable hash of (cache id, key).
 * A shard hosts a set of slots; a router (`router.ts`) maps each slot to the
 * store that hosts it. Moving data between nodes moves whole slots, so the
 * slot of an item must never change: the hash is written here by hand and is
 * part of the data format.
 *
 * Why 16384 (Redis Cluster's number): a cluster of up to a few hundred
 * shards still gets dozens of slots each, so a move shifts a small, even
 * share of the data; a bitmap of every slot is 2 KiB (a shard's memory image
 * records its slots in one, `store-wasm`); and the slot table of a router is
 * 16384 references, small enough to copy on every change of placement.
 *
 * @module
 */

/** Number of slots of the keyspace; a power of two. */
export const SLOT_COUNT = 16384;
/** Bytes of a bitmap with one bit per slot. */
export const SLOT_BITMAP_BYTES = SLOT_COUNT / 8;

/**
 * The slot of an item: FNV-1a (32 bit) over the cache id as four bytes,
 * little endian, then the key, folded to 14 bits. The stored key of an item
 * is exactly those bytes, so a shard can find the slot of anything it holds.
 *
 * @param cacheId the cache's id (u32)
 * @param key the item's key
 * @returns the slot, from 0 to {@linkcode SLOT_COUNT} - 1
 *
 * @example
 * ```ts
 * import { SLOT_COUNT, slotOf } from "./slots.ts";
 * const key = new TextEncoder().encode("user:42");
 * const slot = slotOf(1, key);
 * if (slot !== slotOf(1, key) || slot < 0 || slot >= SLOT_COUNT) throw new Error();
 * ```
 */
export function slotOf(cacheId: number, key: Uint8Array): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ (cacheId & 0xff), 0x01000193);
  h = Math.imul(h ^ ((cacheId >>> 8) & 0xff), 0x01000193);
  h = Math.imul(h ^ ((cacheId >>> 16) & 0xff), 0x01000193);
  h = Math.imul(h ^ (cacheId >>> 24), 0x01000193);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
  // FNV's low bits mix worst: fold the high half in before masking
  return (h ^ (h >>> 16)) & (SLOT_COUNT - 1);
}

/**
 * `count` contiguous ranges covering every slot, as even as possible: the
 * first slot of range `i` is `slotRanges(count)[i]`, its end the next entry.
 *
 * @param count number of ranges (1 to {@linkcode SLOT_COUNT})
 * @returns `count + 1` boundaries, from 0 to {@linkcode SLOT_COUNT}
 *
 * @example
 * ```ts
 * import { slotRanges } from "./slots.ts";
 * if (slotRanges(4).join() !== "0,4096,8192,12288,16384") throw new Error();
 * ```
 */
export function slotRanges(count: number): number[] {
  if (!Number.isInteger(count) || count < 1 || count > SLOT_COUNT) {
    throw new RangeError(
      `Cannot split slots: expected 1 to ${SLOT_COUNT} ranges: received ${count}`,
    );
  }
  const bounds: number[] = [];
  for (let i = 0; i <= count; i++) {
    bounds.push(Math.floor((i * SLOT_COUNT) / count));
  }
  return bounds;
}

/**
 * A bitmap of the slots in `[from, to)` (bit `s` is byte `s >> 3`, bit
 * `s & 7`), as a shard's memory image records them.
 *
 * @param from first slot
 * @param to end (exclusive)
 * @returns {@linkcode SLOT_BITMAP_BYTES} bytes
 */
export function slotBitmap(from: number, to: number): Uint8Array {
  const bits = new Uint8Array(SLOT_BITMAP_BYTES);
  for (let s = from; s < to; s++) bits[s >> 3]! |= 1 << (s & 7);
  return bits;
}
