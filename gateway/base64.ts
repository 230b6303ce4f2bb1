/**
 * Decoding of `key_base64`: standard or URL-safe base64, padding optional.
 *
 * @module
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9\-_]*={0,2}$/;

/**
 * Decodes standard (`+/`) or URL-safe (`-_`) base64 with or without `=`
 * padding. A space is read as `+`, since an unescaped `+` in a query string
 * arrives as a space and base64 never contains spaces.
 *
 * @param text the encoded key
 * @returns the bytes, or undefined when `text` is not base64 (bad characters,
 * mixed alphabets, bad length or padding)
 *
 * @example Both alphabets
 * ```ts
 * import { decodeBase64 } from "./base64.ts";
 * const a = decodeBase64("-_8");
 * const b = decodeBase64("+/8=");
 * if (a?.[0] !== 251 || b?.[1] !== 255) throw new Error("unexpected bytes");
 * ```
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const normalized = text.includes(" ") ? text.replaceAll(" ", "+") : text;
  const urlSafe = URL_SAFE.test(normalized);
  if (!urlSafe && !STANDARD.test(normalized)) return undefined;
  const unpadded = normalized.replace(/=+$/, "");
  // A length of 1 mod 4 cannot come from any byte string; padding, when
  // present, must complete the last group.
  if (unpadded.length % 4 === 1) return undefined;
  if (unpadded.length !== normalized.length && normalized.length % 4 !== 0) {
    return undefined;
  }
  try {
    return Uint8Array.fromBase64(unpadded, {
      alphabet: urlSafe ? "base64url" : "base64",
    });
  } catch {
    return undefined;
  }
}
