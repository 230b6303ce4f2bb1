/**
 * Starting the servers `deno task bench:http` measures, each on loopback with
 * a free port, each registered in the run's {@linkcode ProcessGroup}.
 *
 * @module
 */

import { join } from "node:path";
import { READY_PREFIX } from "../cli/banner.ts";
import { HELLO_READY_PREFIX } from "./hello_server.ts";
import { freePort, type ProcessGroup } from "./_procs.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const START_TIMEOUT_MS = 60_000;

/** A running server and how to reach it. */
export interface Endpoint {
  /** Process id of the server. */
  pid: number;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stops it. */
  stop(): Promise<void>;
}

/** A running kvolt. */
export interface KvoltEndpoint extends Endpoint {
  /** The super-user API key. */
  apiKey: string;
  /** A client for setup requests (trusts the dev CA over TLS). */
  client?: Deno.HttpClient;
}

/**
 * Starts `kvolt serve` on a free loopback port.
 *
 * @param group the run's processes
 * @param dataDir its data dir (kept between the plaintext and TLS runs)
 * @param tls false for `--http`
 * @param extra more `serve` flags (e.g. `--listener deno`)
 */
export async function startKvolt(
  group: ProcessGroup,
  dataDir: string,
  tls: boolean,
  extra: string[] = [],
): Promise<KvoltEndpoint> {
  const args = ["run", "-A", join(ROOT, "main.ts"), "serve", "--port", "0"];
  args.push("--data", dataDir, "--capacity", "64MiB", ...extra);
  if (!tls) args.push("--http");
  const started = await group.start({
    command: Deno.execPath(),
    args,
    ready: (line) => line.startsWith(READY_PREFIX),
    timeoutMs: START_TIMEOUT_MS,
  });
  const url = started.lines.find((l) => l.startsWith(READY_PREFIX))!
    .slice(READY_PREFIX.length);
  const apiKey = (await Deno.readTextFile(join(dataDir, "api-key"))).trim();
  const client = tls
    ? Deno.createHttpClient({
      caCerts: [await Deno.readTextFile(join(dataDir, "tls", "ca.pem"))],
    })
    : undefined;
  return {
    url,
    apiKey,
    ...(client ? { client } : {}),
    pid: started.pid,
    stop: async () => {
      client?.close();
      await started.stop();
    },
  };
}

/**
 * Starts the bare `Deno.serve` hello world (`hello_server.ts`).
 *
 * @param group the run's processes
 * @param tls PEM file paths for TLS, or undefined for plaintext
 */
export async function startHello(
  group: ProcessGroup,
  tls?: { certFile: string; keyFile: string },
): Promise<Endpoint> {
  const args = ["run", "-A", join(ROOT, "bench", "hello_server.ts")];
  if (tls) args.push("--cert", tls.certFile, "--key", tls.keyFile);
  const started = await group.start({
    command: Deno.execPath(),
    args,
    ready: (line) => line.startsWith(HELLO_READY_PREFIX),
    timeoutMs: START_TIMEOUT_MS,
  });
  const port = started.lines.find((l) => l.startsWith(HELLO_READY_PREFIX))!
    .slice(HELLO_READY_PREFIX.length);
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    pid: started.pid,
    stop: started.stop,
  };
}

/**
 * Starts redis-server on a free loopback port, without persistence.
 *
 * @param group the run's processes
 * @returns the server; `url` is `redis://127.0.0.1:PORT`
 */
export async function startRedis(
  group: ProcessGroup,
): Promise<Endpoint & { port: number }> {
  const port = freePort();
  const started = await group.start({
    command: "redis-server",
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    ready: (line) => line.includes("Ready to accept connections"),
    timeoutMs: START_TIMEOUT_MS,
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: started.pid,
    stop: started.stop,
  };
}

/**
 * Starts webdis in front of a redis, with a config file in `dir`.
 *
 * @param group the run's processes
 * @param dir a temp dir for its config and log
 * @param options the redis port and webdis's thread count
 */
export async function startWebdis(
  group: ProcessGroup,
  dir: string,
  options: { redisPort: number; threads: number },
): Promise<Endpoint> {
  const port = freePort();
  const config = join(dir, "webdis.json");
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      redis_host: "127.0.0.1",
      redis_port: options.redisPort,
      http_host: "127.0.0.1",
      http_port: port,
      threads: options.threads,
      daemonize: false,
      database: 0,
      verbosity: 0,
      logfile: join(dir, "webdis.log"),
    }),
  );
  // webdis prints nothing once it listens: wait for its port instead.
  const started = await group.start({
    command: "webdis",
    args: [config],
    readyPort: port,
    timeoutMs: START_TIMEOUT_MS,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: started.pid,
    stop: started.stop,
  };
}

/**
 * Sends one redis command (RESP) and returns the first reply line.
 *
 * @param port the redis port
 * @param parts the command and its arguments
 */
export async function redisCommand(
  port: number,
  parts: (string | Uint8Array)[],
): Promise<string> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode(`*${parts.length}\r\n`)];
  for (const part of parts) {
    const bytes = typeof part === "string" ? encoder.encode(part) : part;
    chunks.push(encoder.encode(`$${bytes.length}\r\n`), bytes);
    chunks.push(encoder.encode("\r\n"));
  }
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    for (const chunk of chunks) await conn.write(chunk);
    const buffer = new Uint8Array(512);
    const n = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split(
      "\r\n",
    )[0]!;
  } finally {
    conn.close();
  }
}
