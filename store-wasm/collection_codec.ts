/**
 * The byte formats of collection calls (payloads in, result streams out), as
 * the core's `*_ops.ts` files lay them out: u32 and f64 little endian,
 * unaligned. Plain bytes, no Wasm memory.
 *
 * @example Round trip of values
 * ```ts
 * import { decodeValues, encodeValues } from "./collection_codec.ts";
 * const bytes = encodeValues([Uint8Array.of(1, 2), Uint8Array.of()]);
 * const back = decodeValues(bytes);
 * if (back.length !== 2 || back[0]![1] !== 2) throw new Error("lost");
 * ```
 *
 * @module
 */
import type {
  FieldValue,
  ScoredValue,
  ValueLookup,
} from "../protocol/operations.ts";

const MISS = 0xffffffff;
const EMPTY = new Uint8Array(0);

/** Bytes as a string usable as a Map key (one char per byte). */
export function byteKey(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/** The last of each group of items with equal `id`, in first-seen order. */
export function lastWins<T>(
  items: readonly T[],
  id: (t: T) => Uint8Array,
): T[] {
  if (items.length < 2) return [...items];
  const byId = new Map<string, T>();
  for (const item of items) byId.set(byteKey(id(item)), item);
  return [...byId.values()];
}

class Writer {
  readonly bytes: Uint8Array;
  readonly #dv: DataView;
  #o = 0;
  constructor(n: number) {
    this.bytes = new Uint8Array(n);
    this.#dv = new DataView(this.bytes.buffer);
  }
  u32(x: number): void {
    this.#dv.setUint32(this.#o, x, true);
    this.#o += 4;
  }
  f64(x: number): void {
    this.#dv.setFloat64(this.#o, x, true);
    this.#o += 8;
  }
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.#o);
    this.#o += b.length;
  }
}

/** n x [u32 flen][u32 vlen][field][value] (sets: empty values). */
export function encodeFieldValues(fields: readonly FieldValue[]): Uint8Array {
  let n = 0;
  for (const f of fields) n += 8 + f.field.length + f.value.length;
  const w = new Writer(n);
  for (const f of fields) {
    w.u32(f.field.length);
    w.u32(f.value.length);
    w.raw(f.field);
    w.raw(f.value);
  }
  return w.bytes;
}

/** n x [u32 len][bytes]. */
export function encodeValues(values: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const v of values) n += 4 + v.length;
  const w = new Writer(n);
  for (const v of values) {
    w.u32(v.length);
    w.raw(v);
  }
  return w.bytes;
}

/** n x [f64 score][u32 vlen][value]. */
export function encodeScored(elements: readonly ScoredValue[]): Uint8Array {
  let n = 0;
  for (const e of elements) n += 12 + e.value.length;
  const w = new Writer(n);
  for (const e of elements) {
    w.f64(e.score);
    w.u32(e.value.length);
    w.raw(e.value);
  }
  return w.bytes;
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** n x [u32 vlen or MISS][value] into lookups. */
export function decodeLookups(data: Uint8Array): ValueLookup[] {
  const dv = view(data);
  const out: ValueLookup[] = [];
  for (let o = 0; o < data.length;) {
    const len = dv.getUint32(o, true);
    o += 4;
    if (len === MISS) out.push({ type: "Miss" });
    else {
      out.push({ type: "Hit", value: data.slice(o, o + len) });
      o += len;
    }
  }
  return out;
}

/** n x [u32 vlen or MISS]... as found flags (sets: empty values). */
export function decodeFound(data: Uint8Array): boolean[] {
  return decodeLookups(data).map((l) => l.type === "Hit");
}

/** n x [u32 flen][u32 vlen][field][value]. */
export function decodeFieldValues(data: Uint8Array): FieldValue[] {
  const dv = view(data);
  const out: FieldValue[] = [];
  for (let o = 0; o < data.length;) {
    const flen = dv.getUint32(o, true);
    const vlen = dv.getUint32(o + 4, true);
    o += 8;
    const field = data.slice(o, o + flen);
    o += flen;
    const value = vlen === 0 ? EMPTY : data.slice(o, o + vlen);
    out.push({ field, value });
    o += vlen;
  }
  return out;
}

/** n x [u32 len][bytes]. */
export function decodeValues(data: Uint8Array): Uint8Array[] {
  const dv = view(data);
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length;) {
    const len = dv.getUint32(o, true);
    out.push(data.slice(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return out;
}

/** n x [f64 score][u32 vlen][value]. */
export function decodeScored(data: Uint8Array): ScoredValue[] {
  const dv = view(data);
  const out: ScoredValue[] = [];
  for (let o = 0; o < data.length;) {
    const score = dv.getFloat64(o, true);
    const len = dv.getUint32(o + 8, true);
    out.push({ score, value: data.slice(o + 12, o + 12 + len) });
    o += 12 + len;
  }
  return out;
}

/** n x [u8 found][f64 score]. */
export function decodeScores(data: Uint8Array): (number | undefined)[] {
  const dv = view(data);
  const out: (number | undefined)[] = [];
  for (let o = 0; o + 9 <= data.length; o += 9) {
    out.push(data[o] === 1 ? dv.getFloat64(o + 1, true) : undefined);
  }
  return out;
}
