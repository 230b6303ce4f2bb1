/**
 * `kvolt serve --nodes N`: N node processes on this machine behind the one
 * public port, so `serve` can use N cores. This process runs the control
 * service (on loopback, TLS with the data dir's CA unless `--http`) with
 * the data dir's state (the same caches, signing key and API key as a
 * single-process `serve`), and starts N `kvolt node` children that bind the
 * public port together with SO_REUSEPORT (`--reuse-port`; Deno needs
 * `--unstable-net` for it): the kernel spreads connections over them. Each
 * node holds `capacity / N`; each slot has `--replicas` owners (default 1:
 * copies on one machine do not survive the machine; a node that crashes is
 * restarted and its slots start empty). A request that reaches a node not
 * owning its key crosses the peer protocol to the owner; with
 * `--replicas N` every node owns every slot, so every GET is read where it
 * arrives (BALANCED), writes go to all N, and the nodes hold capacity / N of
 * distinct items.
 *
 * The nodes' peer listeners stay on 127.0.0.1, whatever `--host` is. They
 * mint tokens with the data dir's signing key (`--signing-key`), and the
 * revoked token ids of `revoked.json` and of the control service's state are
 * merged at start and at stop, so a token revoked under either mode stays
 * revoked.
 *
 * SIGTERM or SIGINT stops the nodes (each leaves the cluster first), then
 * the control service; no child outlives this process's stop. Each node
 * holds a pipe to this process as stdin and stops when it closes
 * (`--stop-with-stdin`), so the nodes stop even when this process is killed
 * with SIGKILL. A node that exits on its own is reported on stderr and
 * started again.
 *
 * @module
 */

import { loadOrCreateApiKey } from "../control/api_key.ts";
import { bannerLines } from "./banner.ts";
import { SupervisedChild, type SupervisionHooks } from "./child.ts";
import { startControl } from "./control.ts";
import { formatByteSize } from "./byte_size.ts";
import { unbracket, urlHost } from "./hosts.ts";
import { startError } from "./bind.ts";
import type { FileRevocations } from "../control/revocations.ts";
import type { ServeOptions } from "./serve_args.ts";
import { grpcNote } from "./grpc_front.ts";
import { loadState } from "./serve.ts";
import { StartError } from "./usage.ts";
import { DEFAULT_FAILURE_TIMEOUT_MS } from "../control/membership.ts";

/** Longest wait for a node's ready line, ms. */
const NODE_START_MS = 60_000;
/** Longest wait for a node to stop after SIGTERM before SIGKILL, ms. */
const NODE_STOP_MS = 15_000;

/**
 * The public port, checked free: `--port 0` picks one; a fixed port is bound
 * once without SO_REUSEPORT, which fails while any process holds it (also
 * the nodes of another `serve --nodes`, which SO_REUSEPORT would let the new
 * nodes share it with).
 */
function publicPort(host: string, port: number): number {
  let l: Deno.Listener;
  try {
    l = Deno.listen({ hostname: unbracket(host), port });
  } catch (err) {
    throw startError(err, `${urlHost(host)}:${port}`);
  }
  const bound = (l.addr as Deno.NetAddr).port;
  l.close();
  return bound;
}

/** One node process (`kvolt node`), started again whenever it exits. */
function superviseNode(
  id: string,
  args: string[],
  hooks: SupervisionHooks,
): SupervisedChild {
  return new SupervisedChild(
    `node ${id}`,
    ["node", "--id", id, ...args],
    hooks,
  );
}

/**
 * Runs `serve --nodes N` until SIGINT or SIGTERM.
 *
 * @param options parsed `serve` flags, `nodes` at least 2
 */
export async function serveNodes(options: ServeOptions): Promise<void> {
  const { paths, warnings, tls, signer, caches, revocations } = await loadState(
    options,
  );
  const port = publicPort(options.host, options.port);
  // every node serves gRPC on the one port (SO_REUSEPORT, as HTTP): each
  // routes every slot
  const grpcPort = options.grpcPort === null
    ? undefined
    : publicPort(options.host, options.grpcPort);
  const control = await startControl({
    paths,
    host: "127.0.0.1",
    port: 0,
    tls,
    replicas: options.replicas,
    failureTimeoutMs: DEFAULT_FAILURE_TIMEOUT_MS,
    signer,
    caches,
  });
  const controlClient = tls === undefined
    ? undefined
    : Deno.createHttpClient({ caCerts: [tls.caCert] });
  const sync = () =>
    syncRevocations(control.url, paths.joinToken, controlClient, revocations);
  const capacity = Math.floor(options.capacityBytes / options.nodes);
  const args = [
    "--grpc-port",
    grpcPort === undefined ? "off" : String(grpcPort),
    "--az",
    "local",
    "--capacity",
    String(capacity),
    "--control",
    control.url,
    "--join-token",
    paths.joinToken,
    ...(tls ? ["--ca", tls.caCertPath] : ["--http"]),
    "--host",
    options.host,
    "--port",
    String(port),
    "--peer-host",
    "127.0.0.1",
    "--peer-port",
    "0",
    "--reuse-port",
    "--signing-key",
    paths.signingKey,
    "--stop-with-stdin",
    "--cors-origins",
    options.corsOrigins === "localhost"
      ? "localhost"
      : options.corsOrigins.length === 0
      ? "none"
      : options.corsOrigins.join(","),
  ];
  const nodes: SupervisedChild[] = [];
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  // a node started again that cannot get ready stops serve (the first
  // start's readiness is awaited below, with a deadline)
  let first = true;
  const hooks: SupervisionHooks = {
    started: (child) => {
      if (first) return;
      child.ready.catch((err) => {
        console.error(`kvolt: ${err}`);
        stop();
      });
    },
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    await sync();
    for (let i = 0; i < options.nodes; i++) {
      nodes.push(superviseNode(`node-${i}`, args, hooks));
    }
    first = false;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new StartError("the nodes did not start in time")),
        NODE_START_MS,
      )
    );
    await Promise.race([
      Promise.all(nodes.map((n) => n.child.ready)),
      timeout,
    ]);
    const hostPort = `${urlHost(options.host)}:${port}`;
    const grpcHostPort = grpcPort === undefined
      ? undefined
      : `${urlHost(options.host)}:${grpcPort}`;
    const apiKey = await loadOrCreateApiKey(paths.apiKey, signer, {
      http: hostPort,
      grpc: grpcHostPort,
    });
    const lines = bannerLines({
      url: `${tls ? "https" : "http"}://${hostPort}`,
      dataDir: paths.root,
      ...(apiKey.created ? { apiKey: apiKey.token } : {}),
      apiKeyPath: paths.apiKey,
      ...(tls ? { caCertPath: tls.caCertPath } : {}),
      notes: [
        `${options.nodes} node processes (pids ${
          nodes.map((n) => n.child.process.pid).join(", ")
        }) of ${
          formatByteSize(capacity)
        } each behind one port, ${options.replicas} owner(s) per slot; control service on ${control.url}`,
        ...(grpcHostPort === undefined ? [] : [
          `${grpcNote(grpcHostPort, tls !== undefined)}, served by every node`,
        ]),
        ...warnings,
      ],
    });
    console.log(lines.join("\n"));
    await stopped;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    await Promise.all(nodes.map((n) => n.stop(NODE_STOP_MS)));
    await sync().catch((err) =>
      console.error(`kvolt: cannot save the revoked token ids: ${err}`)
    );
    controlClient?.close();
    await control.stop();
    console.log("kvolt: stopped (every node stopped)");
  }
}

/**
 * Makes `revoked.json` and the control service's revoked ids the same set:
 * each gets the ids only the other has.
 */
async function syncRevocations(
  control: string,
  joinTokenFile: string,
  client: Deno.HttpClient | undefined,
  file: FileRevocations,
): Promise<void> {
  const authorization = (await Deno.readTextFile(joinTokenFile)).trim();
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${control}${path}`, {
      ...init,
      headers: { authorization, "content-type": "application/json" },
      ...(client ? { client } : {}),
    });
    if (!res.ok) {
      throw new Error(`${path}: HTTP ${res.status}: ${await res.text()}`);
    }
    return res;
  };
  const topology = await (await call("/v1/topology?after=-1&waitMs=0"))
    .json() as { revoked?: string[] };
  const inCluster = new Set(topology.revoked ?? []);
  const inFile = new Set(file.ids());
  for (const id of inCluster) if (!inFile.has(id)) await file.revoke(id);
  for (const id of inFile) {
    if (inCluster.has(id)) continue;
    const res = await call("/v1/cluster/revocations", {
      method: "POST",
      body: JSON.stringify({ id }),
    });
    await res.body?.cancel();
  }
}
