/**
 * Base64 for keys in query strings and bytes on the JSON wire: decoding takes
 * the standard or URL-safe alphabet, padding optional; encoding writes the
 * standard alphabet, padded. Uses `Uint8Array.fromBase64`/`toBase64` where the
 * runtime has them (Deno) and `atob`/`btoa` elsewhere (Node 20, older
 * browsers: the SDK runs there).
 *
 * @module
 */

/** ES2026's base64 methods, typed here: the SDK's declarations build for older libs. */
interface NativeBase64 {
  fromBase64?(text: string, options: { alphabet: string }): Uint8Array;
}
interface NativeBytes {
  toBase64(): string;
}
const NATIVE = Uint8Array as unknown as NativeBase64;
const HAS_NATIVE = typeof NATIVE.fromBase64 === "function" &&
  typeof (Uint8Array.prototype as unknown as Partial<NativeBytes>)
      .toBase64 === "function";
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
    if (HAS_NATIVE) {
      return NATIVE.fromBase64!(unpadded, {
        alphabet: urlSafe ? "base64url" : "base64",
      });
    }
    const binary = atob(
      urlSafe ? unpadded.replace(/-/g, "+").replace(/_/g, "/") : unpadded,
    );
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Standard base64 with padding.
 *
 * @param bytes the bytes to encode
 * @returns the text
 */
export function encodeBase64(bytes: Uint8Array): string {
  if (HAS_NATIVE) return (bytes as unknown as NativeBytes).toBase64();
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
