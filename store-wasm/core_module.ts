/**
 * The compiled Wasm core, loaded once per process, and the counters a shard
 * reports.
 *
 * @module
 */

/** Counters of a shard. */
export interface ShardStats {
  /** Live items (expired ones not yet swept included). */
  items: number;
  /** Bytes of those items (header + key + value). */
  itemBytes: number;
  /** Bytes in use for items: both logs (dead bytes awaiting reuse included) + index + ghost. */
  usedBytes: number;
  /** Size of the instance's linear memory. */
  memoryBytes: number;
  evictions: number;
  expired: number;
  hits: number;
  misses: number;
  /** In-place rebuilds of the index (see the core's `rebuildIndex`). */
  indexRebuilds: number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The compiled core, loaded once per process. */
export function coreModule(): Promise<WebAssembly.Module> {
  compiled ??= Deno.readFile(
    new URL("./build/kvolt_core.wasm", import.meta.url),
  )
    .then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}
