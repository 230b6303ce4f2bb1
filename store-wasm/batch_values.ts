/**
 * {@linkcode BatchValues}: the values of a batch get, copied out of the shard
 * in one piece. The bytes belong to the caller and stay valid for as long as it
 * keeps them; nothing the shard does later changes them.
 *
 * @module
 */

/**
 * The values of a batch get: one buffer, and per key an offset (or -1 for a
 * miss) and a length. `value(i)` is a view into `bytes`.
 *
 * @example Read values
 * ```ts
 * import { BatchValues } from "./batch_values.ts";
 * const values = new BatchValues(new Uint8Array([1, 2, 3]), Int32Array.of(0, -1), Uint32Array.of(3, 0));
 * if (values.value(0)?.length !== 3 || values.has(1)) throw new Error("unexpected");
 * ```
 */
export class BatchValues {
  /** Every hit's value, back to back. */
  readonly bytes: Uint8Array;
  /** Offset of each key's value in `bytes`, or -1 for a miss. */
  readonly offsets: Int32Array;
  /** Length of each key's value (0 for a miss). */
  readonly lengths: Uint32Array;
  /** Item type of each key that holds a collection (0 elsewhere); none when no key does. */
  readonly types: Uint8Array | undefined;

  /**
   * @param bytes the values back to back
   * @param offsets per key, offset in `bytes` or -1
   * @param lengths per key, value length
   * @param types per key, the item type of a collection (a miss otherwise)
   */
  constructor(
    bytes: Uint8Array,
    offsets: Int32Array,
    lengths: Uint32Array,
    types?: Uint8Array,
  ) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.lengths = lengths;
    this.types = types;
  }

  /** The item type of key i when it holds a collection (read as a miss), else 0. */
  type(i: number): number {
    return this.types?.[i] ?? 0;
  }

  /** Number of keys asked for. */
  get length(): number {
    return this.offsets.length;
  }

  /** True when key i was found. */
  has(i: number): boolean {
    return (this.offsets[i] ?? -1) >= 0;
  }

  /** Key i's value as a view into `bytes`, or undefined for a miss. */
  value(i: number): Uint8Array | undefined {
    const off = this.offsets[i] ?? -1;
    return off < 0
      ? undefined
      : this.bytes.subarray(off, off + this.lengths[i]!);
  }
}
