/**
 * Byte helpers shared by several layers.
 *
 * @module
 */

/**
 * The parts back to back in one array (the part itself when there is one).
 *
 * @param parts the arrays to join
 * @param total their summed length, when the caller already knows it
 * @returns the joined bytes
 *
 * @example Join
 * ```ts
 * import { concatBytes } from "./bytes.ts";
 * const joined = concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]);
 * if (joined.join() !== "1,2,3") throw new Error("not joined");
 * ```
 */
export function concatBytes(
  parts: readonly Uint8Array[],
  total = parts.reduce((n, p) => n + p.length, 0),
): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Bytes as a string usable as a Map key (one char per byte, injective). */
export function byteKey(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/** Unsigned lexicographic order of bytes (a prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** True when both hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/**
 * The bytes of a string of at most `max` ASCII characters, copied in JS
 * (cheaper than a TextEncoder call for short keys); undefined for a longer
 * string or one with any non-ASCII character.
 */
export function shortAsciiBytes(
  text: string,
  max = 64,
): Uint8Array | undefined {
  const length = text.length;
  if (length > max) return undefined;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return undefined;
    bytes[i] = code;
  }
  return bytes;
}
