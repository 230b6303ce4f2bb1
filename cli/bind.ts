/**
 * Binding a public port (TLS with ALPN, or plaintext; SO_REUSEPORT beside
 * other processes) and the bind failures a user can act on.
 *
 * @module
 */

import { StartError } from "./usage.ts";
import { urlHost } from "./hosts.ts";

/**
 * Binds a public port: TLS with ALPN h2 and http/1.1, or plaintext; with
 * `reusePort`, beside other processes bound to it (SO_REUSEPORT: the kernel
 * spreads connections over them; needs `--unstable-net`). Failures a user
 * can fix become a StartError.
 */
export function bindPublic(o: {
  hostname: string;
  port: number;
  tls?: { cert: string; key: string } | undefined;
  reusePort?: boolean;
}): Deno.Listener {
  const address = {
    hostname: o.hostname,
    port: o.port,
    ...(o.reusePort ? { reusePort: true } : {}),
  };
  try {
    return o.tls
      ? Deno.listenTls({
        ...address,
        cert: o.tls.cert,
        key: o.tls.key,
        alpnProtocols: ["h2", "http/1.1"],
      })
      : Deno.listen(address);
  } catch (err) {
    throw startError(err, `${urlHost(o.hostname)}:${o.port}`);
  }
}

/** A bind failure as the StartError a user can act on (others as they are). */
export function startError(err: unknown, where: string): unknown {
  if (err instanceof Deno.errors.AddrInUse) {
    return new StartError(
      `Cannot listen on ${where}: the address is in use: stop the other server or pick another --port`,
      { cause: err },
    );
  }
  if (err instanceof Deno.errors.PermissionDenied) {
    return new StartError(
      `Cannot listen on ${where}: permission denied: ports below 1024 need privileges; pick another --port`,
      { cause: err },
    );
  }
  if (
    err instanceof Deno.errors.AddrNotAvailable ||
    err instanceof Deno.errors.NotFound
  ) {
    return new StartError(
      `Cannot listen on ${where}: no such address on this machine: check --host`,
      { cause: err },
    );
  }
  return err;
}
