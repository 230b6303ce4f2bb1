/**
 * The 200 answer of a GET: the value's raw bytes as
 * `application/octet-stream`, built the cheapest way Deno 2.9.6 offers.
 *
 * - A short value whose bytes are all ASCII (0x00-0x7f) is sent as a string:
 *   each such byte is one UTF-8 code unit standing for itself, so Deno's
 *   UTF-8 encoding of the string is exactly the value's bytes, and a V8
 *   string costs no off-heap buffer (a `Uint8Array` body costs Deno a copy
 *   and about 3 mallocs and a calloc, `bench/README.md`).
 * - Any other value is sent as bytes. `new Response` copies a
 *   `BufferSource` body when it is constructed (the Fetch standard's "extract
 *   a body"), so the value may be a view that the next store call
 *   overwrites.
 *
 * @module
 */

/** Longest value sent as a string; longer ones are sent as bytes. */
export const STRING_BODY_MAX_BYTES = 1024;

// Shared init object; Response copies it, so sharing it is safe.
const OCTET_STREAM = { "content-type": "application/octet-stream" };
// Only ever fed ASCII, where every decoder agrees.
const ascii = new TextDecoder();

/**
 * The value as a string when it is short and all ASCII, else undefined.
 *
 * @param value the bytes
 * @returns a string whose UTF-8 encoding is `value`, or undefined
 */
export function asciiText(value: Uint8Array): string | undefined {
  const length = value.length;
  if (length > STRING_BODY_MAX_BYTES) return undefined;
  for (let i = 0; i < length; i++) {
    if (value[i]! > 0x7f) return undefined;
  }
  return ascii.decode(value);
}

/**
 * The response carrying a value.
 *
 * @param value the value's bytes (copied before this returns; a view is fine)
 * @returns 200 `application/octet-stream` with exactly those bytes
 *
 * @example
 * ```ts
 * import { valueResponse } from "./value_response.ts";
 * const res = valueResponse(new Uint8Array([104, 105, 255]));
 * const bytes = new Uint8Array(await res.arrayBuffer());
 * if (bytes.join() !== "104,105,255") throw new Error("bytes changed");
 * if (res.headers.get("content-type") !== "application/octet-stream") throw new Error();
 * ```
 */
export function valueResponse(value: Uint8Array): Response {
  return new Response(
    asciiText(value) ?? value as Uint8Array<ArrayBuffer>,
    { headers: OCTET_STREAM },
  );
}
