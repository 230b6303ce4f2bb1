/**
 * `kvolt serve --nodes N`: N node processes on this machine behind the one
 * public port, so `serve` can use N cores. This process runs the control
 * service (on loopback, TLS with the data dir's CA unless `--http`) with
 * the data dir's state (the same caches, signing key and API key as a
 * single-process `serve`), and starts N `kvolt node` children that bind the
 * public port together with SO_REUSEPORT (`--reuse-port`; Deno needs
 * `--unstable-net` for it): the kernel spreads connections over them. Each
 * node holds `capacity / N` and one owner per slot (`--replicas 1`: copies
 * on one machine do not survive the machine; a node that crashes is
 * restarted and its slots start empty). A request that reaches a node not
 * owning its key crosses the peer protocol to the owner.
 *
 * SIGTERM or SIGINT stops the nodes (each leaves the cluster first), then
 * the control service; no child outlives this process's stop. A node that
 * exits on its own is reported on stderr and started again.
 *
 * @module
 */

import { loadOrCreateApiKey } from "../control/api_key.ts";
import { bannerLines, READY_PREFIX } from "./banner.ts";
import { startControl } from "./control.ts";
import { formatByteSize } from "./byte_size.ts";
import { urlHost } from "./hosts.ts";
import type { ServeOptions } from "./serve_args.ts";
import { loadState } from "./serve.ts";
import { StartError } from "./usage.ts";
import { DEFAULT_FAILURE_TIMEOUT_MS } from "../control/membership.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
/** Longest wait for a node's ready line, ms. */
const NODE_START_MS = 60_000;
/** Longest wait for a node to stop after SIGTERM before SIGKILL, ms. */
const NODE_STOP_MS = 15_000;

interface Child {
  id: string;
  process: Deno.ChildProcess;
  /** Resolves with the URL once the node printed its ready line. */
  ready: Promise<string>;
  exited: Promise<Deno.CommandStatus>;
}

/** A free TCP port on `host` (for `--port 0`: every node binds the same). */
function freePort(host: string): number {
  const l = Deno.listen({ hostname: host, port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts one node process and follows its output. */
function startNode(id: string, args: string[]): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", MAIN, "node", "--id", id, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const ready = (async () => {
    let seen = "";
    const decoder = new TextDecoder();
    const reader = process.stdout.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new StartError(`node ${id} exited before it was ready`);
      seen += decoder.decode(value, { stream: true });
      const line = seen.split("\n").find((l) => l.startsWith(READY_PREFIX));
      if (line !== undefined) {
        // the rest of its output is not needed: drain it
        void (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return line.slice(READY_PREFIX.length);
      }
    }
  })();
  return { id, process, ready, exited: process.status };
}

/** Sends SIGTERM, then SIGKILL after `NODE_STOP_MS`. */
async function stopNode(child: Child): Promise<void> {
  try {
    child.process.kill("SIGTERM");
  } catch { /* gone */ }
  const timer = setTimeout(() => {
    try {
      child.process.kill("SIGKILL");
    } catch { /* gone */ }
  }, NODE_STOP_MS);
  await child.exited;
  clearTimeout(timer);
}

/**
 * Runs `serve --nodes N` until SIGINT or SIGTERM.
 *
 * @param options parsed `serve` flags, `nodes` at least 2
 */
export async function serveNodes(options: ServeOptions): Promise<void> {
  const { paths, warnings, tls, signer, caches } = await loadState(options);
  const control = await startControl({
    paths,
    host: "127.0.0.1",
    port: 0,
    tls,
    replicas: 1,
    failureTimeoutMs: DEFAULT_FAILURE_TIMEOUT_MS,
    signer,
    caches,
  });
  const port = options.port === 0 ? freePort(options.host) : options.port;
  const capacity = Math.floor(options.capacityBytes / options.nodes);
  const args = () => [
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
    "--peer-port",
    "0",
    "--reuse-port",
  ];
  const children: Child[] = [];
  let stopping = false;
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const supervise = (child: Child, i: number) => {
    child.exited.then((status) => {
      if (stopping) return;
      console.error(
        `kvolt: node ${child.id} exited (code ${status.code}); starting it again`,
      );
      const again = startNode(child.id, args());
      children[i] = again;
      again.ready.catch((err) => {
        console.error(`kvolt: ${err}`);
        stop();
      });
      supervise(again, i);
    });
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    for (let i = 0; i < options.nodes; i++) {
      children.push(startNode(`node-${i}`, args()));
    }
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new StartError("the nodes did not start in time")),
        NODE_START_MS,
      )
    );
    await Promise.race([Promise.all(children.map((c) => c.ready)), timeout]);
    children.forEach(supervise);
    const hostPort = `${urlHost(options.host)}:${port}`;
    const apiKey = await loadOrCreateApiKey(paths.apiKey, signer, hostPort);
    const lines = bannerLines({
      url: `${tls ? "https" : "http"}://${hostPort}`,
      dataDir: paths.root,
      ...(apiKey.created ? { apiKey: apiKey.token } : {}),
      apiKeyPath: paths.apiKey,
      ...(tls ? { caCertPath: tls.caCertPath } : {}),
      notes: [
        `${options.nodes} node processes (pids ${
          children.map((c) => c.process.pid).join(", ")
        }) of ${
          formatByteSize(capacity)
        } each behind one port; control service on ${control.url}`,
        ...warnings,
      ],
    });
    console.log(lines.join("\n"));
    await stopped;
  } finally {
    stopping = true;
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    await Promise.all(children.map(stopNode));
    await control.stop();
    console.log("kvolt: stopped (every node stopped)");
  }
}
