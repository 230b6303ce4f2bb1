/**
 * Parses `kvolt serve` flags into {@linkcode ServeOptions}.
 *
 * @module
 */

import { DATA_DIR_ENV, resolveDataDirPath } from "../control/data_dir.ts";
import { parseByteSize } from "./byte_size.ts";
import { isLoopbackHost } from "./hosts.ts";
import { parseFlags, UsageError } from "./usage.ts";
import { ACCESS_LOG_MODES, type AccessLogMode } from "../gateway/access_log.ts";

/** Default `--port`. */
export const DEFAULT_PORT = 8443;
/** Default `--grpc-port` (when `--port` is not 0). */
export const DEFAULT_GRPC_PORT = 8444;
/** Default `--host`. */
export const DEFAULT_HOST = "127.0.0.1";
/**
 * Default `--nodes`: 1. A second node process uses a second core, but a
 * request that reaches the node not owning its key crosses the peer protocol
 * (half of them with 2 nodes), and on this 2-core machine that hop costs
 * more than the core gains (`deno task bench:cluster`: serve --nodes 2 served
 * 8.2k GET/s, --nodes 1 13.2k, 0.63x; --nodes 2 --replicas 2, every GET
 * local, 12.4k: two processes cannot beat one on 2 cores shared with wrk).
 */
export const DEFAULT_NODES = 1;
/** Most `--nodes`. */
export const MAX_NODES = 64;

/** Default `--capacity`. */
export const DEFAULT_CAPACITY = "256MiB";
/** Smallest `--capacity` accepted. */
export const MIN_CAPACITY_BYTES = 1 << 20;

/** What `kvolt serve` was asked to do. */
export interface ServeOptions {
  /** Absolute path of the data dir. */
  dataDir: string;
  /** Address to listen on. */
  host: string;
  /** Port to listen on; 0 lets the system pick one. */
  port: number;
  /**
   * `--grpc-port`: Momento's gRPC protocol (default 8444; a free port when
   * `--port` is 0; null with `--grpc-port off`). With `--nodes` N the first
   * node process serves it.
   */
  grpcPort: number | null;
  /** Plaintext instead of TLS (loopback hosts only). */
  http: boolean;
  /** Bytes for items, across all shards. */
  capacityBytes: number;
  /** Browser origins allowed by CORS: "localhost" (any port) or a list (empty: none). */
  corsOrigins: readonly string[] | "localhost";
  /** Most elements in one collection (Infinity: no limit). */
  maxCollectionLength: number;
  /** `--access-log`: which requests get a JSON line on stdout. */
  accessLog: AccessLogMode;
  /** Connection bounds (`--head-timeout`, `--idle-timeout`, ...). */
  connections: ConnectionOptions;
  /**
   * `--nodes`: node processes behind the one public port (1: this process
   * serves everything; see `serve_nodes.ts`).
   */
  nodes: number;
  /**
   * `--replicas`: owners per slot among the nodes of `--nodes N` (1 to N, at
   * most 5; default 1). N makes every GET local to the node that takes it.
   */
  replicas: number;
  /** `--help` was given. */
  help: boolean;
}

/** The connection bounds of `serve`, in ms (flags are in seconds). */
export interface ConnectionOptions {
  /** `--head-timeout`: a new connection's complete request head, default 10 s. */
  headTimeoutMs: number;
  /** `--idle-timeout`: keep-alive idle between requests, default 60 s. */
  idleTimeoutMs: number;
  /** `--body-timeout`: an upload without progress, default 10 s. */
  bodyTimeoutMs: number;
  /** `--shutdown-timeout`: in-flight requests on SIGTERM/SIGINT, default 10 s. */
  shutdownTimeoutMs: number;
  /** `--max-connections`; default from the descriptor limit. */
  maxConnections?: number;
  /**
   * `--listener`: `kvolt` (the default: the bounds above) or `deno`
   * (`Deno.serve`, none of them; for comparison in bench:http).
   */
  listener: "kvolt" | "deno";
}

/**
 * Parses and checks the flags of `kvolt serve`.
 *
 * @param args the arguments after `serve`
 * @param env environment lookup (for `KVOLT_DATA`)
 * @throws {UsageError} for unknown flags, bad values, or `--http` on a host
 * that is not loopback
 *
 * @example
 * ```ts
 * import { parseServeArgs } from "./serve_args.ts";
 * const options = parseServeArgs(["--port", "0", "--http"], () => undefined);
 * if (options.port !== 0 || !options.http) throw new Error("wrong");
 * ```
 */
export function parseServeArgs(
  args: string[],
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): ServeOptions {
  const values = parseFlags(args, {
    data: { type: "string" },
    host: { type: "string", default: DEFAULT_HOST },
    port: { type: "string", default: String(DEFAULT_PORT) },
    "grpc-port": { type: "string" },
    http: { type: "boolean", default: false },
    capacity: { type: "string", default: DEFAULT_CAPACITY },
    "cors-origins": { type: "string", default: "localhost" },
    "max-collection-length": { type: "string" },
    "head-timeout": { type: "string", default: "10" },
    "idle-timeout": { type: "string", default: "60" },
    "body-timeout": { type: "string", default: "10" },
    "shutdown-timeout": { type: "string", default: "10" },
    "max-connections": { type: "string" },
    "access-log": { type: "string", default: "errors" },
    listener: { type: "string", default: "kvolt" },
    nodes: { type: "string", default: String(DEFAULT_NODES) },
    replicas: { type: "string", default: "1" },
    help: { type: "boolean", short: "h", default: false },
  });

  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    throw new UsageError(
      `Invalid --port: expected an integer from 0 to 65535: received ${values.port}`,
    );
  }
  let capacityBytes: number;
  try {
    capacityBytes = parseByteSize(values.capacity);
  } catch (err) {
    throw new UsageError(`Invalid --capacity: ${(err as Error).message}`);
  }
  if (capacityBytes < MIN_CAPACITY_BYTES) {
    throw new UsageError(
      `Invalid --capacity: must be at least 1MiB: received ${values.capacity}`,
    );
  }
  const host = values.host;
  if (host === "") throw new UsageError("Invalid --host: must not be empty");
  if (values.http && !isLoopbackHost(host)) {
    throw new UsageError(
      `Refusing to serve plaintext HTTP on ${host}: --http is only allowed on a loopback host (127.0.0.1, ::1, localhost); drop --http to serve HTTPS`,
    );
  }
  const nodes = parseNodes(values.nodes);
  if (nodes > 1) refuseForNodes(nodes, values);
  const replicas = parseReplicas(values.replicas, nodes);
  const grpcPort = parseGrpcPort(values["grpc-port"], port);
  return {
    corsOrigins: parseCorsOrigins(values["cors-origins"]),
    maxCollectionLength: parseMaxLength(values["max-collection-length"]),
    dataDir: resolveDataDirPath(values.data, env(DATA_DIR_ENV)),
    host,
    port,
    grpcPort,
    http: values.http,
    capacityBytes,
    accessLog: parseAccessLog(values["access-log"]),
    nodes,
    replicas,
    connections: {
      headTimeoutMs: parseSeconds("head-timeout", values["head-timeout"]),
      idleTimeoutMs: parseSeconds("idle-timeout", values["idle-timeout"]),
      bodyTimeoutMs: parseSeconds("body-timeout", values["body-timeout"]),
      shutdownTimeoutMs: parseSeconds(
        "shutdown-timeout",
        values["shutdown-timeout"],
      ),
      listener: parseListener(values.listener),
      ...(values["max-connections"] === undefined ? {} : {
        maxConnections: parsePositive(
          "max-connections",
          values["max-connections"],
        ),
      }),
    },
    help: values.help,
  };
}

/**
 * `--grpc-port`: a port, `off` (null), or, when absent, 8444 (0, a free
 * port, when the HTTP port is 0).
 *
 * @param value the flag's text
 * @param port the HTTP port
 * @returns the gRPC port, or null for none
 * @throws UsageError for anything else
 */
export function parseGrpcPort(
  value: string | undefined,
  port: number,
): number | null {
  if (value === undefined) return port === 0 ? 0 : DEFAULT_GRPC_PORT;
  if (value === "off") return null;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new UsageError(
      `Invalid --grpc-port: expected an integer from 0 to 65535, or off: received ${value}`,
    );
  }
  return n;
}

function parseListener(value: string): "kvolt" | "deno" {
  if (value === "kvolt" || value === "deno") return value;
  throw new UsageError(
    `Invalid --listener: expected kvolt or deno: received ${value}`,
  );
}

function parseAccessLog(value: string): AccessLogMode {
  const mode = ACCESS_LOG_MODES.find((m) => m === value);
  if (mode === undefined) {
    throw new UsageError(
      `Invalid --access-log: expected ${
        ACCESS_LOG_MODES.join(", ")
      }: received ${value}`,
    );
  }
  return mode;
}

/** Seconds (fractions allowed, e.g. 0.5) as ms, from 0.05 s to one day. */
function parseSeconds(flag: string, value: string): number {
  const seconds = Number(value);
  if (
    !/^\d+(\.\d+)?$/.test(value) || seconds < 0.05 || seconds > 86_400
  ) {
    throw new UsageError(
      `Invalid --${flag}: expected seconds from 0.05 to 86400: received ${value}`,
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * `localhost`, `none`, or comma-separated origins such as
 * `https://app.example.com` (`serve` and `node`).
 */
export function parseCorsOrigins(
  value: string,
): readonly string[] | "localhost" {
  if (value === "localhost") return "localhost";
  if (value === "none") return [];
  const origins = value.split(",").map((o) => o.trim());
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.origin !== origin) {
      throw new UsageError(
        `Invalid --cors-origins: expected localhost, none, or origins like https://app.example.com: received ${origin}`,
      );
    }
  }
  return origins;
}

function parseMaxLength(value: string | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  return parsePositive("max-collection-length", value);
}

function parsePositive(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) {
    throw new UsageError(
      `Invalid --${flag}: expected a positive integer: received ${value}`,
    );
  }
  return n;
}

function parseNodes(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_NODES) {
    throw new UsageError(
      `Invalid --nodes: expected an integer from 1 to ${MAX_NODES}: received ${text}`,
    );
  }
  return n;
}

/**
 * Flags the node processes of `--nodes N` do not take (yet): each node has
 * the defaults (connection bounds, no collection length limit, the access
 * log of 5xx answers), so another value is refused rather than ignored.
 */
const NOT_WITH_NODES = {
  "max-collection-length": undefined,
  "head-timeout": "10",
  "idle-timeout": "60",
  "body-timeout": "10",
  "max-connections": undefined,
  "access-log": "errors",
  listener: "kvolt",
} as const;

function refuseForNodes(
  nodes: number,
  values: Record<string, string | boolean | undefined>,
): void {
  for (const [flag, fallback] of Object.entries(NOT_WITH_NODES)) {
    if (values[flag] === fallback) continue;
    throw new UsageError(
      `Invalid --${flag} with --nodes ${nodes}: the node processes do not take it yet; drop it or use --nodes 1`,
    );
  }
}

function parseReplicas(text: string, nodes: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 5) {
    throw new UsageError(
      `Invalid --replicas: expected an integer from 1 to 5: received ${text}`,
    );
  }
  if (n > 1 && nodes === 1) {
    throw new UsageError(
      `Invalid --replicas ${n}: it needs --nodes 2 or more (one process holds every item once)`,
    );
  }
  if (n > nodes) {
    throw new UsageError(
      `Invalid --replicas ${n}: at most --nodes (${nodes}) owners per slot`,
    );
  }
  return n;
}
