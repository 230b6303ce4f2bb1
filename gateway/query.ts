/**
 * The query parameters of the data routes, read straight from the request URL
 * in one pass (no `URL` object, no `URLSearchParams`: this runs on every GET).
 *
 * @module
 */

import { shortAsciiBytes } from "../protocol/bytes.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { decodeBase64 } from "../protocol/base64.ts";

/** The query parameters the gateway reads, percent-decoded. */
export interface QueryParams {
  key?: string;
  keyBase64?: string;
  token?: string;
  ttlSeconds?: string;
}

/** The field a query parameter name fills (a switch: no prototype lookups). */
function fieldOf(name: string): keyof QueryParams | undefined {
  switch (name) {
    case "key":
      return "key";
    case "key_base64":
      return "keyBase64";
    case "token":
      return "token";
    case "ttl_seconds":
      return "ttlSeconds";
  }
  return undefined;
}

function invalid(message: string): KvoltError {
  return new KvoltError(ErrorCode.INVALID_ARGUMENT, message);
}

/** Form-decodes one component (`+` is a space); malformed input is a 400. */
function decode(raw: string): string {
  // Speed: most keys and tokens need no decoding at all.
  if (!raw.includes("%") && !raw.includes("+")) return raw;
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw invalid(
      `Invalid query string: malformed percent-encoding: ${clip(raw)}`,
    );
  }
}

/**
 * Reads `key`, `key_base64`, `token` and `ttl_seconds` from a URL's query;
 * other parameters are ignored without being decoded.
 *
 * @param url the full request URL
 * @returns the decoded parameters that are present
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR on malformed percent-encoding or
 * a parameter given twice
 */
export function parseQuery(url: string): QueryParams {
  const params: QueryParams = {};
  const question = url.indexOf("?");
  if (question < 0) return params;
  const hash = url.indexOf("#", question);
  const end = hash < 0 ? url.length : hash;
  let start = question + 1;
  while (start < end) {
    let amp = url.indexOf("&", start);
    if (amp < 0 || amp > end) amp = end;
    let eq = url.indexOf("=", start);
    if (eq < 0 || eq > amp) eq = amp;
    const field = fieldOf(decode(url.slice(start, eq)));
    if (field !== undefined) {
      if (params[field] !== undefined) {
        throw invalid(
          `Invalid query string: parameter given more than once: ${
            url.slice(start, eq)
          }`,
        );
      }
      params[field] = eq === amp ? "" : decode(url.slice(eq + 1, amp));
    }
    start = amp + 1;
  }
  return params;
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of a string. Speed: short ASCII keys (the common case) are
 * copied in JS into a small on-heap array, which is several times cheaper than
 * `TextEncoder.encode` and its off-heap buffer.
 */
function utf8(text: string): Uint8Array {
  return shortAsciiBytes(text) ?? encoder.encode(text);
}

/**
 * The item key of a request: `key` as UTF-8, or `key_base64` decoded.
 *
 * @param params the parsed query
 * @returns the key bytes, never empty
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR when both or neither are given,
 * the key is empty or `key_base64` is not base64
 */
export function itemKey(params: QueryParams): Uint8Array {
  const { key, keyBase64 } = params;
  if (key !== undefined) {
    if (keyBase64 !== undefined) {
      throw invalid(
        "Invalid key: give either key or key_base64, not both",
      );
    }
    if (key === "") throw invalid("Invalid key: key must not be empty");
    return utf8(key);
  }
  if (keyBase64 === undefined) {
    throw invalid("Missing key: give the key or key_base64 query parameter");
  }
  const bytes = decodeBase64(keyBase64);
  if (bytes === undefined) {
    throw invalid(
      `Invalid key_base64: not standard or URL-safe base64: ${clip(keyBase64)}`,
    );
  }
  if (bytes.length === 0) {
    throw invalid("Invalid key: key_base64 must not be empty");
  }
  return bytes;
}

const DIGITS = /^[0-9]+$/;

/**
 * The TTL of a set, from `ttl_seconds`, in milliseconds.
 *
 * @param raw the `ttl_seconds` parameter
 * @param maxTtlSeconds the largest TTL allowed
 * @returns the TTL in milliseconds
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR when it is missing or not an
 * integer from 1 to `maxTtlSeconds`
 */
export function ttlMs(raw: string | undefined, maxTtlSeconds: number): number {
  if (raw === undefined) {
    throw invalid("Missing ttl_seconds: a set needs a TTL in seconds");
  }
  const seconds = DIGITS.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= maxTtlSeconds)) {
    throw invalid(
      `Invalid ttl_seconds: expected an integer from 1 to ${maxTtlSeconds}: received ${
        clip(raw)
      }`,
    );
  }
  return seconds * 1000;
}

/** Keeps echoed input short in error messages. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
