/**
 * The byte formats of collection calls (payloads in, result streams out), as
 * the core's `*_ops.ts` files lay them out: u32 and f64 little endian,
 * unaligned. Payloads are written through a {@linkcode ByteSink} (straight
 * into the core's memory on the request path); decoders that return bytes
 * return views into the one copy of a result stream they are given.
 *
 * @example Decode a stream of values: [u32 len][bytes] repeated
 * ```ts
 * import { decodeValues } from "./collection_codec.ts";
 * const back = decodeValues(Uint8Array.of(2, 0, 0, 0, 1, 2, 0, 0, 0, 0));
 * if (back.length !== 2 || back[0]![1] !== 2 || back[1]!.length !== 0) {
 *   throw new Error("lost");
 * }
 * ```
 *
 * @module
 */
import type {
  FieldValue,
  ScoredValue,
  ValueLookup,
} from "../protocol/operations.ts";
import { byteKey } from "../protocol/bytes.ts";

const MISS = 0xffffffff;

/**
 * The last of each group of items with equal `id`, in first-seen order
 * (`items` itself when it has fewer than two).
 */
export function lastWins<T>(
  items: readonly T[],
  id: (t: T) => Uint8Array,
): readonly T[] {
  if (items.length < 2) return items;
  const byId = new Map<string, T>();
  for (const item of items) byId.set(byteKey(id(item)), item);
  return [...byId.values()];
}

/** Where an encoder writes: a JS buffer, or the core's argument area (`_core_request.ts`). */
export interface ByteSink {
  /** A u32, little endian. */
  u32(x: number): void;
  /** An f64, little endian. */
  f64(x: number): void;
  /** Raw bytes. */
  bytes(b: Uint8Array): void;
}

/** The size and the writer of one payload format, for arguments of type T. */
export interface Payload<T> {
  /** Bytes `write` will write. */
  size(items: T): number;
  /** Writes the payload. */
  write(w: ByteSink, items: T): void;
}

/** A {@linkcode Payload} (every payload has this one shape). */
function payload<T>(
  size: (items: T) => number,
  write: (w: ByteSink, items: T) => void,
): Payload<T> {
  return { size, write };
}

/** n x [u32 flen][u32 vlen][field][value] (sets: empty values). */
export const FIELD_VALUES: Payload<readonly FieldValue[]> = payload(
  (fields) => {
    let n = 0;
    for (const f of fields) n += 8 + f.field.length + f.value.length;
    return n;
  },
  (w, fields) => {
    for (const f of fields) FIELD_VALUE.write(w, f);
  },
);

/** One field and value: FIELD_VALUES of one, without the array. */
export const FIELD_VALUE: Payload<FieldValue> = payload(
  (f) => 8 + f.field.length + f.value.length,
  (w, f) => {
    w.u32(f.field.length);
    w.u32(f.value.length);
    w.bytes(f.field);
    w.bytes(f.value);
  },
);

/** Set elements as FIELD_VALUES with empty values. */
export const ELEMENTS: Payload<readonly Uint8Array[]> = payload(
  (elements) => {
    let n = 0;
    for (const e of elements) n += 8 + e.length;
    return n;
  },
  (w, elements) => {
    for (const e of elements) {
      w.u32(e.length);
      w.u32(0);
      w.bytes(e);
    }
  },
);

/** n x [u32 len][bytes]. */
export const VALUES: Payload<readonly Uint8Array[]> = payload(
  (values) => {
    let n = 0;
    for (const v of values) n += 4 + v.length;
    return n;
  },
  (w, values) => {
    for (const v of values) {
      w.u32(v.length);
      w.bytes(v);
    }
  },
);

/** One value: VALUES of one, without the array. */
export const VALUE: Payload<Uint8Array> = payload(
  (v) => 4 + v.length,
  (w, v) => {
    w.u32(v.length);
    w.bytes(v);
  },
);

/** The bytes as they are. */
export const RAW: Payload<Uint8Array> = payload(
  (b) => b.length,
  (w, b) => w.bytes(b),
);

/** n x [f64 score][u32 vlen][value]. */
export const SCORED: Payload<readonly ScoredValue[]> = payload(
  (elements) => {
    let n = 0;
    for (const e of elements) n += 12 + e.value.length;
    return n;
  },
  (w, elements) => {
    for (const e of elements) {
      w.f64(e.score);
      w.u32(e.value.length);
      w.bytes(e.value);
    }
  },
);

/** A u32, little endian, at o. */
function u32At(d: Uint8Array, o: number): number {
  return (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>>
    0;
}

/*
 * Every decoder below that returns bytes returns views of `data`: they share
 * its buffer, so `data` must be a copy the caller owns (one copy per result,
 * never the core's memory).
 */

/** n x [u32 vlen or MISS][value] into lookups (values: views into data). */
export function decodeLookups(data: Uint8Array): ValueLookup[] {
  const buf = data.buffer;
  const base = data.byteOffset;
  const out: ValueLookup[] = [];
  for (let o = 0; o < data.length;) {
    const len = u32At(data, o);
    o += 4;
    if (len === MISS) out.push({ type: "Miss" });
    else {
      out.push({ type: "Hit", value: new Uint8Array(buf, base + o, len) });
      o += len;
    }
  }
  return out;
}

/**
 * n x [u32 vlen or MISS]... as found flags (sets: empty values). Returns no
 * bytes, so `data` may be a transient view.
 */
export function decodeFound(data: Uint8Array): boolean[] {
  const out: boolean[] = [];
  for (let o = 0; o < data.length;) {
    const len = u32At(data, o);
    o += 4;
    out.push(len !== MISS);
    if (len !== MISS) o += len;
  }
  return out;
}

/** n x [u32 flen][u32 vlen][field][value] (views into data). */
export function decodeFieldValues(data: Uint8Array): FieldValue[] {
  const buf = data.buffer;
  const base = data.byteOffset;
  const out: FieldValue[] = [];
  for (let o = 0; o < data.length;) {
    const flen = u32At(data, o);
    const vlen = u32At(data, o + 4);
    const at = base + o + 8;
    out.push({
      field: new Uint8Array(buf, at, flen),
      value: new Uint8Array(buf, at + flen, vlen),
    });
    o += 8 + flen + vlen;
  }
  return out;
}

/** The fields alone of n x [u32 flen][u32 vlen][field][value] (views into data). */
export function decodeFields(data: Uint8Array): Uint8Array[] {
  const buf = data.buffer;
  const base = data.byteOffset;
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length;) {
    const flen = u32At(data, o);
    const vlen = u32At(data, o + 4);
    out.push(new Uint8Array(buf, base + o + 8, flen));
    o += 8 + flen + vlen;
  }
  return out;
}

/** n x [u32 len][bytes] (views into data). */
export function decodeValues(data: Uint8Array): Uint8Array[] {
  const buf = data.buffer;
  const base = data.byteOffset;
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length;) {
    const len = u32At(data, o);
    out.push(new Uint8Array(buf, base + o + 4, len));
    o += 4 + len;
  }
  return out;
}

/** n x [f64 score][u32 vlen][value] (values: views into data). */
export function decodeScored(data: Uint8Array): ScoredValue[] {
  const buf = data.buffer;
  const base = data.byteOffset;
  const dv = new DataView(buf, base, data.byteLength);
  const out: ScoredValue[] = [];
  for (let o = 0; o < data.length;) {
    const score = dv.getFloat64(o, true);
    const len = u32At(data, o + 8);
    out.push({ score, value: new Uint8Array(buf, base + o + 12, len) });
    o += 12 + len;
  }
  return out;
}

/** n x [u8 found][f64 score]. Returns no bytes, so `data` may be a transient view. */
export function decodeScores(data: Uint8Array): (number | undefined)[] {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: (number | undefined)[] = [];
  for (let o = 0; o + 9 <= data.length; o += 9) {
    out.push(data[o] === 1 ? dv.getFloat64(o + 1, true) : undefined);
  }
  return out;
}
