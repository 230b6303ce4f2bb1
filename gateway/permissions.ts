/**
 * Momento's permission model, applied to one item access: a token grants an
 * access if it is a super-user token or if any of its permissions matches.
 *
 * @module
 */

import {
  type CachePermission,
  isSuperUser,
  type TokenClaims,
} from "../protocol/claims.ts";

/** What an operation does to an item. */
export type Access = "read" | "write";

const encoder = new TextEncoder();

/**
 * True when the claims allow `access` to `key` in the cache `cacheName`.
 *
 * A permission matches when its role allows the access (readwrite: both,
 * readonly: read, writeonly: write), its cache is `all` or the cache's name,
 * and its item selector is absent, `all`, the exact key or a prefix of it
 * (keys compared as UTF-8 bytes).
 *
 * @param claims verified token claims
 * @param cacheName the cache addressed
 * @param key the item's key bytes
 * @param access read or write
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

function grants(
  permission: CachePermission,
  cacheName: string,
  key: Uint8Array,
  access: Access,
): boolean {
  const { role, cache, item } = permission;
  if (role === "readonly" && access !== "read") return false;
  if (role === "writeonly" && access !== "write") return false;
  if (role !== "readwrite" && role !== "readonly" && role !== "writeonly") {
    return false;
  }
  if (
    !("all" in cache && cache.all === true) &&
    !("name" in cache && cache.name === cacheName)
  ) {
    return false;
  }
  if (item === undefined || ("all" in item && item.all === true)) return true;
  if ("key" in item) return bytesEqual(key, encoder.encode(item.key));
  if ("keyPrefix" in item) {
    return startsWith(key, encoder.encode(item.keyPrefix));
  }
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && startsWith(a, b);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix[i]) return false;
  }
  return true;
}
