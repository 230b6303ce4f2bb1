/**
 * The one place where bytes meet JSON: {@linkcode WireBytes} (a JSON string
 * holding UTF-8 text, or `{"base64": "..."}`) to `Uint8Array` and back, for
 * the JSON API, the pipeline, the OpenAPI document and the SDK (so it uses
 * only what Deno, Node 20 and browsers all have).
 *
 * - In: a string is its UTF-8 bytes (a string that is not well-formed
 *   Unicode, such as a lone surrogate, is refused rather than silently
 *   replaced); `base64` takes the standard or URL-safe alphabet, with or
 *   without padding.
 * - Out: bytes that are valid UTF-8 are written as a string (decoded with
 *   `fatal` and `ignoreBOM`, so string and bytes round-trip exactly), other
 *   bytes as `{"base64"}` in the standard alphabet with padding.
 *
 * @example Round trip
 * ```ts
 * import { decodeWireBytes, encodeWireBytes } from "./wire_bytes.ts";
 * const text = decodeWireBytes("héllo");
 * const binary = decodeWireBytes({ base64: "/w" });
 * if (encodeWireBytes(text!) !== "héllo") throw new Error("text changed");
 * const back = encodeWireBytes(binary!);
 * if (typeof back === "string" || back.base64 !== "/w==") {
 *   throw new Error("binary changed");
 * }
 * ```
 *
 * @module
 */

import { z } from "zod";
import { shortAsciiBytes } from "./bytes.ts";
import type { WireBytes } from "./operation_types.ts";
import { decodeBase64, encodeBase64 } from "./base64.ts";

export type { WireBytes };

/** The JSON form of a value: every `Uint8Array` in it as {@linkcode WireBytes}. */
export type Wire<T> = T extends Uint8Array ? WireBytes
  : T extends readonly (infer E)[] ? Wire<E>[]
  : T extends object ? { [K in keyof T]: Wire<T[K]> }
  : T;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Short ASCII strings are copied in JS: cheaper than TextEncoder's call. */
const SHORT = 64;

/**
 * The bytes a JSON value stands for, or undefined when it is not WireBytes
 * (not a string or `{"base64": string}` with no other field, bad base64, a
 * string that is not well-formed Unicode).
 *
 * @param value a parsed JSON value
 * @returns the bytes, or undefined
 */
export function decodeWireBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return utf8(value);
  if (typeof value !== "object" || value === null) return undefined;
  const base64 = (value as { base64?: unknown }).base64;
  if (typeof base64 !== "string") return undefined;
  for (const field in value) if (field !== "base64") return undefined;
  return decodeBase64(base64);
}

function utf8(text: string): Uint8Array | undefined {
  return shortAsciiBytes(text, SHORT) ??
    (wellFormed(text) ? encoder.encode(text) : undefined);
}

/** `String.prototype.isWellFormed` (ES2024), typed for older libs. */
function wellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * The JSON form of bytes: a string when they are valid UTF-8, else base64.
 *
 * @param bytes the bytes to write
 * @returns a string or `{ base64 }`
 */
export function encodeWireBytes(bytes: Uint8Array): WireBytes {
  const length = bytes.length;
  if (length <= SHORT) {
    let ascii = true;
    for (let i = 0; i < length; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, bytes as unknown as number[]);
    }
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return { base64: encodeBase64(bytes) };
  }
}

/**
 * A result with every `Uint8Array` in it written as {@linkcode WireBytes}
 * (a fresh object; the input is not changed).
 *
 * @param value an operation's result (or any part of it)
 * @returns the JSON-ready value
 */
export function toWire<T>(value: T): Wire<T>;
export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return encodeWireBytes(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(toWire);
  const out: Record<string, unknown> = {};
  for (const field in value) {
    out[field] = toWire((value as Record<string, unknown>)[field]);
  }
  return out;
}

const WIRE_DESCRIPTION =
  'Bytes: a JSON string stands for its UTF-8 encoding; any bytes can be given as {"base64": "..."} (standard or URL-safe alphabet, padding optional).';

const base64Object = z.strictObject({
  base64: z.string().meta({ example: "AAEC/w==" }),
});

/** WireBytes to bytes, reporting what is wrong with a value that is not. */
function wireBytes() {
  return z
    .union([z.string(), base64Object], {
      error: (issue) =>
        issue.input === undefined
          ? "received undefined"
          : 'expected a string or {"base64": "..."}',
    })
    .transform((value, ctx) => {
      const bytes = decodeWireBytes(value);
      if (bytes === undefined) {
        ctx.addIssue({
          code: "custom",
          message: typeof value === "string"
            ? "not well-formed Unicode text"
            : "not standard or URL-safe base64",
        });
        return z.NEVER;
      }
      return bytes;
    });
}

/**
 * WireBytes as an argument: validates and turns into `Uint8Array` (its input
 * type is the JSON form, its output the bytes).
 */
export const wireBytesIn = wireBytes().meta({
  id: "WireBytes",
  description: WIRE_DESCRIPTION,
  example: "hello",
});

/**
 * WireBytes in a result: the same decoding (the SDK reads results with it),
 * documented as what the server writes.
 */
export const wireBytesOut = wireBytes().meta({
  id: "WireBytesResult",
  description:
    'Bytes: a JSON string when they are valid UTF-8, else {"base64": "..."} (standard alphabet, padded).',
  example: "hello",
});
