/**
 * Garbage that request bodies leave behind lives partly outside the JS heap
 * (ArrayBuffers of body chunks and copies, the C allocator's buffers), and
 * V8 starts a collection for it only after some 64 MiB more of it; under a
 * stream of 5 MB uploads that alone held RSS 100+ MiB above the cache's budget
 * here, and glibc kept 53 MB of freed buffers after a run of collection
 * writes. So the gateway counts the bytes of the bodies it has read and,
 * after every
 * {@linkcode BODY_BYTES_PER_COLLECTION}, asks V8 for an incremental major
 * collection (marking runs in steps; no long pause), and first has the C
 * allocator give back what the previous one freed (`setMemoryTrim`). The `gc` function comes
 * from V8's `--expose-gc`, set at run time through `node:v8` and read from a
 * fresh `node:vm` context; where that is not possible, nothing is asked and V8
 * collects on its own schedule.
 *
 * @module
 */

import v8 from "node:v8";
import vm from "node:vm";

/** Bodies of at least this size count towards a forced collection. */
export const LARGE_BODY_BYTES = 64 * 1024;
/** Bytes of request bodies between two requested collections. */
export const BODY_BYTES_PER_COLLECTION = 16 * 1024 * 1024;

type Gc = (options?: { type?: string; execution?: string }) => unknown;

let gc: Gc | undefined | null = null;
let pendingLarge = 0;
let trim: (() => void) | undefined;
let pending = 0;
let requested = 0;

function collector(): Gc | undefined {
  if (gc !== null) return gc;
  try {
    v8.setFlagsFromString("--expose-gc");
    const fn = vm.runInNewContext("gc");
    gc = typeof fn === "function" ? fn as Gc : undefined;
  } catch {
    gc = undefined;
  }
  return gc;
}

/**
 * Counts a body of `bytes` just read; asks for a collection when enough large
 * bodies have been read since the last one.
 *
 * @param bytes the body's size
 */
export function noteBodyRead(bytes: number): void {
  pending += bytes;
  if (bytes >= LARGE_BODY_BYTES) pendingLarge += bytes;
  if (pending < BODY_BYTES_PER_COLLECTION) return;
  pending = 0;
  // What the allocator holds free goes back to the system (cheap: ~0.2 ms).
  trim?.();
  // A forced collection costs 10-90 ms here: only for large bodies, whose
  // garbage V8 would otherwise let grow by 64 MiB. The garbage of small
  // bodies is young and the scavenger takes it.
  if (pendingLarge < BODY_BYTES_PER_COLLECTION) return;
  pendingLarge = 0;
  const fn = collector();
  if (fn === undefined) return;
  requested++;
  fn({ type: "major", execution: "async" });
}

/**
 * Sets what returns the allocator's freed memory to the system (serve passes
 * libc's `malloc_trim`); it runs before each requested collection.
 *
 * @param fn the trim
 */
export function setMemoryTrim(fn: () => void): void {
  trim = fn;
}

/** Collections requested so far (for tests and metrics). */
export function collectionsRequested(): number {
  return requested;
}
