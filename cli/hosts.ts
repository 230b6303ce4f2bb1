/**
 * Host names and addresses as the command line sees them: which ones are
 * loopback (where plaintext is allowed), and how to write one in a URL.
 *
 * @module
 */

import { isWildcardHost, unbracket } from "../control/tls_files.ts";

export { unbracket };

/**
 * True for hosts that only this machine can reach: `localhost`, 127.0.0.0/8,
 * `::1` (in any spelling) and IPv4-mapped 127.x addresses.
 *
 * @param host a --host value
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./hosts.ts";
 * if (!isLoopbackHost("127.0.0.1") || isLoopbackHost("0.0.0.0")) throw new Error();
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const h = unbracket(host).toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (/^[0:]+:0*1$/.test(h)) return true; // ::1, 0:0:0:0:0:0:0:1
  return false;
}

/**
 * The host a client on this machine should connect to, written for a URL:
 * wildcard hosts become the matching loopback address, IPv6 gets brackets.
 *
 * @param host a --host value
 *
 * @example
 * ```ts
 * import { urlHost } from "./hosts.ts";
 * if (urlHost("::1") !== "[::1]" || urlHost("0.0.0.0") !== "127.0.0.1") throw new Error();
 * ```
 */
export function urlHost(host: string): string {
  const h = unbracket(host);
  if (isWildcardHost(h)) return h.includes(":") ? "[::1]" : "127.0.0.1";
  return h.includes(":") ? `[${h}]` : h;
}
