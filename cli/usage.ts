/**
 * What the command line tells its user when it cannot go on: the help text,
 * the error for bad usage (exit 2), and the error for a start that failed for
 * a reason outside kvolt (exit 1), both printed without a stack trace.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

/** Help for `kvolt`, printed by `--help` and after a usage error. */
export const USAGE = `Usage: kvolt <command> [options]

Commands:
  serve     control service + one node + gateway, in one process
  control   the cluster's control service: membership, slot placement, the
            topology nodes follow, caches
  node      one node of a cluster: hosts its slots and replicas, routes the
            rest (in progress: --http on loopback, no slot moves yet)
  version   print kvolt's version (also --version)
  grpc-relay
            internal: the gRPC listener's HTTP/2 process, which serve and
            node start, and start again if it exits

Options for serve:
  --data DIR        data dir (default .kvolt, or $KVOLT_DATA)
  --host HOST       address to listen on (default 127.0.0.1)
  --port PORT       port to listen on (default 8443; 0 picks a free port)
  --grpc-port PORT  Momento's gRPC protocol (default 8444; a free port when
                    --port is 0; off: none), TLS unless --http; with --nodes
                    N every node process serves it (SO_REUSEPORT)
  --http            serve plaintext HTTP (only on a loopback host)
  --capacity SIZE   memory for items, e.g. 256MiB, 1GiB (default 256MiB)
  --cors-origins O  browser origins allowed to call the API: localhost (any
                    port, the default), none, or a comma-separated list such
                    as https://app.example.com
  --max-collection-length N
                    most elements in one collection (default: no limit)
  --head-timeout S  close a new connection without a complete request head
                    after S seconds (default 10)
  --idle-timeout S  close a keep-alive connection idle for S seconds (60)
  --body-timeout S  close an upload that makes no progress for S seconds (10)
  --max-connections N
                    most open connections; more are closed at once (default:
                    the descriptor limit less 128)
  --listener L      kvolt (the default: the bounds above) or deno (Deno.serve
                    without them, for comparison)
  --access-log MODE one JSON line per request on stdout: errors (5xx only, the
                    default), all, or off; never a token, key or value
  --shutdown-timeout S
                    on SIGTERM/SIGINT, wait S seconds for in-flight requests
                    (default 10), then close the rest
  --nodes N         run N node processes behind the one port (SO_REUSEPORT),
                    each with capacity/N, and the control service in this
                    process; default 1 (one process: a GET reaching the node
                    not owning its key crosses to it, and on 2 cores --nodes 2
                    served 0.52x the GETs of --nodes 1, deno task
                    bench:cluster). Refuses the connection flags, --access-log,
                    --max-collection-length and --listener deno
  --replicas R      with --nodes N: owners per slot, 1 (default) to N; N makes
                    every GET local to the node that takes it (scales with
                    cores), writes go to all N, items are held N times
  -h, --help        show this help

Options for control:
  --data DIR        data dir (default .kvolt, or $KVOLT_DATA): cluster.json,
                    join-token (what nodes present), api-key
  --host HOST       address to listen on (default 127.0.0.1)
  --port PORT       port to listen on (default 8440; 0 picks a free port)
  --http            serve plaintext HTTP (only on a loopback host)
  --replicas R      owners per slot, 1 to 5 (default 2)
  --failure-timeout S
                    a node silent for S seconds is dead and its slots fail
                    over (default 3)

Options for node:
  --id ID           the node's stable id (required)
  --control URL     the control service (required)
  --join-token FILE the control service's DIR/join-token (required)
  --az NAME         availability zone (default az1)
  --capacity SIZE   memory for items; 0 = a pure gateway (default 256MiB)
  --host HOST       address of both listeners (default 127.0.0.1)
  --port PORT       public API port (default 8443; 0 picks a free port)
  --peer-port PORT  peer protocol port (default 8441; 0 picks a free port)
  --grpc-port PORT  Momento's gRPC protocol, as serve's (default 8444; a free
                    port when --port is 0; off: none)
  --reuse-port      share the public ports (HTTP and gRPC) with other
                    processes (SO_REUSEPORT, needs deno's --unstable-net;
                    serve --nodes uses it)
  --peer-host HOST  address of the peer listener (default: --host; serve
                    --nodes keeps it on 127.0.0.1)
  --signing-key FILE
                    the control service's DIR/signing-key.jwk: the node mints
                    tokens (POST /v1/tokens); serve --nodes passes its own,
                    nodes of a real cluster hold the public key only
  --cors-origins O  browser origins allowed to call the API, as for serve
                    (default none)
  --stop-with-stdin stop as on SIGTERM when stdin closes (serve --nodes holds
                    its nodes' stdin: they stop when it dies, even by SIGKILL)
  --ca FILE         the cluster's CA, the control service's DIR/tls/ca.pem:
                    trusted for the control service and the peers; the node
                    serves TLS with a certificate the control service issues
  --http            plaintext instead (loopback hosts only)`;

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  /** @param message what was wrong */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A start that failed for a reason the user can fix (port in use...): exit code 1. */
export class StartError extends Error {
  /**
   * @param message what went wrong and what to do
   * @param options the underlying error
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StartError";
  }
}

/** A command's flag table, as `node:util`'s `parseArgs` takes it. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses a command's flags strictly (unknown flags and positionals refused)
 * with `node:util`'s `parseArgs`; its errors become {@linkcode UsageError}s.
 *
 * @param args the command's arguments
 * @param options the flag table
 * @param prefix put before the message (e.g. the command's name)
 */
export function parseFlags<O extends FlagOptions>(
  args: string[],
  options: O,
  prefix = "",
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false })
      .values;
  } catch (err) {
    throw new UsageError(prefix + (err as Error).message);
  }
}

/**
 * A port flag's value: an integer from 0 to 65535.
 *
 * @throws UsageError for anything else
 */
export function parsePort(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--${flag}: expected 0 to 65535: received ${text}`);
  }
  return n;
}
