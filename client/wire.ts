/**
 * Bytes on the JSON wire (`WireBytes` in `protocol/operations.ts`): UTF-8
 * text as a JSON string, anything else as `{"base64": "..."}`. Uses only
 * `TextEncoder`, `TextDecoder`, `atob` and `btoa`, so it runs in Deno, Node and
 * browsers.
 *
 * @module
 */

import type { WireBytes } from "../protocol/operations.ts";

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", {
  fatal: true,
  ignoreBOM: true,
});

/**
 * UTF-8 bytes of a string, or the bytes themselves.
 *
 * @param value a string or bytes
 * @returns bytes
 */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/**
 * Standard base64 of some bytes.
 *
 * @param bytes the bytes to encode
 * @returns base64 text with padding
 */
function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Bytes of base64 text (standard or URL-safe alphabet, padding optional).
 *
 * @param text base64 text
 * @returns the decoded bytes
 */
function base64Decode(text: string): Uint8Array {
  let normal = text.replace(/-/g, "+").replace(/_/g, "/");
  while (normal.length % 4 !== 0) normal += "=";
  const binary = atob(normal);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The wire form of a value: a string stays a string; bytes become a string
 * when they are valid UTF-8, else `{base64}`.
 *
 * @param value a string or bytes
 * @returns the JSON-ready wire value
 *
 * @example
 * ```ts
 * import { toWire } from "./wire.ts";
 * if (typeof toWire(Uint8Array.of(0xff)) !== "object") throw new Error();
 * if (toWire(new TextEncoder().encode("hi")) !== "hi") throw new Error();
 * ```
 */
export function toWire(value: string | Uint8Array): WireBytes {
  if (typeof value === "string") return value;
  try {
    return strictDecoder.decode(value);
  } catch {
    return { base64: base64Encode(value) };
  }
}

/**
 * The bytes a wire value stands for.
 *
 * @param wire a JSON string or `{base64}`
 * @returns the bytes
 * @throws TypeError when the value is neither
 */
export function fromWire(wire: unknown): Uint8Array {
  if (typeof wire === "string") return encoder.encode(wire);
  if (
    typeof wire === "object" && wire !== null &&
    typeof (wire as { base64?: unknown }).base64 === "string"
  ) {
    return base64Decode((wire as { base64: string }).base64);
  }
  throw new TypeError(`Invalid bytes on the wire: ${JSON.stringify(wire)}`);
}
