/**
 * A caller's string or bytes as bytes (what every operation's arguments
 * hold). Their JSON form is `protocol/wire_bytes.ts`'s, shared with the
 * gateway.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of a string, or the bytes themselves.
 *
 * @param value a string or bytes
 * @returns bytes
 */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}
