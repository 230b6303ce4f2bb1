/**
 * The gateway's one key-copy trick: a short ASCII key is written into a
 * shared arena instead of a `Uint8Array` of its own. Each `new Uint8Array`
 * costs Deno an off-heap backing store (about 3 mallocs and a calloc, then a
 * free at GC), a measurable part of a GET (see `bench/README.md`). The GET
 * and DELETE routes (`data_routes.ts`) and the pipeline's gets
 * (`pipeline_gets.ts`) use it; every other key is decoded where it is parsed.
 *
 * Bytes written are never rewritten: when a chunk is full a new one is
 * started and the old one lives as long as a key still views it. So a key
 * from the arena is an ordinary key: a store that answers later, a write
 * hook, or a replica may keep it.
 *
 * @module
 */

import { itemKey, type QueryParams } from "./query.ts";

/** Longest key the arena takes; longer ones are allocated. */
export const ARENA_KEY_BYTES = 1024;
/** Bytes of one chunk of the arena. */
const CHUNK = 16 * 1024;

let chunk = new Uint8Array(CHUNK);
let used = 0;

/**
 * The UTF-8 bytes of `text` from the arena, when it is 1 to
 * {@linkcode ARENA_KEY_BYTES} ASCII characters; else undefined (the caller
 * decodes it the ordinary way).
 *
 * @param text a key as text
 * @returns its bytes (a view of the arena), or undefined
 *
 * @example
 * ```ts
 * import { arenaKey } from "./key_arena.ts";
 * const key = arenaKey("k1");
 * if (key?.length !== 2 || key[0] !== 107) throw new Error("bad key");
 * if (arenaKey("é") !== undefined) throw new Error("not ASCII");
 * ```
 */
export function arenaKey(text: string): Uint8Array | undefined {
  const length = text.length;
  if (length === 0 || length > ARENA_KEY_BYTES) return undefined;
  if (used + length > CHUNK) {
    chunk = new Uint8Array(CHUNK);
    used = 0;
  }
  const at = used;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return undefined;
    chunk[at + i] = code;
  }
  used = at + length;
  return chunk.subarray(at, used);
}

/**
 * The item key of a request, exactly as {@linkcode itemKey} gives it (same
 * bytes, same errors), from the arena when it is a short ASCII `key=`.
 *
 * @param params the parsed query
 * @returns the key bytes
 * @throws {KvoltError} as {@linkcode itemKey}
 */
export function requestKey(params: QueryParams): Uint8Array {
  const key = params.key;
  if (key === undefined || params.keyBase64 !== undefined) {
    return itemKey(params);
  }
  return arenaKey(key) ?? itemKey(params);
}
