/**
 * Momento's token service (`token.Token`): GenerateDisposableToken, with the
 * same rules as `POST /v1/tokens` (`token_routes.ts`): a super-user key
 * (Momento's SDKs send it in the request's `auth_token`), 1 to 20 cache
 * permissions, an expiry of at most a day. Momento's permission messages are
 * turned into the JSON body that route takes and checked by the same
 * function, so both front ends refuse alike.
 *
 * Topic and function permissions grant nothing here (kvolt serves neither),
 * so they are left out; a request with no cache permission is refused.
 *
 * @module
 */

import { permission_messages as perm } from "@gomomento/generated-types/dist/permissionmessages.js";
import { token as pb } from "@gomomento/generated-types/dist/token.js";
import type { ServerEndpoints, TokenMinter } from "../../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import { claimsOf, requireSuperUser } from "../auth.ts";
import {
  mintToken,
  parseTokenRequest,
  requireMinter,
} from "../token_routes.ts";
import type { TokenVerifier } from "../token_verifier.ts";
import { callClaims, type Handler, handler } from "./handler.ts";

/** What the token handler needs. */
export interface TokenContext {
  verifier: TokenVerifier;
  /** Signs tokens; without it the call answers UNAVAILABLE. */
  minter?: TokenMinter | undefined;
  /** The server's endpoints, named in the tokens' claims. */
  endpoints(): ServerEndpoints;
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

const ROLES: Record<number, string> = {
  [perm.CacheRole.CacheReadWrite]: "readwrite",
  [perm.CacheRole.CacheReadOnly]: "readonly",
  [perm.CacheRole.CacheWriteOnly]: "writeonly",
};

const utf8 = new TextDecoder();

/** One cache permission as `POST /v1/tokens` takes it (checked there). */
function cachePermissionJson(
  p: perm.PermissionsType.CachePermissions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: ROLES[p.role] ?? `CacheRole ${p.role}`,
    cache: p.cache === "cache_selector"
      ? { name: p.cache_selector.cache_name }
      : p.cache === "all_caches"
      ? { all: true }
      : undefined,
  };
  if (p.cache_item === "item_selector") {
    const item = p.item_selector;
    out.item = item.kind === "key"
      ? { key: utf8.decode(item.key) }
      : item.kind === "key_prefix"
      ? { keyPrefix: utf8.decode(item.key_prefix) }
      : undefined;
  }
  return out;
}

/**
 * The `POST /v1/tokens` body a GenerateDisposableToken request means.
 *
 * @param req the request
 * @returns the JSON body, for `parseTokenRequest`
 */
export function tokenRequestJson(
  req: pb._GenerateDisposableTokenRequest,
): Record<string, unknown> {
  if (req.permissions?.kind !== "explicit") {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      "Invalid token request: a disposable token needs explicit permissions",
    );
  }
  const permissions = req.permissions.explicit.permissions
    .filter((p) => p.kind === "cache_permissions")
    .map((p) => cachePermissionJson(p.cache_permissions));
  if (permissions.length === 0) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      "Invalid token request: no cache permission (kvolt serves no topics or functions)",
    );
  }
  return {
    expiresInSeconds: req.expires?.valid_for_seconds,
    permissions,
    ...(req.token_id !== "" ? { tokenId: req.token_id } : {}),
  };
}

/**
 * The token service's handlers, by method name.
 *
 * @param ctx verifier, minter and endpoints
 * @returns handlers for `server.addService`
 */
export function tokenHandlers(ctx: TokenContext): Record<string, Handler> {
  return {
    GenerateDisposableToken: handler(async (call) => {
      const req = call.request as pb._GenerateDisposableTokenRequest;
      requireSuperUser(
        await (req.auth_token !== ""
          ? claimsOf(ctx.verifier, req.auth_token)
          : callClaims(ctx.verifier, call.metadata)),
      );
      const minter = requireMinter(ctx.minter);
      const endpoints = ctx.endpoints();
      const minted = await mintToken(
        minter,
        parseTokenRequest(tokenRequestJson(req)),
        { now: (ctx.now ?? Date.now)(), endpoints },
      );
      return new pb._GenerateDisposableTokenResponse({
        api_key: minted.authToken,
        // Momento's SDKs wrap this with the key; they prefix `cache.`,
        // `control.` and `token.` to it for a disposable token's endpoints
        endpoint: endpoints.grpc ?? endpoints.http,
        valid_until: minted.expiresAt,
      });
    }, false),
  };
}
