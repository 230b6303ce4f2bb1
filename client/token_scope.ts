/**
 * From sdk-core's permission objects (`DisposableTokenScopes.cacheKeyReadWrite`,
 * `TokenScopes.cacheReadOnly`, hand-written `{ permissions: [...] }`) to
 * kvolt's permission JSON (`CachePermission` in `protocol/claims.ts`). kvolt
 * has caches only: topic and function permissions are refused.
 *
 * @module
 */

import {
  AllCacheItems,
  AllCaches,
  AllDataReadWrite,
  type DisposableTokenScope,
  InvalidArgumentError,
} from "./_sdk_core.ts";
import type { CachePermission } from "../protocol/claims.ts";

const ROLES = new Set(["readwrite", "readonly", "writeonly"]);

type Selector = symbol | string | Record<string, unknown>;

function cacheSelector(cache: Selector | undefined): CachePermission["cache"] {
  if (cache === AllCaches) return { all: true };
  if (typeof cache === "string") return { name: cache };
  if (typeof cache === "object" && typeof cache.name === "string") {
    return { name: cache.name };
  }
  throw new InvalidArgumentError(
    `Invalid cache selector: expected AllCaches, a name or { name }: received ${
      String(cache)
    }`,
  );
}

function itemSelector(item: Selector | undefined): CachePermission["item"] {
  if (item === undefined || item === AllCacheItems) return { all: true };
  if (typeof item === "string") return { key: item };
  if (typeof item === "object" && typeof item.key === "string") {
    return { key: item.key };
  }
  if (typeof item === "object" && typeof item.keyPrefix === "string") {
    return { keyPrefix: item.keyPrefix };
  }
  throw new InvalidArgumentError(
    `Invalid item selector: expected AllCacheItems, a key, { key } or { keyPrefix }: received ${
      String(item)
    }`,
  );
}

/**
 * kvolt's permissions for an sdk-core scope.
 *
 * @param scope a Momento permission scope
 * @returns 1 or more kvolt cache permissions
 * @throws InvalidArgumentError for topic or function permissions, predefined
 *   scopes other than AllDataReadWrite, or malformed selectors
 *
 * @example
 * ```ts
 * import { DisposableTokenScopes } from "./_sdk_core.ts";
 * import { toKvoltPermissions } from "./token_scope.ts";
 * const [p] = toKvoltPermissions(DisposableTokenScopes.cacheKeyPrefixReadOnly("c", "user-"));
 * if (p?.role !== "readonly" || JSON.stringify(p.item) !== '{"keyPrefix":"user-"}') {
 *   throw new Error();
 * }
 * ```
 */
export function toKvoltPermissions(
  scope: DisposableTokenScope,
): CachePermission[] {
  // Momento's "everything" scope: for kvolt, read-write on every cache.
  if (scope === AllDataReadWrite) {
    return [{ role: "readwrite", cache: { all: true } }];
  }
  const permissions = (scope as { permissions?: unknown }).permissions;
  if (!Array.isArray(permissions) || permissions.length === 0) {
    throw new InvalidArgumentError(
      "Unsupported token scope: kvolt takes { permissions: [...] } with cache permissions",
    );
  }
  return permissions.map((p: Record<string, unknown>) => {
    if ("topic" in p) {
      throw new InvalidArgumentError(
        "Unsupported permission: kvolt has no topics",
      );
    }
    if ("func" in p) {
      throw new InvalidArgumentError(
        "Unsupported permission: kvolt has no functions",
      );
    }
    if (typeof p.role !== "string" || !ROLES.has(p.role)) {
      throw new InvalidArgumentError(
        `Invalid role: expected readwrite, readonly or writeonly: received ${
          String(p.role)
        }`,
      );
    }
    const out: CachePermission = {
      role: p.role as CachePermission["role"],
      cache: cacheSelector(p.cache as Selector),
    };
    const item = itemSelector(p.item as Selector | undefined);
    if (item && !("all" in item)) out.item = item;
    return out;
  });
}
