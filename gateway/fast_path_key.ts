/**
 * The item key of a GET or DELETE without allocating: a short ASCII `key=` is
 * written into one buffer shared by every call. Each `new Uint8Array` costs
 * Deno an off-heap backing store (about 3 mallocs and a calloc, then a free
 * at GC), a measurable part of a GET (see `bench/README.md`).
 *
 * @module
 */

import { itemKey, type QueryParams } from "./query.ts";

/** Longest key written into the shared buffer; longer ones are allocated. */
export const TRANSIENT_KEY_BYTES = 1024;

const scratch = new Uint8Array(TRANSIENT_KEY_BYTES);

/**
 * The item key of a request, exactly as {@linkcode itemKey} gives it (same
 * bytes, same errors), but for a short ASCII `key=` a view of a buffer that
 * the next call overwrites. Use the result synchronously and never keep it:
 * the GET and DELETE paths pass it to permission checks, the limiter and the
 * store, which only read it (the store copies it into the shard).
 *
 * @param params the parsed query
 * @returns the key bytes, valid until the next call
 * @throws {KvoltError} as {@linkcode itemKey}
 *
 * @example
 * ```ts
 * import { transientItemKey } from "./fast_path_key.ts";
 * const key = transientItemKey({ key: "k1" });
 * if (key.length !== 2 || key[0] !== 107) throw new Error("bad key");
 * ```
 */
export function transientItemKey(params: QueryParams): Uint8Array {
  const key = params.key;
  if (
    key === undefined || key === "" || params.keyBase64 !== undefined ||
    key.length > TRANSIENT_KEY_BYTES
  ) {
    return itemKey(params);
  }
  const length = key.length;
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code > 0x7f) return itemKey(params);
    scratch[i] = code;
  }
  return scratch.subarray(0, length);
}
