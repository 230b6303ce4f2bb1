/**
 * `kvolt control`: the cluster's control service. Membership (register,
 * heartbeat, failure detection), slot placement and the versioned topology
 * that nodes follow by long poll (`control/cluster_routes.ts`), persisted in
 * the data dir (`cluster.json`). The caches (`caches.json`) and the key tokens
 * are verified with travel in the topology. On first start it writes the
 * join token nodes present (`DIR/join-token`) and its super-user key
 * (`DIR/api-key`), whose endpoint is the control service's own address: give
 * clients a node's address (`baseUrl`).
 *
 * @module
 */

import { loadOrCreateApiKey } from "../control/api_key.ts";
import {
  ClusterService,
  FileClusterStateStore,
} from "../control/cluster_service.ts";
import { clusterRoutes } from "../control/cluster_routes.ts";
import { DATA_DIR_ENV, resolveDataDirPath } from "../control/data_dir.ts";
import { ensureDataDir } from "../control/data_dir.ts";
import { FileCacheRegistry } from "../control/file_cache_registry.ts";
import { loadOrCreateJoinToken } from "../control/join_token.ts";
import { DEFAULT_FAILURE_TIMEOUT_MS } from "../control/membership.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import {
  loadOrCreateTls,
  type TlsMaterial,
  unbracket,
} from "../control/tls_files.ts";
import type { DataDir } from "../control/data_dir.ts";
import type { TokenSigner } from "../control/token_signer.ts";
import type { CacheRegistry } from "../protocol/store.ts";
import { createServerCert } from "../control/dev_certs.ts";
import { READY_PREFIX } from "./banner.ts";
import { isLoopbackHost, urlHost } from "./hosts.ts";
import { parseFlags, parsePort, UsageError } from "./usage.ts";

/** Default `--port` of the control service. */
export const DEFAULT_CONTROL_PORT = 8440;

/** What `kvolt control` was asked to do. */
export interface ControlOptions {
  dataDir: string;
  host: string;
  port: number;
  http: boolean;
  replicas: number;
  failureTimeoutMs: number;
  help: boolean;
}

/**
 * Parses `kvolt control`'s flags.
 *
 * @throws UsageError for a bad flag
 */
export function parseControlArgs(
  args: string[],
  env = Deno.env.get(DATA_DIR_ENV),
): ControlOptions {
  const parsed = parseFlags(args, {
    data: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: String(DEFAULT_CONTROL_PORT) },
    http: { type: "boolean", default: false },
    replicas: { type: "string", default: "2" },
    "failure-timeout": {
      type: "string",
      default: String(DEFAULT_FAILURE_TIMEOUT_MS / 1000),
    },
    help: { type: "boolean", short: "h", default: false },
  });
  const port = parsePort("port", parsed.port);
  const replicas = Number(parsed.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new UsageError(
      `--replicas: expected 1 to 5: received ${parsed.replicas}`,
    );
  }
  const timeout = Number(parsed["failure-timeout"]);
  if (!(timeout > 0 && timeout <= 600)) {
    throw new UsageError(
      `--failure-timeout: expected seconds, more than 0 and at most 600: received ${
        parsed["failure-timeout"]
      }`,
    );
  }
  const host = parsed.host!;
  if (parsed.http && !isLoopbackHost(host)) {
    throw new UsageError(
      `--http serves plaintext: only on a loopback host, not ${host}`,
    );
  }
  return {
    dataDir: resolveDataDirPath(parsed.data, env),
    host,
    port,
    http: parsed.http!,
    replicas,
    failureTimeoutMs: Math.round(timeout * 1000),
    help: parsed.help!,
  };
}

/** A control service running in this process. */
export interface RunningControl {
  /** Its base URL. */
  url: string;
  /** `host:port` it listens on. */
  endpoint: string;
  /** Stops it (ends long polls, closes the listener). */
  stop(): Promise<void>;
}

/** What {@linkcode startControl} needs: the data dir's state, loaded. */
export interface ControlStart {
  paths: DataDir;
  host: string;
  port: number;
  /** TLS material (the data dir's CA); undefined: plaintext. */
  tls: TlsMaterial | undefined;
  replicas: number;
  failureTimeoutMs: number;
  signer: TokenSigner;
  caches: CacheRegistry;
}

/**
 * Starts the control service in this process (`kvolt control`, and
 * `kvolt serve --nodes N` for its node processes).
 */
export async function startControl(o: ControlStart): Promise<RunningControl> {
  const join = await loadOrCreateJoinToken(o.paths.joinToken);
  const cluster = await ClusterService.open({
    store: new FileClusterStateStore(o.paths.cluster),
    replicas: o.replicas,
    failureTimeoutMs: o.failureTimeoutMs,
    caches: o.caches,
    publicKey: await crypto.subtle.exportKey("jwk", o.signer.publicKey),
  });
  const tls = o.tls;
  const app = clusterRoutes(
    cluster,
    join.token,
    tls && ((names) => createServerCert(tls.ca, names)),
  );
  const stopped = new AbortController();
  const ready = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: o.host,
    port: o.port,
    signal: stopped.signal,
    ...(tls ? { cert: tls.cert, key: tls.key } : {}),
    onListen: (addr) => ready.resolve(addr as Deno.NetAddr),
  }, app.fetch);
  const addr = await ready.promise;
  const endpoint = `${urlHost(o.host)}:${addr.port}`;
  const sweeper = setInterval(() => void cluster.sweep(), 250);
  return {
    url: `${tls ? "https" : "http"}://${endpoint}`,
    endpoint,
    async stop() {
      clearInterval(sweeper);
      cluster.close();
      stopped.abort();
      await server.finished;
    },
  };
}

/** Runs the control service until SIGTERM or SIGINT. */
export async function runControl(options: ControlOptions): Promise<void> {
  const { paths, warnings } = await ensureDataDir(options.dataDir);
  for (const w of warnings) console.error(`kvolt control: ${w}`);
  const tls = options.http
    ? undefined
    : await loadOrCreateTls(paths, unbracket(options.host));
  const signer = await loadOrCreateSigner(paths.signingKey);
  const control = await startControl({
    paths,
    host: options.host,
    port: options.port,
    tls,
    replicas: options.replicas,
    failureTimeoutMs: options.failureTimeoutMs,
    signer,
    caches: await FileCacheRegistry.open(paths.caches),
  });
  await loadOrCreateApiKey(paths.apiKey, signer, control.endpoint);
  console.log(
    `kvolt control: replicas ${options.replicas}, failure timeout ${
      options.failureTimeoutMs / 1000
    } s\n  join token: ${paths.joinToken}\n  super-user key: ${paths.apiKey}\n  state: ${paths.cluster}\n${READY_PREFIX}${control.url}`,
  );
  const { promise: stopping, resolve: stop } = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  await stopping;
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
  await control.stop();
}
