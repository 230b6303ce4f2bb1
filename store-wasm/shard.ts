/**
 * {@linkcode WasmShard}: one shard of the cache, an instance of the
 * AssemblyScript core. This class is the only code in kvolt that touches the
 * core's pointers or memory views.
 *
 * @module
 */
import { KvoltError } from "../protocol/errors.ts";
import { concatBytes } from "../protocol/bytes.ts";
import { BatchValues } from "./batch_values.ts";
import { itemTooLarge, refused, wrongType } from "./core_errors.ts";
import {
  CollCall,
  CoreViews,
  type ItemInfo,
  readStats,
  storedKeyLength,
} from "./_core_request.ts";
import {
  type CoreExports,
  H,
  itemHeaderSize,
  SCRATCH_SIZE,
  SLOT_MAP_BYTES,
  Status,
  WRONG_TYPE_ADDRESS,
} from "./_abi.ts";

/** Options for a shard. */
export interface WasmShardOptions {
  /** Bytes the shard may use for items, index and eviction metadata included (>= 4096). */
  budget: number;
  /** Clock in ms since the epoch; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

export { coreModule, type ShardStats } from "./core_module.ts";
import { coreModule, type ShardStats } from "./core_module.ts";

const NEVER = -1;
const MISS = 0xffffffff;
const DEFERRED = 0xfffffffe;
const NOT_SCALAR = 0xfffffffd;

/**
 * One shard: byte keys, byte values, an absolute expiry per item, and a hard
 * memory budget enforced by S3-FIFO eviction inside the core.
 *
 * Views: `getView` returns a view into the shard's memory, valid until the
 * next call on this shard that writes (set, delete, setMany, removePrefix,
 * sweep, clear) or any collection call (which may grow the instance's
 * memory); `get` returns a copy the caller owns, and `getMany` copies every
 * value of a batch into one caller-owned buffer. `collCall` runs one
 * operation on a collection (one item in the core); see ShardHost.execute.
 *
 * @example Set and get
 * ```ts
 * import { WasmShard } from "./shard.ts";
 * const shard = await WasmShard.create({ budget: 1 << 20 });
 * const key = new TextEncoder().encode("greeting");
 * shard.set(key, new TextEncoder().encode("hello"), 60_000);
 * const value = shard.get(key);
 * if (new TextDecoder().decode(value) !== "hello") throw new Error("lost");
 * ```
 */
export class WasmShard {
  #core: CoreExports;
  #m: CoreViews;
  #call: CollCall;
  #scratch: number;
  #hdr: number;
  #now: () => number;
  /** The budget this shard was created with. */
  readonly budget: number;

  /** Instantiates a shard from the compiled core (see {@linkcode coreModule}). */
  static async create(options: WasmShardOptions): Promise<WasmShard> {
    return new WasmShard(await coreModule(), options);
  }

  /**
   * @param module the compiled core
   * @param options budget and clock
   */
  constructor(module: WebAssembly.Module, options: WasmShardOptions) {
    const { budget } = options;
    if (!Number.isInteger(budget) || budget < 4096 || budget > 0xf000_0000) {
      throw new RangeError(
        `Cannot create shard: budget must be an integer from 4096 to 3.75 GiB: received ${budget}`,
      );
    }
    this.#core = new WebAssembly.Instance(module, {})
      .exports as unknown as CoreExports;
    this.#now = options.now ?? Date.now;
    this.budget = budget;
    const st = this.#core.init(budget, this.#now());
    if (st !== Status.OK) {
      throw new RangeError(
        `Cannot create shard: the core refused a budget of ${budget} bytes: status ${st}`,
      );
    }
    // init grew memory to the arena's size; only a collection call's
    // extension region grows it later, and CollCall.run refreshes the views
    // it shares with this class (checked after each call here too).
    this.#m = new CoreViews(this.#core.memory);
    this.#hdr = this.#core.header();
    this.#scratch = this.#m.dv.getUint32(this.#hdr + H.SCRATCH, true);
    this.#call = new CollCall(this.#core, this.#m, this.#now);
  }

  /**
   * Writes the stored key into scratch: `prefix` (u32 LE) when given, then
   * `key` (no allocation); returns its length.
   */
  #putKey(key: Uint8Array, prefix?: number): number {
    const length = storedKeyLength(key, prefix);
    this.#m.putKey(this.#scratch, key, prefix);
    return length;
  }

  /** The largest value a key of `keyLength` bytes can have in this shard now. */
  maxValueBytes(keyLength: number): number {
    const room = this.#core.maxItemBytes() - keyLength;
    return room - itemHeaderSize(keyLength, room);
  }

  /**
   * A view of the value (valid until the next write to this shard), or
   * undefined. Here and below, `prefix` (a u32, e.g. a cache id) is stored
   * before the key: the item's key is its 4 bytes (LE), then `key`.
   */
  getView(key: Uint8Array, prefix?: number): Uint8Array | undefined {
    const p = this.#find(key, prefix);
    return p === 0
      ? undefined
      : this.#m.u8.subarray(p, p + this.#resultLength());
  }

  /** A copy of the value, or undefined on a miss or an expired item. */
  get(key: Uint8Array, prefix?: number): Uint8Array | undefined {
    // one copy straight out of the arena: no intermediate view (request path)
    const p = this.#find(key, prefix);
    return p === 0 ? undefined : this.#m.u8.slice(p, p + this.#resultLength());
  }

  /** Address of the key's value in the arena, or 0; views made current. */
  #find(key: Uint8Array, prefix?: number): number {
    const p = this.#core.get(this.#putKey(key, prefix), this.#now());
    if (p === WRONG_TYPE_ADDRESS) {
      throw wrongType(
        "get",
        this.#m.dv.getUint32(this.#hdr + H.RES_TYPE, true),
      );
    }
    if (p !== 0) this.#m.current();
    return p;
  }

  #resultLength(): number {
    return this.#m.dv.getUint32(this.#hdr + H.RESULT_LEN, true);
  }

  /**
   * Stores a value. `ttlMs` omitted: the item never expires (eviction still
   * applies). Throws LIMIT_EXCEEDED_ERROR (item_size_limit_exceeded) when the
   * item can never fit this shard.
   */
  set(
    key: Uint8Array,
    value: Uint8Array,
    ttlMs?: number,
    prefix?: number,
  ): void {
    const klen = this.#putKey(key, prefix);
    const p = this.#core.set(klen, value.length, ttlMs ?? NEVER, this.#now());
    if (p < 0) this.#fail(p, klen, value.length);
    this.#m.current();
    this.#m.u8.set(value, p);
  }

  #fail(status: number, klen: number, vlen: number): never {
    if (status === Status.TOO_LARGE) {
      throw itemTooLarge("set", klen + vlen, this.maxValueBytes(klen) + klen);
    }
    throw refused("set", status);
  }

  /**
   * This shard's collection call (`_core_request.ts`): one object, reused by
   * every collection operation on the shard (see ShardHost.execute). Its
   * result is valid until the next call on this shard.
   */
  get collCall(): CollCall {
    return this.#call;
  }

  /** The item's type (index in `ITEM_TYPES`) and remaining TTL in ms (-1: never), or undefined. */
  info(key: Uint8Array, prefix?: number): ItemInfo | undefined {
    const type = this.#core.itemInfo(this.#putKey(key, prefix), this.#now());
    if (type < 0) return undefined;
    const remainingMs = this.#m.dv.getFloat64(this.#hdr + H.RES_F64, true);
    return { type, remainingMs };
  }

  /**
   * Sets the item's TTL to `ttlMs` from now: always (`mode` 0), only when
   * longer than the remaining TTL (1), or only when shorter (2). Returns 1
   * set, 0 not set, -1 absent.
   */
  setTtl(
    key: Uint8Array,
    ttlMs: number,
    mode: 0 | 1 | 2,
    prefix?: number,
  ): number {
    const klen = this.#putKey(key, prefix);
    return this.#core.itemTtl(klen, ttlMs, mode, this.#now());
  }

  /** Removes the item; true when a live item was there. */
  delete(key: Uint8Array, prefix?: number): boolean {
    return this.#core.del(this.#putKey(key, prefix), this.#now()) === 1;
  }

  /**
   * Many gets with one boundary crossing per chunk of keys. The values come
   * back copied into one caller-owned buffer (see {@linkcode BatchValues}).
   */
  getMany(keys: readonly Uint8Array[], prefix?: number): BatchValues {
    const n = keys.length;
    const head = prefix === undefined ? 2 : 6;
    const offsets = new Int32Array(n);
    const lengths = new Uint32Array(n);
    const parts: Uint8Array[] = [];
    const deferred: number[] = [];
    let types: Uint8Array | undefined;
    let total = 0;
    const now = this.#now();
    const u8 = this.#m.u8;
    const dv = this.#m.dv;
    const s = this.#scratch;
    let i = 0;
    while (i < n) {
      const first = i;
      let o = 0;
      // Keys and their 8-byte result slots (at the region's end) take at most
      // a quarter of the scratch region, values the rest (never overlapping).
      // A key too long for that quarter is read alone, after the batches.
      if (head + keys[i]!.length + 8 > SCRATCH_SIZE / 4) {
        this.#putKey(keys[i]!, prefix); // throws when too long for any shard
        deferred.push(i++);
        continue;
      }
      while (i < n) {
        const k = keys[i]!;
        if (o + head + k.length + (i - first + 1) * 8 > SCRATCH_SIZE / 4) break;
        const klen = head - 2 + k.length;
        u8[s + o] = klen & 0xff;
        u8[s + o + 1] = klen >> 8;
        if (prefix !== undefined) dv.setUint32(s + o + 2, prefix, true);
        u8.set(k, s + o + head);
        o += head + k.length;
        i++;
      }
      const count = i - first;
      const res = SCRATCH_SIZE - count * 8;
      this.#core.getBatch(count, o, res, now);
      let copied = 0;
      for (let j = 0; j < count; j++) {
        const at = s + res + j * 8;
        const off = dv.getUint32(at, true);
        const len = dv.getUint32(at + 4, true);
        if (off === MISS) offsets[first + j] = -1;
        else if (off === NOT_SCALAR) {
          offsets[first + j] = -1;
          (types ??= new Uint8Array(n))[first + j] = len;
          continue;
        } else if (off === DEFERRED) deferred.push(first + j);
        else {
          offsets[first + j] = total + off;
          copied += len;
        }
        lengths[first + j] = len;
      }
      parts.push(u8.slice(s + o, s + o + copied));
      total += copied;
    }
    for (const j of deferred) {
      const v = this.get(keys[j]!, prefix);
      offsets[j] = v === undefined ? -1 : total;
      lengths[j] = v?.length ?? 0;
      if (v !== undefined) parts.push(v);
      total += v?.length ?? 0;
    }
    return new BatchValues(
      concatBytes(parts, total),
      offsets,
      lengths,
      types,
    );
  }

  /**
   * Many sets with one boundary crossing per chunk. Returns one status per
   * item: 0 stored, or the error that `set` would have thrown.
   */
  setMany(
    keys: readonly Uint8Array[],
    values: readonly Uint8Array[],
    ttlMs?: number,
  ): (KvoltError | 0)[] {
    if (keys.length !== values.length) {
      throw new RangeError("Cannot set many: keys and values differ in length");
    }
    const out: (KvoltError | 0)[] = new Array(keys.length);
    const ttl = ttlMs ?? NEVER;
    const u8 = this.#m.u8;
    const dv = this.#m.dv;
    const s = this.#scratch;
    let i = 0;
    while (i < keys.length) {
      const first = i;
      let o = 0;
      while (i < keys.length) {
        const k = keys[i]!;
        const v = values[i]!;
        const rec = 6 + k.length + v.length;
        if (o + rec + (i - first + 1) * 8 > SCRATCH_SIZE) break;
        dv.setUint16(s + o, k.length, true);
        dv.setUint32(s + o + 2, v.length, true);
        u8.set(k, s + o + 6);
        u8.set(v, s + o + 6 + k.length);
        o += rec;
        i++;
      }
      const count = i - first;
      if (count === 0) {
        // one item too large for the scratch region: the single-item path
        out[i] = this.#trySet(keys[i]!, values[i]!, ttlMs);
        i++;
        continue;
      }
      const res = SCRATCH_SIZE - count * 8;
      this.#core.setBatch(count, res, ttl, this.#now());
      for (let j = 0; j < count; j++) {
        const st = dv.getInt32(s + res + j * 8, true);
        out[first + j] = st === Status.OK
          ? 0
          : this.#trySet(keys[first + j]!, values[first + j]!, ttlMs);
      }
    }
    return out;
  }

  #trySet(key: Uint8Array, value: Uint8Array, ttlMs?: number): KvoltError | 0 {
    try {
      this.set(key, value, ttlMs);
      return 0;
    } catch (err) {
      if (err instanceof KvoltError) return err;
      throw err;
    }
  }

  /**
   * Removes every item whose key starts with `prefix`; returns how many were
   * live (expired ones are removed too, but not counted, as in `delete`).
   */
  removePrefix(prefix: Uint8Array): number {
    return this.#core.removePrefix(this.#putKey(prefix), this.#now());
  }

  /**
   * The stored key (prefix included) of every live item, copied. One call
   * walks the whole index: nothing writes to the shard in between.
   */
  storedKeys(): Uint8Array[] {
    const keys: Uint8Array[] = [];
    const now = this.#now();
    let pos = this.#core.nextKey(0, now);
    while (pos >= 0) {
      const at = this.#scratch;
      this.#m.current();
      keys.push(this.#m.u8.slice(at, at + this.#resultLength()));
      pos = this.#core.nextKey(pos, now);
    }
    return keys;
  }

  /** Unlinks expired items from the next `buckets` index buckets (12 slots each). */
  sweep(buckets = 256): number {
    return this.#core.sweep(buckets, this.#now());
  }

  /** Removes every item. */
  clear(): void {
    this.#core.clear();
  }

  /** Counters and memory figures. */
  stats(): ShardStats {
    return readStats(this.#core, this.#m.dv, this.#hdr);
  }

  /**
   * Records the slots this shard hosts in its memory image (so a snapshot of
   * the memory says which slots it holds).
   *
   * @param bitmap {@linkcode SLOT_MAP_BYTES} bytes: slot s is bit s & 7 of byte s >> 3
   * @throws {RangeError} for a bitmap of another size
   */
  setSlots(bitmap: Uint8Array): void {
    if (bitmap.length !== SLOT_MAP_BYTES) {
      throw new RangeError(
        `Cannot set slots: expected ${SLOT_MAP_BYTES} bytes: received ${bitmap.length}`,
      );
    }
    this.#slotView().set(bitmap);
  }

  /** A copy of the slot bitmap in the shard's memory image. */
  slots(): Uint8Array {
    return this.#slotView().slice();
  }

  /** The bitmap in memory (a fresh view: memory.grow detaches old ones). */
  #slotView(): Uint8Array {
    const at = this.#core.slotMap();
    return new Uint8Array(this.#core.memory.buffer, at, SLOT_MAP_BYTES);
  }
}
