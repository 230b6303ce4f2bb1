/**
 * The rule for cache names: 1 to 255 characters, each a letter, a digit, `-`,
 * `_` or `.`.
 *
 * Momento's public docs state no rule beyond "name of the cache"; its SDKs
 * reject empty and blank names, and its CloudFormation resource uses the same
 * character class with a 255 limit. Names are safe in a URL path as they are.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";

/** Longest cache name, in characters. */
export const MAX_CACHE_NAME_LENGTH = 255;

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * Throws an INVALID_ARGUMENT_ERROR KvoltError when `name` is not a valid cache
 * name.
 *
 * @param name the proposed name
 *
 * @example A name with a space is refused
 * ```ts
 * import { validateCacheName } from "./cache_names.ts";
 * validateCacheName("orders-2024.v1");
 * let refused = false;
 * try { validateCacheName("my cache"); } catch { refused = true; }
 * if (!refused) throw new Error("expected a refusal");
 * ```
 */
export function validateCacheName(name: string): void {
  if (name.length === 0) {
    throw invalid("Invalid cache name: must not be empty");
  }
  if (name.length > MAX_CACHE_NAME_LENGTH) {
    throw invalid(
      `Invalid cache name: must be at most ${MAX_CACHE_NAME_LENGTH} characters: received ${name.length}`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw invalid(
      `Invalid cache name: only letters, digits, '-', '_' and '.' are allowed: received ${
        JSON.stringify(name)
      }`,
    );
  }
}

function invalid(message: string): KvoltError {
  return new KvoltError(ErrorCode.INVALID_ARGUMENT, message);
}
