/**
 * Marshalling of a collection call for `WasmShard.collection`: the
 * request block it writes into the core's header before the call, and the
 * response it reads after; and the header's counters for `WasmShard.stats`.
 * Used by `shard.ts` only.
 *
 * @module
 */
import { type CoreExports, H } from "./_abi.ts";
import type { ShardStats } from "./core_module.ts";

/** The parameters of a collection call besides key and payload (all optional). */
export interface CollRequest {
  /** TTL of a write in ms; absent: the write carries none. */
  ttlMs?: number;
  /** `Flag` bits (_abi.ts). */
  flags?: number;
  /** Largest logical size the collection may reach. Default unlimited. */
  maxLogical?: number;
  /** Most elements the collection may hold. Default unlimited. */
  maxCount?: number;
  /** First integer argument (truncate size, limit, offset). */
  a?: number;
  /** Second integer argument (seed, count). */
  b?: number;
  /** First float argument (slice start, min score, amount); absent: NaN. */
  x?: number;
  /** Second float argument (slice end, max score); absent: NaN. */
  y?: number;
}

/** What a collection call returns. */
export interface CollResponse {
  /** 0 or a count (>= 0), else a `Status` (_abi.ts). */
  status: number;
  /** Elements in `data`, or a count result (length, rank). */
  count: number;
  /** A float result (score). */
  float: number;
  /** For WRONG_TYPE: the type the key holds (index in ITEM_TYPES). */
  type: number;
  /** A copy of the result stream. */
  data: Uint8Array;
}

const u32 = (x: number | undefined) =>
  x === undefined || x >= 0xffff_ffff ? 0xffff_ffff : Math.max(0, x);

/** What `WasmShard.info` returns for a live item. */
export interface ItemInfo {
  /** Index in `ITEM_TYPES`. */
  type: number;
  /** Remaining TTL in ms; -1: never expires. */
  remainingMs: number;
}

/** Writes the request block into the header at h. */
export function writeRequest(dv: DataView, h: number, req: CollRequest): void {
  dv.setFloat64(h + H.ARG_TTL, req.ttlMs ?? -1, true);
  dv.setUint32(h + H.ARG_FLAGS, req.flags ?? 0, true);
  dv.setUint32(h + H.ARG_MAX_LOGICAL, u32(req.maxLogical), true);
  dv.setUint32(h + H.ARG_MAX_COUNT, u32(req.maxCount), true);
  dv.setUint32(h + H.ARG_A, (req.a ?? 0) >>> 0, true);
  dv.setUint32(h + H.ARG_B, (req.b ?? 0) >>> 0, true);
  dv.setFloat64(h + H.ARG_X, req.x ?? NaN, true);
  dv.setFloat64(h + H.ARG_Y, req.y ?? NaN, true);
}

/** Reads the response of a call that returned `status`; copies the result stream. */
export function readResponse(
  dv: DataView,
  u8: Uint8Array,
  h: number,
  status: number,
): CollResponse {
  const ptr = dv.getUint32(h + H.RES_PTR, true);
  const len = dv.getUint32(h + H.RESULT_LEN, true);
  return {
    status,
    count: dv.getUint32(h + H.RES_COUNT, true),
    float: dv.getFloat64(h + H.RES_F64, true),
    type: dv.getUint32(h + H.RES_TYPE, true),
    data: len === 0 ? new Uint8Array(0) : u8.slice(ptr, ptr + len),
  };
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
