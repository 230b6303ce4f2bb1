/**
 * The gRPC relay process (`gateway/grpc/relay.ts`), both sides:
 * `kvolt grpc-relay`, which `serve` and `kvolt node` start for their gRPC
 * port, and {@linkcode RelaySupervisor}, which keeps it running and knows
 * the port of the one running.
 *
 * @module
 */

import { READY_PREFIX } from "./banner.ts";
import { stopWhenStdinCloses, SupervisedChild } from "./child.ts";
import { parseFlags, UsageError } from "./usage.ts";

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
  const values = parseFlags(args, {
    "channel-port": { type: "string" },
    "max-message-bytes": { type: "string" },
    "shutdown-ms": { type: "string", default: "10000" },
  }, "grpc-relay: ");
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

/**
 * Keeps one relay process running (a {@linkcode SupervisedChild}) and knows
 * the port of the one running.
 */
export class RelaySupervisor {
  readonly #process: SupervisedChild;
  readonly #shutdownMs: number;
  /** Resolves with the port of the relay running or starting next. */
  #port: Promise<number>;
  /** The port of the next relay to be ready. */
  #next = Promise.withResolvers<number>();
  /** Resolved, and replaced, each time a relay exits. */
  #exit = Promise.withResolvers<void>();

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
    this.#shutdownMs = shutdownMs;
    this.#port = this.#next.promise;
    this.#process = new SupervisedChild("the gRPC relay process", [
      "grpc-relay",
      "--channel-port",
      String(channelPort),
      "--max-message-bytes",
      String(maxMessageBytes),
      "--shutdown-ms",
      String(shutdownMs),
    ], {
      // callers waiting for a port keep waiting across relays that exit
      // before they are ready
      started: (child) => {
        const next = this.#next;
        child.ready.then((line) => {
          next.resolve(Number(line));
          this.#next = Promise.withResolvers<number>();
        }, () => {/* reported when it exits */});
      },
      exited: () => {
        this.#port = this.#next.promise;
        this.#exit.resolve();
        this.#exit = Promise.withResolvers<void>();
      },
    });
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
    return this.#process.child.process.pid;
  }

  /**
   * Resolves once the running relay has exited and its replacement is on
   * its way (new connections then wait for that one).
   */
  exited(): Promise<void> {
    return this.#exit.promise;
  }

  /** Stops the relay (SIGTERM: it finishes running calls), SIGKILL after the deadline. */
  stop(): Promise<void> {
    return this.#process.stop(this.#shutdownMs + 1000);
  }
}
