/**
 * Test helper: starts a kvolt server process, waits for its ready line on
 * stdout (no sleeps), and stops it. Used by the end-to-end tests.
 *
 * @module
 */

import { READY_PREFIX } from "../cli/banner.ts";

/** Longest wait for the ready line before the process is killed. */
const START_TIMEOUT_MS = 60_000;

/** A started server. */
export interface RunningServer {
  /** Base URL from the ready line, e.g. `https://127.0.0.1:41234`. */
  url: string;
  /** The printed super-user API key. */
  apiKey: string;
  /** Every stdout line up to and including the ready line. */
  banner: string[];
  /** The server's process id. */
  pid: number;
  /** Sends SIGTERM and resolves with the exit code and remaining output. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Kills the process if it still runs (for `finally`). */
  kill(): Promise<void>;
}

/**
 * Spawns `command args` and waits for the ready line.
 *
 * @param command executable (e.g. `Deno.execPath()`)
 * @param args its arguments
 * @throws when the process exits or times out before it is ready
 */
export async function startServer(
  command: string | URL,
  args: string[],
): Promise<RunningServer> {
  const child = new Deno.Command(command, {
    args,
    cwd: new URL("..", import.meta.url),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderrText = new Response(child.stderr).text();
  const lines = child.stdout
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(lineSplitter())
    [Symbol.asyncIterator]();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const forceKill = () => {
    if (exited) return;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  // Reads stdout to its end (after the ready line: the rest of the output).
  const rest = async () => {
    let text = "";
    for (let n = await lines.next(); !n.done; n = await lines.next()) {
      text += n.value + "\n";
    }
    return text;
  };

  const banner: string[] = [];
  const timer = setTimeout(forceKill, START_TIMEOUT_MS);
  try {
    while (true) {
      const next = await lines.next();
      if (next.done) {
        await status;
        throw new Error(
          `Server exited before it was ready:\n${
            banner.join("\n")
          }\n${await stderrText}`,
        );
      }
      banner.push(next.value);
      if (next.value.startsWith(READY_PREFIX)) break;
    }
  } catch (err) {
    forceKill();
    await status;
    await rest();
    await stderrText;
    throw err;
  } finally {
    clearTimeout(timer);
  }

  // The key is printed only when issued; otherwise it is in the data dir.
  const keyIndex = banner.findIndex((l) =>
    l.startsWith("kvolt: super-user API key (also in ")
  );
  const dataDir = args[args.indexOf("--data") + 1];
  const apiKey = keyIndex >= 0
    ? banner[keyIndex + 1] ?? ""
    : args.includes("--data") && dataDir !== undefined
    ? (await Deno.readTextFile(`${dataDir}/api-key`)).trim()
    : "";
  const stdout = rest();
  return {
    url: banner.at(-1)!.slice(READY_PREFIX.length),
    apiKey,
    banner,
    pid: child.pid,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* it exited already: its code and stderr say why */ }
      const { code } = await status;
      return { code, stdout: await stdout, stderr: await stderrText };
    },
    async kill() {
      forceKill();
      await status;
      await stdout;
      await stderrText;
    },
  };
}

/**
 * Runs `command args` to completion (for runs expected to fail fast).
 *
 * @param command executable
 * @param args its arguments
 */
export async function runToExit(
  command: string | URL,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    cwd: new URL("..", import.meta.url),
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

function lineSplitter(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const part of parts) controller.enqueue(part.replace(/\r$/, ""));
    },
    flush(controller) {
      if (buffer) controller.enqueue(buffer);
    },
  });
}

/** `main.ts`, for `deno run`. */
export const MAIN = new URL("../main.ts", import.meta.url).pathname;

/**
 * Arguments for `deno` that run `serve` with its own data dir, on a free
 * port, with a small capacity.
 */
export function serveArgs(dataDir: string, ...extra: string[]): string[] {
  return [
    "run",
    "-A",
    MAIN,
    "serve",
    "--data",
    dataDir,
    "--port",
    "0",
    "--capacity",
    "16MiB",
    // a free gRPC port even where a test fixes --port
    "--grpc-port",
    "0",
    ...extra,
  ];
}

/** The `host:port` of the gRPC listener, from a server's banner. */
export function grpcEndpoint(server: RunningServer): string {
  const line = server.banner.find((l) => l.includes("gRPC (Momento"));
  const m = line?.match(/on (\S+?:\d+)/);
  if (!m) {
    throw new Error(`no gRPC line in the banner: ${server.banner.join("\n")}`);
  }
  return m[1]!;
}

/** `serve --nodes 2` on a free port (plaintext with `http`), ready. */
export function startNodes(
  dataDir: string,
  http: boolean,
  more: string[] = [],
): Promise<RunningServer> {
  return startServer(Deno.execPath(), [
    "run",
    "-A",
    MAIN,
    "serve",
    "--nodes",
    "2",
    ...(http ? ["--http"] : []),
    "--port",
    "0",
    "--data",
    dataDir,
    ...more,
  ]);
}
