/**
 * Test helper: a cluster of real processes on loopback (the control service,
 * nodes, pure gateways), started with `Deno.execPath()` and stopped by the
 * test that started it; plus a steady SDK load that counts failed calls and
 * acknowledged keys lost.
 *
 * @module
 */

import {
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
  ReadConcern,
} from "../mod.ts";
import { MAIN, type RunningServer, startServer } from "./_server.ts";
import type { SlotRun } from "../protocol/topology.ts";

const run = (args: string[]) =>
  startServer(Deno.execPath(), ["run", "-A", MAIN, ...args]);

/** A node to start: id, AZ, capacity (`"0"`: a pure gateway). */
export interface NodeSpec {
  id: string;
  az: string;
  capacity: string;
}

/** Three nodes in two AZs and a pure gateway in the second. */
export const THREE_NODES: NodeSpec[] = [
  { id: "a", az: "az1", capacity: "32MiB" },
  { id: "b", az: "az2", capacity: "32MiB" },
  { id: "c", az: "az1", capacity: "32MiB" },
  { id: "g", az: "az2", capacity: "0" },
];

/** What a topology says, as far as tests look. */
export interface TopologyView {
  version: number;
  nodes: { id: string; alive: boolean; az: string }[];
  slots: SlotRun[];
  pending?: SlotRun[];
}

/** A running cluster. */
export interface TestCluster {
  dataDir: string;
  control: RunningServer;
  /** The running node processes, by id. */
  nodes: Map<string, RunningServer>;
  apiKey: string;
  joinToken: string;
  /** The cluster's CA (TLS clusters). */
  caCertificate?: string;
  /** Starts one more node. */
  start(spec: NodeSpec): Promise<RunningServer>;
  /** SIGTERM (a graceful stop: the node leaves first). */
  stopNode(id: string): Promise<void>;
  /** The control service's topology once its version is above `after`. */
  topology(after?: number, waitMs?: number): Promise<TopologyView>;
  /** Resolves once no slot is moving and every node in `ids` is alive. */
  settled(ids?: string[]): Promise<TopologyView>;
  /** Restarts the control service on its port with the same data dir. */
  restartControl(): Promise<void>;
  stop(): Promise<void>;
}

function nodeArgs(
  spec: NodeSpec,
  control: string,
  dataDir: string,
  tls: boolean,
) {
  return [
    "node",
    ...(tls ? ["--ca", `${dataDir}/tls/ca.pem`] : ["--http"]),
    "--id",
    spec.id,
    "--az",
    spec.az,
    "--capacity",
    spec.capacity,
    "--control",
    control,
    "--join-token",
    `${dataDir}/join-token`,
    "--port",
    "0",
    "--peer-port",
    "0",
  ];
}

/**
 * Starts the control service and the nodes, in order.
 *
 * @param replicas owners per slot
 * @param specs the nodes
 * @param failureTimeout the control service's failure timeout, seconds
 * @param tls TLS everywhere (the cluster's CA) instead of `--http`
 */
export async function startCluster(
  replicas: number,
  specs: NodeSpec[],
  failureTimeout?: number,
  tls = false,
): Promise<TestCluster> {
  const dataDir = await Deno.makeTempDir();
  const nodes = new Map<string, RunningServer>();
  let control: RunningServer | undefined;
  const controlArgs = (port: string) => [
    "control",
    ...(tls ? [] : ["--http"]),
    "--port",
    port,
    "--replicas",
    String(replicas),
    ...(failureTimeout ? ["--failure-timeout", String(failureTimeout)] : []),
    "--data",
    dataDir,
  ];
  const clients: (Deno.HttpClient | undefined)[] = [];
  const stop = async () => {
    for (const c of clients) c?.close();
    for (const server of [...nodes.values()].reverse()) await server.kill();
    await control?.kill();
    await Deno.remove(dataDir, { recursive: true });
  };
  try {
    control = await run(controlArgs("0"));
    const read = async (file: string) =>
      (await Deno.readTextFile(`${dataDir}/${file}`)).trim();
    const joinToken = await read("join-token");
    const caCertificate = tls ? await read("tls/ca.pem") : undefined;
    const client = caCertificate === undefined
      ? undefined
      : Deno.createHttpClient({ caCerts: [caCertificate] });
    clients.push(client);
    const topology = async (after = -1, waitMs = 30_000) =>
      await (await fetch(
        `${control!.url}/v1/topology?after=${after}&waitMs=${waitMs}`,
        {
          headers: { authorization: joinToken },
          ...(client ? { client } : {}),
        },
      )).json() as TopologyView;
    const start = async (spec: NodeSpec) => {
      const server = await run(nodeArgs(spec, control!.url, dataDir, tls));
      nodes.set(spec.id, server);
      return server;
    };
    for (const spec of specs) await start(spec);
    return {
      dataDir,
      control,
      nodes,
      apiKey: await read("api-key"),
      joinToken,
      ...(caCertificate ? { caCertificate } : {}),
      start,
      async stopNode(id) {
        await nodes.get(id)?.stop();
        nodes.delete(id);
      },
      topology,
      async settled(ids = [...nodes.keys()]) {
        const deadline = Date.now() + 60_000;
        let t = await topology();
        while (
          t.pending !== undefined ||
          !ids.every((id) => t.nodes.some((n) => n.id === id && n.alive))
        ) {
          if (Date.now() > deadline) {
            throw new Error(
              `the cluster does not settle: ${JSON.stringify(t)}`,
            );
          }
          t = await topology(t.version, 5_000);
        }
        return t;
      },
      async restartControl() {
        const port = new URL(control!.url).port;
        await control!.stop();
        control = await run(controlArgs(port));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An SDK client of the cluster through `baseUrl`. */
export function clusterClient(
  apiKey: string,
  baseUrl: string,
  readConcern: ReadConcern = ReadConcern.BALANCED,
  caCertificate?: string,
): CacheClient {
  return new CacheClient({
    ...(caCertificate ? { caCertificate } : {}),
    credentialProvider: CredentialProvider.fromString({ apiKey }),
    configuration: Configurations.Laptop.v1().withReadConcern(readConcern),
    defaultTtlSeconds: 300,
    baseUrl,
  });
}

/** What a steady load saw. */
export interface LoadResult {
  acked: string[];
  failures: string[];
  lost: string[];
}

/**
 * Four SDK clients, each writing new keys and reading back the one before,
 * until `during` has run (started once `startAfter` calls are done) and at
 * least `minCalls` calls were made; then every acknowledged key is read back.
 */
export async function steadyLoad(
  sdk: CacheClient,
  during: () => Promise<void>,
  { startAfter = 200, minCalls = 600, prefix = "load" } = {},
): Promise<LoadResult> {
  const acked: string[] = [];
  const failures: string[] = [];
  let calls = 0;
  let finished = false;
  let event: Promise<void> | undefined;
  const worker = async (w: number) => {
    for (let i = 0; !finished || calls < minCalls; i++) {
      const key = `${prefix}-${w}-${i}`;
      const set = await sdk.set("default", key, key);
      if (set.type === "Success") acked.push(key);
      else failures.push(`set ${key}: ${set}`);
      if (i > 0) {
        const got = await sdk.get("default", `${prefix}-${w}-${i - 1}`);
        if (got.type !== "Hit") {
          failures.push(`get ${prefix}-${w}-${i - 1}: ${got}`);
        }
      }
      calls += 2;
      if (calls >= startAfter && event === undefined) {
        event = during().finally(() => finished = true);
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(worker));
  await event;
  const lost: string[] = [];
  for (const key of acked) {
    const got = await sdk.get("default", key);
    if (!(got instanceof CacheGet.Hit) || got.valueString() !== key) {
      lost.push(`${key}: ${got}`);
    }
  }
  return { acked, failures, lost };
}
