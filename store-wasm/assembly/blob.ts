// A collection's value in a ring is a "blob": `cap` bytes at address b that
// hold one data structure (dictionary, set, list, sorted set).
//
// - Every reference inside a blob is a u32 offset from b, never an address, so
//   the blob moves with one memory.copy (S3-FIFO reinsertion, relocation when
//   it grows, a snapshot of the shard).
// - The first 16 bytes are common to every kind:
//     [u32 cap][u32 used][u32 count][u32 logical]
//   cap: the blob's size; used: bytes in use (header included), the bump top;
//   count: elements (fields, values, members); logical: the collection's
//   logical size (protocol/data_store.ts logicalSize), which counts against
//   the item size limit identically in every store. Bytes 16.. belong to the
//   kind.
// - A structure module provides plain functions (not Wasm exports):
//     <kind>Init(b, cap)              an empty structure in cap bytes
//     <kind>CompactSize(b): u32       bytes a compact copy needs (no garbage)
//     <kind>Compact(src, dst, dstCap) writes a compact copy into dst
//   and its operations. A mutating operation that lacks room returns NEED_ROOM
//   having changed nothing; the caller allocates a bigger blob (compact size
//   plus what the operation needs, doubled), compacts into it, and retries.

export const BLOB_HEADER: u32 = 16;

export const B_CAP: usize = 0;

export const B_USED: usize = 4;

export const B_COUNT: usize = 8;

export const B_LOGICAL: usize = 12;

/** Returned by a mutating operation that lacks room; nothing was changed. */
export const NEED_ROOM: i32 = -1;

export function blobCap(b: usize): u32 {
  return load<u32>(b, B_CAP);
}

export function blobUsed(b: usize): u32 {
  return load<u32>(b, B_USED);
}

export function blobCount(b: usize): u32 {
  return load<u32>(b, B_COUNT);
}

export function blobLogical(b: usize): u32 {
  return load<u32>(b, B_LOGICAL);
}

export function blobInit(b: usize, cap: u32, headerBytes: u32): void {
  store<u32>(b, cap, B_CAP);
  store<u32>(b, headerBytes, B_USED);
  store<u32>(b, 0, B_COUNT);
  store<u32>(b, 0, B_LOGICAL);
}

/** Bump-allocates n bytes; returns the offset, or 0 when the blob lacks room. */
export function blobAlloc(b: usize, n: u32): u32 {
  const used = load<u32>(b, B_USED);
  if (<u64> used + <u64> n > <u64> load<u32>(b, B_CAP)) return 0;
  store<u32>(b, used + n, B_USED);
  return used;
}

/** Unsigned lexicographic compare of two byte strings (shorter prefix first). */
export function compareBytes(a: usize, alen: u32, c: usize, clen: u32): i32 {
  const n = alen < clen ? alen : clen;
  for (let i: u32 = 0; i < n; i++) {
    const x = <i32> load<u8>(a + i);
    const y = <i32> load<u8>(c + i);
    if (x != y) return x - y;
  }
  return <i32> alen - <i32> clen;
}
