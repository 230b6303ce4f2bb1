/**
 * `kvolt serve`: the control service's state, one node hosting every shard,
 * and the public gateway, in one process. This file is the glue between them.
 *
 * @module
 */

import { describeEndpoints, loadOrCreateApiKey } from "../control/api_key.ts";
import { FileWriteError } from "../control/_files.ts";
import { ensureDataDir } from "../control/data_dir.ts";
import { FileCacheRegistry } from "../control/file_cache_registry.ts";
import { FileRevocations } from "../control/revocations.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import { loadOrCreateTls } from "../control/tls_files.ts";
import { createGateway, opLimits } from "../gateway/app.ts";
import { grpcFront, grpcNote } from "./grpc_front.ts";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "../gateway/rate_limits.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { Router } from "../protocol/router.ts";
import { bannerLines } from "./banner.ts";
import { formatByteSize } from "./byte_size.ts";
import { unbracket, urlHost } from "./hosts.ts";
import type { ServeOptions } from "./serve_args.ts";
import { planShards, type ShardPlan } from "./shard_plan.ts";
import { StartError } from "./usage.ts";
import { type FdLimit, mallocTrimmer, raiseFdLimit } from "./libc.ts";
import { setMemoryTrim } from "../gateway/memory_pressure.ts";
import { bindPublic, startError } from "./bind.ts";
import {
  hasConnectionServer,
  type Listener,
  serveListener,
  serveWithDeno,
} from "./listener.ts";

/**
 * Starts kvolt and resolves once it has shut down (after SIGINT or SIGTERM).
 *
 * @param options parsed `serve` flags
 */
export async function serve(options: ServeOptions): Promise<void> {
  const { paths, warnings, tls, signer, caches, revocations } = await loadState(
    options,
  );
  const verifier = new TokenVerifier(signer.publicKey);
  verifier.revoke(revocations.ids());
  const plan = planShards(options.capacityBytes);
  const store = await createStore(plan, options.maxCollectionLength);
  // Set once listening and once stopping; read by /metrics and /healthz.
  const listening: { server?: Listener } = {};
  let stopping = false;
  // every slot of the keyspace on this node's shards; a cluster's gateway
  // maps slots to nodes instead
  // Generous defaults (100k ops/s, 100 MiB/s per cache): benchmarks are not
  // throttled; set lower limits per cache with PUT /v1/caches/{name}. One
  // limiter for the HTTP and gRPC front ends.
  const rateLimiter = new RateLimiter({
    caches,
    defaults: DEFAULT_RATE_LIMITS,
  });
  const router = Router.single(store);
  // one context for the gRPC listener and grpc-web on the HTTP port
  const grpc = grpcFront({
    host: options.host,
    port: options.grpcPort,
    tls,
    shutdownMs: options.connections.shutdownTimeoutMs,
  }, {
    store: router,
    caches,
    verifier,
    limits: opLimits(),
    limiter: rateLimiter,
    minter: signer,
  });
  const app = createGateway({
    store: router,
    caches,
    verifier,
    minter: signer,
    revocations,
    grpcPort: grpc.port,
    // Browser apps served from localhost (any port) may call the API unless
    // --cors-origins says otherwise.
    corsOrigins: options.corsOrigins,
    grpcWeb: grpc.web,
    rateLimiter,
    ops: {
      shards: () => store.stats(),
      connections: () => listening.server?.stats,
      health: () => stopping ? "stopping" : "ok",
      accessLog: options.accessLog,
    },
  });

  const fdLimit = raiseFdLimit();
  const trim = mallocTrimmer();
  if (trim !== undefined) setMemoryTrim(trim);
  const maxConnections = options.connections.maxConnections ??
    defaultMaxConnections(fdLimit);
  if (options.connections.listener === "kvolt" && !hasConnectionServer()) {
    throw new StartError(
      "Cannot serve: this Deno lacks the per-connection server kvolt's listener needs (run the pinned deno@2.9.6)",
    );
  }
  const server = listen(options, tls, app.fetch, maxConnections);
  listening.server = server;
  await grpc.listen();
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);

  const hostPort = `${urlHost(options.host)}:${server.addr.port}`;
  grpc.endpoints.http = hostPort;
  const grpcHostPort = grpc.endpoints.grpc;
  const apiKey = await loadOrCreateApiKey(
    paths.apiKey,
    signer,
    grpc.endpoints,
  );
  const notes = [
    `${plan.shards} shard(s) of ${formatByteSize(plan.bytesPerShard)}`,
    connectionNote(fdLimit, maxConnections, options.connections),
    ...warnings,
    ...(tls?.createdCa ? ["created a dev CA"] : []),
    ...(tls?.issuedServerCert ? ["issued a server certificate"] : []),
    ...(apiKey.previousEndpoint !== undefined
      ? [
        `re-issued the API key for ${
          describeEndpoints({ h: hostPort, c: grpcHostPort ?? hostPort })
        } (the old one named ${apiKey.previousEndpoint})`,
      ]
      : apiKey.created
      ? ["minted a new API key"]
      : []),
  ];
  if (grpcHostPort !== undefined) {
    notes.push(grpcNote(grpcHostPort, tls !== undefined));
  }
  const lines = bannerLines({
    url: `${tls ? "https" : "http"}://${hostPort}`,
    dataDir: paths.root,
    ...(apiKey.created ? { apiKey: apiKey.token } : {}),
    apiKeyPath: paths.apiKey,
    ...(tls ? { caCertPath: tls.caCertPath } : {}),
    notes,
  });
  console.log(lines.join("\n"));

  await stopped;
  stopping = true;
  for (const signal of signals) Deno.removeSignalListener(signal, stop);
  const deadlineMs = options.connections.shutdownTimeoutMs;
  const [cut] = await Promise.all([
    server.shutdown(deadlineMs),
    grpc.shutdown(),
  ]);
  store.close();
  console.log(
    cut === 0
      ? "kvolt: stopped (every request answered)"
      : cut < 0
      ? `kvolt: stopped (requests still open at the ${
        deadlineMs / 1000
      } s deadline were cut off)`
      : `kvolt: stopped (${cut} request(s) cut off at the ${
        deadlineMs / 1000
      } s deadline)`,
  );
}

/** Descriptors kept back from connections for files, shards and the runtime. */
const FD_RESERVE = 128;

/**
 * The default cap on connections: the descriptor limit less a reserve, so a
 * flood cannot starve the process of descriptors for its own files.
 */
function defaultMaxConnections(limit: FdLimit | undefined): number {
  if (limit === undefined) return 10_000;
  return Math.max(16, limit.soft - FD_RESERVE);
}

function connectionNote(
  limit: FdLimit | undefined,
  maxConnections: number,
  c: ServeOptions["connections"],
): string {
  const fds = limit === undefined
    ? "descriptor limit unknown"
    : `descriptor limit ${limit.soft}${limit.raised ? " (raised)" : ""}`;
  return `${fds}; at most ${maxConnections} connections; timeouts: head ${
    c.headTimeoutMs / 1000
  } s, idle ${c.idleTimeoutMs / 1000} s, body ${
    c.bodyTimeoutMs / 1000
  } s, shutdown ${c.shutdownTimeoutMs / 1000} s`;
}

/**
 * The data dir's state. A file there that cannot be read or is damaged stops
 * start-up with a message naming it (a StartError), not a stack trace.
 */
export async function loadState(options: ServeOptions) {
  try {
    const { paths, warnings } = await ensureDataDir(options.dataDir);
    const tls = options.http
      ? undefined
      : await loadOrCreateTls(paths, unbracket(options.host));
    const signer = await loadOrCreateSigner(paths.signingKey);
    const caches = await FileCacheRegistry.open(paths.caches);
    const revocations = await FileRevocations.open(paths.revoked);
    return { paths, warnings, tls, signer, caches, revocations };
  } catch (err) {
    if (err instanceof StartError || !(err instanceof Error)) throw err;
    if (err instanceof FileWriteError) {
      throw new StartError(
        `${err.message}: make it writable, or start with another --data`,
        { cause: err },
      );
    }
    throw new StartError(
      `${err.message}: repair or remove it, or start with another --data`,
      { cause: err },
    );
  }
}

/**
 * The shards. A capacity larger than the machine's memory is refused up front:
 * the shards would take it only as they fill, and the process would be killed
 * then, not now.
 */
async function createStore(
  plan: ShardPlan,
  maxCollectionLength: number,
): Promise<ShardHost> {
  const capacity = plan.shards * plan.bytesPerShard;
  const total = Deno.systemMemoryInfo().total;
  if (capacity > total) {
    throw new StartError(
      `Cannot use --capacity ${formatByteSize(capacity)}: this machine has ${
        (total / 2 ** 30).toFixed(1)
      }GiB of memory: pick a smaller --capacity`,
    );
  }
  try {
    return await ShardHost.create({ ...plan, limits: { maxCollectionLength } });
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    throw new StartError(
      `Cannot create ${plan.shards} shard(s) of ${
        formatByteSize(plan.bytesPerShard)
      }: ${err.message}`,
      { cause: err },
    );
  }
}

/**
 * Binds the public port (TLS with ALPN h2 and http/1.1, or plaintext) and
 * serves it through kvolt's own accept loop (`listener.ts`: timeouts, a cap
 * on connections, no exit on accept errors); failures a user can fix become a
 * StartError.
 */
function listen(
  options: ServeOptions,
  tls: { cert: string; key: string } | undefined,
  handler: Deno.ServeHandler,
  maxConnections: number,
): Listener {
  const address = { hostname: unbracket(options.host), port: options.port };
  if (options.connections.listener === "deno") {
    try {
      return serveWithDeno({ ...address, ...(tls ?? {}) }, handler);
    } catch (err) {
      throw startError(err, `${urlHost(options.host)}:${options.port}`);
    }
  }
  return serveListener(bindPublic({ ...address, tls }), handler, {
    ...options.connections,
    maxConnections,
  });
}
