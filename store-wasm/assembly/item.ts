// One item, packed byte-tight in a ring (no alignment, no padding):
//
//   short form (key < 256 B and value < 64 KiB), 9 bytes of header:
//     [flags u8][klen u8][vlen u16][expiry u40][key ...][value ...]
//   long form, 12 bytes of header:
//     [flags u8][klen u16][vlen u32][expiry u40][key ...][value ...]
//
//   flags: bits 0-1 access counter (S3-FIFO freq, saturates at 3)
//          bit 2 dead (deleted, replaced or expired; skipped by eviction)
//          bit 3 long form
//          bits 4-6 item type (0 = scalar)
//   expiry: ms since the shard epoch; NEVER when the item does not expire.

export const F_FREQ: u8 = 3;

export const F_DEAD: u8 = 4;

export const F_LONG: u8 = 8;

export const NEVER: u64 = 0xff_ffff_ffff;

export const MAX_KEY: u32 = 65535;

export function headerSize(klen: u32, vlen: u32): u32 {
  return klen < 256 && vlen < 65536 ? 9 : 12;
}

export function itemWrite(p: usize, klen: u32, vlen: u32, expiry: u64): void {
  if (klen < 256 && vlen < 65536) {
    store<u8>(p, 0);
    store<u8>(p, <u8> klen, 1);
    store<u16>(p, <u16> vlen, 2);
    store<u32>(p, <u32> expiry, 4);
    store<u8>(p, <u8> (expiry >> 32), 8);
  } else {
    store<u8>(p, F_LONG);
    store<u16>(p, <u16> klen, 1);
    store<u32>(p, vlen, 3);
    store<u32>(p, <u32> expiry, 7);
    store<u8>(p, <u8> (expiry >> 32), 11);
  }
}

export function isLong(p: usize): bool {
  return (load<u8>(p) & F_LONG) != 0;
}

export function itemKlen(p: usize): u32 {
  return isLong(p) ? <u32> load<u16>(p, 1) : <u32> load<u8>(p, 1);
}

export function itemVlen(p: usize): u32 {
  return isLong(p) ? load<u32>(p, 3) : <u32> load<u16>(p, 2);
}

export function itemKey(p: usize): usize {
  return p + (isLong(p) ? 12 : 9);
}

export function itemValue(p: usize): usize {
  return itemKey(p) + itemKlen(p);
}

export function itemSize(p: usize): u32 {
  return (isLong(p) ? 12 : 9) + itemKlen(p) + itemVlen(p);
}
export function itemExpiry(p: usize): u64 {
  const o: usize = isLong(p) ? 7 : 4;
  return <u64> load<u32>(p + o) | (<u64> load<u8>(p + o, 4) << 32);
}

export function isDead(p: usize): bool {
  return (load<u8>(p) & F_DEAD) != 0;
}

export function markDead(p: usize): void {
  store<u8>(p, load<u8>(p) | F_DEAD);
}

export function freq(p: usize): u32 {
  return <u32> (load<u8>(p) & F_FREQ);
}

/** A hit: one saturating counter in the item's own header, nothing else. */
export function touch(p: usize): void {
  const f = load<u8>(p);
  if ((f & F_FREQ) != F_FREQ) store<u8>(p, f + 1);
}

export function setFreq(p: usize, v: u32): void {
  store<u8>(p, (load<u8>(p) & ~F_FREQ) | <u8> v);
}

/** Item types (flags bits 4-6). */
export const T_SCALAR: u32 = 0;

export const T_DICTIONARY: u32 = 1;

export const T_SET: u32 = 2;

export const T_LIST: u32 = 3;

export const T_SORTED_SET: u32 = 4;

export function itemType(p: usize): u32 {
  return (<u32> load<u8>(p) >> 4) & 7;
}

export function setItemType(p: usize, t: u32): void {
  store<u8>(p, (load<u8>(p) & 0x8f) | <u8> (t << 4));
}

/** Rewrites the expiry in place (ms from the shard epoch). */
export function setItemExpiry(p: usize, expiry: u64): void {
  const o: usize = isLong(p) ? 7 : 4;
  store<u32>(p + o, <u32> expiry);
  store<u8>(p + o, <u8> (expiry >> 32), 4);
}
