/**
 * The transport's own failures, worded for kvolt: an aborted call carries
 * Momento's message ("Request cancelled by a user-provided AbortSignal", which
 * Momento users' code matches on), and an unreachable server names the URL
 * tried and the cause (TLS certificate not trusted, connection refused, name
 * not resolved), never Momento's "contact us at support@momentohq.com".
 *
 * @module
 */

import { CancelledError, ServerUnavailableError } from "./_sdk_core.ts";

/** Momento's message for a call aborted by the caller's signal. */
export const CANCELLED_MESSAGE =
  "Request cancelled by a user-provided AbortSignal";

class KvoltCancelledError extends CancelledError {
  constructor() {
    super(CANCELLED_MESSAGE);
    this._messageWrapper = "The request was cancelled";
  }
}

class KvoltUnreachableError extends ServerUnavailableError {
  constructor(message: string) {
    super(message);
    this._messageWrapper = "Cannot reach the kvolt server";
  }
}

/**
 * The error of a call aborted by the caller.
 *
 * @example
 * ```ts
 * import { cancelledError } from "./transport_errors.ts";
 * if (!cancelledError().message.includes("user-provided AbortSignal")) throw new Error();
 * ```
 */
export function cancelledError(): CancelledError {
  return new KvoltCancelledError();
}

/**
 * Why `fetch` could not reach the server, in words, from its error (Deno,
 * Node's undici and browsers word them differently).
 *
 * @param err what fetch threw
 *
 * @example
 * ```ts
 * import { unreachableCause } from "./transport_errors.ts";
 * const err = new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
 * if (!unreachableCause(err).startsWith("connection refused")) throw new Error();
 * ```
 */
export function unreachableCause(err: unknown): string {
  const texts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (typeof e === "object") {
      const { message, code } = e as { message?: unknown; code?: unknown };
      if (typeof message === "string") texts.push(message);
      if (typeof code === "string") texts.push(code);
      e = (e as { cause?: unknown }).cause;
    } else {
      texts.push(String(e));
      break;
    }
  }
  const detail = texts.join(": ");
  const cause = /certificate|UnknownIssuer|CERT_|SELF_SIGNED|UNABLE_TO_VERIFY/i
      .test(detail)
    ? "TLS certificate not trusted (trust kvolt's dev CA: caCertificate in Deno, NODE_EXTRA_CA_CERTS in Node)"
    : /refused|ECONNREFUSED/i.test(detail)
    ? "connection refused (is kvolt serve running on that host and port?)"
    : /dns|ENOTFOUND|EAI_AGAIN|resolve|lookup/i.test(detail)
    ? "host name not resolved (DNS)"
    : "network error";
  return detail === "" ? cause : `${cause}; ${detail}`;
}

/**
 * The error of a request that never got an answer.
 *
 * @param url the URL tried
 * @param err what fetch threw
 */
export function unreachableError(
  url: string,
  err: unknown,
): ServerUnavailableError {
  return new KvoltUnreachableError(`${url}: ${unreachableCause(err)}`);
}
