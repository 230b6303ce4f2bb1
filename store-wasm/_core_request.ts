/**
 * The collection-call half of the Wasm boundary, used by `shard.ts` only:
 * {@linkcode CoreViews} (the views of a shard's memory, shared with
 * `WasmShard`), {@linkcode CollCall} (one per shard, reused by every call:
 * it writes the stored key and the payload straight into the core's argument
 * area, runs `coll`, and reads the result), and the header's counters for
 * `WasmShard.stats`.
 *
 * @module
 */
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { ValueLookup } from "../protocol/operations.ts";
import {
  type CoreExports,
  H,
  MAX_KEY_BYTES,
  SCRATCH_SIZE,
  Status,
} from "./_abi.ts";
import type { ShardStats } from "./core_module.ts";
import {
  type ByteSink,
  decodeFound,
  decodeLookups,
  decodeScores,
} from "./collection_codec.ts";
import { refused } from "./core_errors.ts";

/** What `WasmShard.info` returns for a live item. */
export interface ItemInfo {
  /** Index in `ITEM_TYPES`. */
  type: number;
  /** Remaining TTL in ms; -1: never expires. */
  remainingMs: number;
}

const u32 = (x: number) => x >= 0xffff_ffff ? 0xffff_ffff : Math.max(0, x);

/**
 * The length of the stored key (`prefix`, a u32, when given, then `key`);
 * INVALID_ARGUMENT when it is longer than the core accepts.
 */
export function storedKeyLength(
  key: Uint8Array,
  prefix: number | undefined,
): number {
  const length = prefix === undefined ? key.length : key.length + 4;
  if (length > MAX_KEY_BYTES) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Key is longer than ${MAX_KEY_BYTES} bytes: received ${length} bytes`,
    );
  }
  return length;
}

/**
 * The views of one instance's memory, shared by everything that reads or
 * writes it, rebuilt when a call grew the memory (which detaches them).
 */
export class CoreViews {
  u8: Uint8Array;
  dv: DataView;
  readonly #memory: WebAssembly.Memory;

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
    this.u8 = new Uint8Array(memory.buffer);
    this.dv = new DataView(memory.buffer);
  }

  /**
   * Writes a stored key at `at`: `prefix` (u32 LE) when given, then `key`.
   * Check its length first with {@linkcode storedKeyLength}.
   */
  putKey(at: number, key: Uint8Array, prefix: number | undefined): void {
    if (prefix === undefined) this.u8.set(key, at);
    else {
      this.dv.setUint32(at, prefix, true);
      this.u8.set(key, at + 4);
    }
  }

  /** Rebuilds the views if the memory grew since they were made. */
  current(): void {
    if (this.u8.byteLength === 0) {
      this.u8 = new Uint8Array(this.#memory.buffer);
      this.dv = new DataView(this.#memory.buffer);
    }
  }
}

/**
 * One shard's collection call, in three steps: {@linkcode begin} writes the
 * stored key and reserves the payload, the caller writes the payload through
 * the {@linkcode ByteSink} methods, {@linkcode run} calls the core. The
 * result (status, figures, stream) is then readable until the next call on
 * the shard. Every method that returns bytes returns one fresh copy per call;
 * no view of the core's memory leaves this class.
 */
export class CollCall implements ByteSink {
  readonly #core: CoreExports;
  readonly #m: CoreViews;
  readonly #now: () => number;
  readonly #hdr: number;
  readonly #scratch: number;
  #at = 0;
  #o = 0;
  #end = 0;
  #klen = 0;
  /** The status of the last call: >= 0 (OK or a count), else a `Status`. */
  status = 0;
  /** The user's key length of the call in progress (without the prefix). */
  keyLength = 0;
  // The request block of the call in progress, reset by begin (one object,
  // fields of fixed types: every handler's reads and writes stay monomorphic).
  /** TTL of a write in ms; -1: the write carries none. */
  ttlMs = -1;
  /** `Flag` bits (_abi.ts). */
  flags = 0;
  /** First integer argument (truncate size, limit, offset). */
  a = 0;
  /** Second integer argument (seed, count). */
  b = 0;
  /** First float argument (slice start, min score, amount); NaN: absent. */
  x = NaN;
  /** Second float argument (slice end, max score); NaN: absent. */
  y = NaN;

  /**
   * @param core the instance's exports
   * @param views the views shared with the shard
   * @param now the shard's clock
   */
  constructor(core: CoreExports, views: CoreViews, now: () => number) {
    this.#core = core;
    this.#m = views;
    this.#now = now;
    this.#hdr = core.header();
    this.#scratch = views.dv.getUint32(this.#hdr + H.SCRATCH, true);
  }

  /**
   * Starts a call: the stored key (`prefix` as u32 LE when given, then
   * `key`) goes where the core reads its arguments, followed by room for
   * exactly `payloadBytes` that the caller writes next. Resets the request
   * fields to their defaults.
   */
  begin(key: Uint8Array, prefix: number | undefined, payloadBytes: number) {
    const klen = storedKeyLength(key, prefix);
    const n = klen + payloadBytes;
    let at = this.#scratch;
    const m = this.#m;
    if (n > SCRATCH_SIZE) {
      at = this.#core.extBuf(n);
      if (at === 0) throw refused("a collection operation", Status.NO_MEMORY);
      m.current(); // extBuf may grow the memory; nothing else did since run
    }
    m.putKey(at, key, prefix);
    this.#at = at;
    this.#klen = klen;
    this.keyLength = key.length;
    this.ttlMs = -1;
    this.flags = 0;
    this.a = 0;
    this.b = 0;
    this.x = NaN;
    this.y = NaN;
    this.#o = at + klen;
    this.#end = at + n;
  }

  /** Writes a u32 of the payload. */
  u32(x: number): void {
    this.#m.dv.setUint32(this.#o, x, true);
    this.#o += 4;
  }

  /** Writes an f64 of the payload. */
  f64(x: number): void {
    this.#m.dv.setFloat64(this.#o, x, true);
    this.#o += 8;
  }

  /** Writes bytes of the payload. */
  bytes(b: Uint8Array): void {
    const o = this.#o;
    if (b.length <= 16) {
      const u8 = this.#m.u8;
      for (let i = 0; i < b.length; i++) u8[o + i] = b[i]!;
    } else this.#m.u8.set(b, o);
    this.#o = o + b.length;
  }

  /**
   * Runs core operation `op` (`Op` in _abi.ts) on the arguments written
   * since {@linkcode begin}, with the request fields as set; returns (and
   * keeps) its status.
   */
  run(op: number, maxLogical: number, maxCount: number): number {
    if (this.#o !== this.#end) {
      throw new Error(
        `Cannot run a collection call: the payload is ${
          this.#o - this.#klen - this.#at
        } bytes, not the ${this.#end - this.#klen - this.#at} reserved`,
      );
    }
    const dv = this.#m.dv;
    const h = this.#hdr;
    dv.setFloat64(h + H.ARG_TTL, this.ttlMs, true);
    dv.setUint32(h + H.ARG_FLAGS, this.flags, true);
    dv.setUint32(h + H.ARG_MAX_LOGICAL, u32(maxLogical), true);
    dv.setUint32(h + H.ARG_MAX_COUNT, u32(maxCount), true);
    dv.setUint32(h + H.ARG_A, this.a >>> 0, true);
    dv.setUint32(h + H.ARG_B, this.b >>> 0, true);
    dv.setFloat64(h + H.ARG_X, this.x, true);
    dv.setFloat64(h + H.ARG_Y, this.y, true);
    const at = this.#at;
    const n = this.#end - at;
    this.status = this.#core.coll(op, at, n, this.#klen, this.#now());
    this.#m.current();
    return this.status;
  }

  /** The last call's count result (elements, length, rank). */
  count(): number {
    return this.#m.dv.getUint32(this.#hdr + H.RES_COUNT, true);
  }

  /** The last call's float result (a score). */
  float(): number {
    return this.#m.dv.getFloat64(this.#hdr + H.RES_F64, true);
  }

  /** For WRONG_TYPE: the type the key holds (index in ITEM_TYPES). */
  type(): number {
    return this.#m.dv.getUint32(this.#hdr + H.RES_TYPE, true);
  }

  /** A fresh copy of the last call's result stream, owned by the caller. */
  copy(): Uint8Array {
    const dv = this.#m.dv;
    const ptr = dv.getUint32(this.#hdr + H.RES_PTR, true);
    const len = dv.getUint32(this.#hdr + H.RESULT_LEN, true);
    return len === 0 ? new Uint8Array(0) : this.#m.u8.slice(ptr, ptr + len);
  }

  /** The result stream in place: for decoders that return no bytes only. */
  #stream(): Uint8Array {
    const dv = this.#m.dv;
    const ptr = dv.getUint32(this.#hdr + H.RES_PTR, true);
    const len = dv.getUint32(this.#hdr + H.RESULT_LEN, true);
    return this.#m.u8.subarray(ptr, ptr + len);
  }

  /** n x [u32 vlen or MISS][value] as lookups (values: views of one copy). */
  lookups(): ValueLookup[] {
    return decodeLookups(this.copy());
  }

  /** n x [u32 vlen or MISS]... as found flags; nothing copied. */
  found(): boolean[] {
    return decodeFound(this.#stream());
  }

  /** n x [u8 found][f64 score] as scores; nothing copied. */
  scores(): (number | undefined)[] {
    return decodeScores(this.#stream());
  }
}

/** Reads a shard's counters from the header at h. */
export function readStats(
  core: CoreExports,
  dv: DataView,
  h: number,
): ShardStats {
  const u64 = (o: number) => Number(dv.getBigUint64(h + o, true));
  return {
    items: dv.getUint32(h + H.LIVE_ITEMS, true),
    itemBytes: u64(H.LIVE_BYTES),
    usedBytes: core.usedBytes(),
    memoryBytes: core.memory.buffer.byteLength,
    evictions: u64(H.EVICTIONS),
    expired: u64(H.EXPIRED),
    hits: u64(H.HITS),
    misses: u64(H.MISSES),
    indexRebuilds: dv.getUint32(h + H.REBUILDS, true),
  };
}
