/**
 * Momento's permission model, applied to item accesses and whole operations:
 * a token grants an access if it is a super-user token or if any of its
 * permissions matches.
 *
 * @module
 */

import { equalBytes } from "../protocol/bytes.ts";
import {
  type CachePermission,
  isSuperUser,
  type TokenClaims,
} from "../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  type Access,
  type OpArgs,
  OPERATIONS,
  type OpName,
} from "../protocol/operations.ts";

export type { Access };

const encoder = new TextEncoder();

/**
 * True when the claims allow `access` to `key` in the cache `cacheName`.
 *
 * A permission matches when its role allows the access (readwrite: all three,
 * readonly: `read`, writeonly: `write`), its cache is `all` or the cache's
 * name, and its item selector is absent, `all`, the exact key or a prefix of
 * it (keys compared as UTF-8 bytes).
 *
 * @param claims verified token claims
 * @param cacheName the cache addressed
 * @param key the item's key bytes
 * @param access what the operation does (`protocol/operations.ts` `Access`)
 * @returns whether the access is granted
 */
export function canAccess(
  claims: TokenClaims,
  cacheName: string,
  key: Uint8Array,
  access: Access,
): boolean {
  if (isSuperUser(claims)) return true;
  const permissions = claims.p;
  if (!Array.isArray(permissions)) return false;
  return permissions.some((permission) =>
    grants(permission, cacheName, key, access)
  );
}

/**
 * Checks that the claims allow operation `op` with `args` on cache
 * `cacheName`: every key the operation touches (`OPERATIONS[op].keys`) must be
 * granted for the operation's access class by some permission. Call it after
 * the arguments are validated.
 *
 * @typeParam K the operation's name
 * @param claims verified token claims
 * @param cacheName the cache addressed
 * @param op the operation
 * @param args its (validated) arguments
 * @throws {KvoltError} PERMISSION_ERROR naming the operation and the cache
 *
 * @example A read-only token may read but not write
 * ```ts
 * import { authorizeOp } from "./permissions.ts";
 * const claims = {
 *   sub: "t",
 *   p: [{ role: "readonly" as const, cache: { name: "orders" } }],
 * };
 * const key = new TextEncoder().encode("k");
 * authorizeOp(claims, "orders", "get", { key });
 * let denied = false;
 * try {
 *   authorizeOp(claims, "orders", "delete", { key });
 * } catch {
 *   denied = true;
 * }
 * if (!denied) throw new Error("a readonly token deleted");
 * ```
 */
export function authorizeOp<K extends OpName>(
  claims: TokenClaims,
  cacheName: string,
  op: K,
  args: OpArgs<K>,
): void {
  if (isSuperUser(claims)) return;
  if (!Object.hasOwn(OPERATIONS, op)) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Unknown operation: ${String(op)}`,
    );
  }
  const info = OPERATIONS[op];
  const keys = info.keys(args as unknown as Record<string, unknown>);
  for (const key of keys) {
    if (!canAccess(claims, cacheName, key, info.access)) {
      throw new KvoltError(
        ErrorCode.PERMISSION,
        `Permission denied: the token does not allow ${op} (${
          ACCESS_WORDS[info.access]
        }) on every key it touches in cache: ${cacheName}`,
      );
    }
  }
}

const ACCESS_WORDS: Record<Access, string> = {
  read: "read access",
  write: "write access",
  readWrite: "read-write access",
};

function roleAllows(role: CachePermission["role"], access: Access): boolean {
  switch (role) {
    case "readwrite":
      return true;
    case "readonly":
      return access === "read";
    case "writeonly":
      return access === "write";
    default:
      return false;
  }
}

function grants(
  permission: CachePermission,
  cacheName: string,
  key: Uint8Array,
  access: Access,
): boolean {
  const { role, cache, item } = permission;
  if (!roleAllows(role, access)) return false;
  if (
    !("all" in cache && cache.all === true) &&
    !("name" in cache && cache.name === cacheName)
  ) {
    return false;
  }
  if (item === undefined || ("all" in item && item.all === true)) return true;
  if ("key" in item && typeof item.key === "string") {
    return equalBytes(key, encoded(item.key));
  }
  if ("keyPrefix" in item && typeof item.keyPrefix === "string") {
    return startsWith(key, encoded(item.keyPrefix));
  }
  return false;
}

// Item selectors are few and repeat across requests: encode each once.
const encodedCache = new Map<string, Uint8Array>();
const MAX_ENCODED = 10_000;

function encoded(text: string): Uint8Array {
  let bytes = encodedCache.get(text);
  if (bytes === undefined) {
    bytes = encoder.encode(text);
    if (encodedCache.size >= MAX_ENCODED) encodedCache.clear();
    encodedCache.set(text, bytes);
  }
  return bytes;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix[i]) return false;
  }
  return true;
}
