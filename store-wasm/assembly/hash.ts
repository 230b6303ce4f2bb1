// Key hashing: 8 bytes at a time with 64-bit multiply-mix (wyhash/murmur
// style), then murmur3's fmix64 finaliser. Written by hand because the index,
// tags and ghost fingerprints all slice bits from this one 64-bit value.

const K1: u64 = 0x9e3779b97f4a7c15;

const K2: u64 = 0xbf58476d1ce4e5b9;

export function hashKey(p: usize, n: u32): u64 {
  let h: u64 = <u64> n * K1;
  let i: u32 = 0;
  while (i + 8 <= n) {
    h = rotl<u64>(h ^ (load<u64>(p + i) * K2), 29) * K1;
    i += 8;
  }
  if (i < n) {
    let t: u64 = 0;
    let s: u64 = 0;
    while (i < n) {
      t |= <u64> load<u8>(p + i) << s;
      s += 8;
      i++;
    }
    h = rotl<u64>(h ^ (t * K2), 29) * K1;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/** Byte equality of two ranges of length n. */
export function bytesEqual(a: usize, b: usize, n: u32): bool {
  let i: u32 = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}
