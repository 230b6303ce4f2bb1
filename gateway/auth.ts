/**
 * Authentication of a request: where the token is taken from, and turning it
 * into verified claims.
 *
 * Momento sends the raw token in `Authorization` (no scheme) or in the `token`
 * query parameter. kvolt also accepts `Authorization: Bearer <token>`, since
 * many HTTP tools add the scheme by habit and a JWT never starts with it.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { isSuperUser, type TokenClaims } from "../protocol/claims.ts";
import { parseQuery } from "./query.ts";
import { requestHeader } from "./serve_request.ts";
import type { TokenVerifier } from "./token_verifier.ts";

const BEARER = /^bearer\s+/i;

/**
 * The request's token, from the `Authorization` header or the `token` query
 * parameter. An empty header or parameter counts as absent.
 *
 * @param header the `Authorization` header, or null
 * @param queryToken the decoded `token` query parameter, if any
 * @returns the raw token
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR when both are given,
 * AUTHENTICATION_ERROR when neither is
 */
export function requestToken(
  header: string | null,
  queryToken: string | undefined,
): string {
  let fromHeader = header ?? "";
  // Speed: a raw JWT starts with "eyJ"; the regex runs only for a "B"/"b".
  const first = fromHeader.charCodeAt(0);
  if ((first === 66 || first === 98) && BEARER.test(fromHeader)) {
    fromHeader = fromHeader.replace(BEARER, "").trim();
  }
  const fromQuery = queryToken ?? "";
  if (fromHeader !== "") {
    if (fromQuery !== "") {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        "Invalid credentials: give the token in the Authorization header or the token query parameter, not both",
      );
    }
    return fromHeader;
  }
  if (fromQuery !== "") return fromQuery;
  throw new KvoltError(
    ErrorCode.AUTHENTICATION,
    "Missing token: give it in the Authorization header or the token query parameter",
  );
}

/**
 * The verified claims of a token: synchronously when the verifier knows the
 * token (the hot path then needs no Promise), else a Promise.
 *
 * @param verifier the gateway's verifier
 * @param token the raw token
 * @returns the claims, or a Promise of them
 */
export function claimsOf(
  verifier: TokenVerifier,
  token: string,
): TokenClaims | Promise<TokenClaims> {
  return verifier.cached(token) ?? verifier.verify(token);
}

/**
 * The verified claims of a request's token (`Authorization` or `token=`), for
 * routes that read nothing else of the query.
 *
 * @param req the request
 * @param verifier the gateway's verifier
 * @returns the claims, synchronously when the token is known
 * @throws {KvoltError} as {@linkcode requestToken}
 */
export function requestClaims(
  req: Request,
  verifier: TokenVerifier,
): TokenClaims | Promise<TokenClaims> {
  const token = requestToken(
    requestHeader(req, "authorization"),
    parseQuery(req.url).token,
  );
  return claimsOf(verifier, token);
}

/**
 * Refuses claims that are not a super-user's (control operations).
 *
 * @param claims verified claims
 * @throws {KvoltError} PERMISSION_ERROR for data-plane tokens
 */
export function requireSuperUser(claims: TokenClaims): void {
  if (!isSuperUser(claims)) {
    throw new KvoltError(
      ErrorCode.PERMISSION,
      "Permission denied: control operations need a super-user key",
    );
  }
}
