/**
 * The gRPC relay process (`gateway/grpc/relay.ts`), both sides:
 * `kvolt grpc-relay`, which `serve` and `kvolt node` start for their gRPC
 * port, and {@linkcode RelaySupervisor}, which starts it, starts it again
 * whenever it exits, and knows the port of the one running.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { READY_PREFIX } from "./banner.ts";
import {
  type Child,
  startChild,
  stopChild,
  stopWhenStdinCloses,
} from "./child.ts";
import { UsageError } from "./usage.ts";

/** `kvolt grpc-relay`'s flags. */
export interface GrpcRelayArgs {
  /** The serving process's relay channel port (loopback). */
  channelPort: number;
  maxMessageBytes: number;
  /** How long a stop waits for running calls, ms. */
  shutdownMs: number;
}

/**
 * Parses `kvolt grpc-relay`'s flags (internal: its parent passes them).
 *
 * @param args the flags
 * @throws UsageError on a missing or malformed flag
 */
export function parseGrpcRelayArgs(args: string[]): GrpcRelayArgs {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        "channel-port": { type: "string" },
        "max-message-bytes": { type: "string" },
        "shutdown-ms": { type: "string", default: "10000" },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError(`grpc-relay: ${(err as Error).message}`);
  }
  const count = (flag: string, text: string | undefined) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new UsageError(`grpc-relay: --${flag} must be a positive integer`);
    }
    return n;
  };
  const channelPort = count("channel-port", values["channel-port"]);
  if (channelPort > 65535) {
    throw new UsageError("grpc-relay: --channel-port must be a port");
  }
  return {
    channelPort,
    maxMessageBytes: count("max-message-bytes", values["max-message-bytes"]),
    shutdownMs: count("shutdown-ms", values["shutdown-ms"]),
  };
}

/**
 * Runs the relay on a free loopback port until SIGTERM or stdin closes; the
 * ready line carries the port. SIGINT (a terminal's Ctrl-C reaches the
 * whole process group) is left to the parent, which stops the relay in turn.
 *
 * @param o parsed flags
 */
export async function runGrpcRelay(o: GrpcRelayArgs): Promise<void> {
  // loaded here: the parent imports this module for RelaySupervisor alone
  const { startGrpcRelay } = await import("../gateway/grpc/relay.ts");
  const relay = await startGrpcRelay({
    hostname: "127.0.0.1",
    port: 0,
    channelPort: o.channelPort,
    maxMessageBytes: o.maxMessageBytes,
  });
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const ignore = () => {};
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", ignore);
  stopWhenStdinCloses(stop);
  console.log(`${READY_PREFIX}${relay.port}`);
  await stopped;
  await relay.shutdown(o.shutdownMs);
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", ignore);
}

/** Restart delays after a relay that exits within a second of its start. */
const QUICK_EXIT_MS = 1000;
const MAX_RESTART_DELAY_MS = 5000;

/**
 * Keeps one relay process running: started at once, started again whenever
 * it exits (at once after a long run; with a growing delay, up to 5 s, while
 * it keeps exiting at start). Each exit is reported on stderr.
 */
export class RelaySupervisor {
  readonly #args: string[];
  readonly #shutdownMs: number;
  #child!: Child;
  #port!: Promise<number>;
  /** Resolved, and replaced, each time a relay exits. */
  #exit = Promise.withResolvers<void>();
  #quickExits = 0;
  #restart: ReturnType<typeof setTimeout> | undefined;
  #stopping = false;

  /**
   * @param channelPort the serving process's relay channel port (loopback)
   * @param maxMessageBytes largest request message
   * @param shutdownMs how long a stop waits for running calls
   */
  constructor(
    channelPort: number,
    maxMessageBytes: number,
    shutdownMs: number,
  ) {
    this.#args = [
      "grpc-relay",
      "--channel-port",
      String(channelPort),
      "--max-message-bytes",
      String(maxMessageBytes),
      "--shutdown-ms",
      String(shutdownMs),
    ];
    this.#shutdownMs = shutdownMs;
    this.#start(Promise.withResolvers<number>());
  }

  /**
   * The running relay's port; waits while one starts.
   *
   * @param refused a port that refused a connection: wait for the relay
   *   that replaces the one on it (whose exit may not be seen yet)
   */
  async port(refused?: number): Promise<number> {
    let port = await this.#port;
    while (port === refused) {
      await this.#exit.promise;
      port = await this.#port;
    }
    return port;
  }

  /** The running relay's process id. */
  get pid(): number {
    return this.#child.process.pid;
  }

  /**
   * Resolves once the running relay has exited and its replacement is on
   * its way (new connections then wait for that one).
   */
  exited(): Promise<void> {
    return this.#exit.promise;
  }

  /**
   * Starts a relay; `waiting` resolves with its port once it is ready.
   * Callers waiting for a port keep waiting across relays that exit
   * before they are ready.
   */
  #start(waiting: PromiseWithResolvers<number>): void {
    const started = Date.now();
    const child = startChild("the gRPC relay", this.#args);
    this.#child = child;
    this.#port = waiting.promise;
    let ready = false;
    child.ready.then((line) => {
      ready = true;
      waiting.resolve(Number(line));
    }, () => {/* reported when it exits */});
    child.exited.then((status) => {
      if (this.#stopping) return;
      const quick = Date.now() - started < QUICK_EXIT_MS;
      this.#quickExits = quick ? this.#quickExits + 1 : 0;
      const delay = quick
        ? Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** this.#quickExits)
        : 0;
      console.error(
        `kvolt: the gRPC relay process exited (${
          status.signal ?? `code ${status.code}`
        }); its connections were closed; starting it again${
          delay > 0 ? ` in ${delay} ms` : ""
        }`,
      );
      const next = ready ? Promise.withResolvers<number>() : waiting;
      this.#port = next.promise;
      this.#exit.resolve();
      this.#exit = Promise.withResolvers<void>();
      this.#restart = setTimeout(() => this.#start(next), delay);
    });
  }

  /** Stops the relay (SIGTERM: it finishes running calls), SIGKILL after the deadline. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    await stopChild(this.#child, this.#shutdownMs + 1000);
  }
}
