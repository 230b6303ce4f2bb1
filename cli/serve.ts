/**
 * `kvolt serve`: the control service's state, one node hosting every shard,
 * and the public gateway, in one process. This file is the glue between them.
 *
 * @module
 */

import { loadOrCreateApiKey } from "../control/api_key.ts";
import { ensureDataDir } from "../control/data_dir.ts";
import { FileCacheRegistry } from "../control/file_cache_registry.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import { loadOrCreateTls } from "../control/tls_files.ts";
import { createGateway } from "../gateway/app.ts";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "../gateway/rate_limits.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { bannerLines } from "./banner.ts";
import { formatByteSize } from "./byte_size.ts";
import { unbracket, urlHost } from "./hosts.ts";
import type { ServeOptions } from "./serve_args.ts";
import { planShards, type ShardPlan } from "./shard_plan.ts";
import { StartError } from "./usage.ts";

/**
 * Starts kvolt and resolves once it has shut down (after SIGINT or SIGTERM).
 *
 * @param options parsed `serve` flags
 */
export async function serve(options: ServeOptions): Promise<void> {
  const { paths, tls, signer, caches } = await loadState(options);
  const plan = planShards(options.capacityBytes);
  const store = await createStore(plan, options.maxCollectionLength);
  const app = createGateway({
    store,
    caches,
    verifier: new TokenVerifier(signer.publicKey),
    minter: signer,
    // Browser apps served from localhost (any port) may call the API unless
    // --cors-origins says otherwise.
    corsOrigins: options.corsOrigins,
    // Generous defaults (100k ops/s, 100 MiB/s per cache): benchmarks are
    // not throttled; set lower limits per cache with PUT /v1/caches/{name}.
    rateLimiter: new RateLimiter({ caches, defaults: DEFAULT_RATE_LIMITS }),
  });

  const server = listen(options, tls, app.fetch);
  const stop = () => void server.shutdown();
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);

  const hostPort = `${urlHost(options.host)}:${server.addr.port}`;
  const apiKey = await loadOrCreateApiKey(paths.apiKey, signer, hostPort);
  const notes = [
    `${plan.shards} shard(s) of ${formatByteSize(plan.bytesPerShard)}`,
    ...(tls?.createdCa ? ["created a dev CA"] : []),
    ...(tls?.issuedServerCert ? ["issued a server certificate"] : []),
    ...(apiKey.created ? ["minted a new API key"] : []),
  ];
  const lines = bannerLines({
    url: `${tls ? "https" : "http"}://${hostPort}`,
    dataDir: paths.root,
    apiKey: apiKey.token,
    apiKeyCreated: apiKey.created,
    apiKeyPath: paths.apiKey,
    ...(tls ? { caCertPath: tls.caCertPath } : {}),
    notes,
  });
  console.log(lines.join("\n"));

  await server.finished;
  for (const signal of signals) Deno.removeSignalListener(signal, stop);
  store.close();
  console.log("kvolt: stopped");
}

/**
 * The data dir's state. A file there that cannot be read or is damaged stops
 * start-up with a message naming it (a StartError), not a stack trace.
 */
async function loadState(options: ServeOptions) {
  try {
    const paths = await ensureDataDir(options.dataDir);
    const tls = options.http
      ? undefined
      : await loadOrCreateTls(paths, unbracket(options.host));
    const signer = await loadOrCreateSigner(paths.signingKey);
    const caches = await FileCacheRegistry.open(paths.caches);
    return { paths, tls, signer, caches };
  } catch (err) {
    if (err instanceof StartError || !(err instanceof Error)) throw err;
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

/** `Deno.serve`, with the failures a user can fix turned into a StartError. */
function listen(
  options: ServeOptions,
  tls: { cert: string; key: string } | undefined,
  handler: Deno.ServeHandler,
): Deno.HttpServer<Deno.NetAddr> {
  const where = `${urlHost(options.host)}:${options.port}`;
  try {
    return Deno.serve({
      hostname: unbracket(options.host),
      port: options.port,
      ...(tls ? { cert: tls.cert, key: tls.key } : {}),
      onListen: () => {},
    }, handler);
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new StartError(
        `Cannot listen on ${where}: the address is in use: stop the other server or pick another --port`,
        { cause: err },
      );
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new StartError(
        `Cannot listen on ${where}: permission denied: ports below 1024 need privileges; pick another --port`,
        { cause: err },
      );
    }
    if (
      err instanceof Deno.errors.AddrNotAvailable ||
      err instanceof Deno.errors.NotFound
    ) {
      throw new StartError(
        `Cannot listen on ${where}: no such address on this machine: check --host`,
        { cause: err },
      );
    }
    throw err;
  }
}
