/**
 * kvolt's own accept loop: what `Deno.serve` lacks for a server exposed to a
 * network (denoland/deno#3515). Each accepted connection is served by Deno's
 * HTTP engine through `serveHttpOnConnection` (the function `Deno.serve`
 * itself uses per connection, at the same speed), with an AbortSignal of ours
 * that closes the connection when:
 *
 * - it has not sent a complete request head within `headTimeoutMs` of opening
 *   (silent connections, dripped header lines, a TLS handshake never finished);
 * - it has sat idle between requests (keep-alive) longer than `idleTimeoutMs`;
 * - an upload has made no progress for `bodyTimeoutMs`;
 * - the server shuts down and the deadline for in-flight requests has passed.
 *
 * Deadlines are checked by one coarse sweep timer (a quarter of the shortest
 * timeout, at most once a second), never by a timer per request: the hot path
 * pays a few counter updates per request, no clock read. A request's head
 * is "complete" when Deno hands it to the handler; after the first request a
 * connection waits under the idle bound.
 *
 * Accept errors (EMFILE "Too many open files" above all) never end the loop:
 * it logs once per burst, waits, and accepts again; connections already open
 * keep being served. Above `maxConnections` a new connection is closed at
 * once, before it costs more than its descriptor.
 *
 * `serveHttpOnConnection` is internal to Deno: `hasConnectionServer()` says
 * whether it is there (a test asserts it on the pinned Deno), and `serve`
 * falls back to `Deno.serve` without these bounds when it is not.
 *
 * @module
 */

import {
  closeConnection,
  type ConnState,
  expired,
  Phase,
  SMALL_BODY_BYTES,
  trackUpload,
} from "./connection_state.ts";

/** Bounds on what a connection may hold. */
export interface ConnectionLimits {
  /** Longest wait for a complete request head on a new connection, ms. */
  headTimeoutMs: number;
  /** Longest idle time between requests on a keep-alive connection, ms. */
  idleTimeoutMs: number;
  /** Longest time an upload may make no progress, ms. */
  bodyTimeoutMs: number;
  /** Most connections open at once; more are closed on accept. */
  maxConnections: number;
}

/** Default bounds (the cap is sized from the descriptor limit by `serve`). */
export const DEFAULT_CONNECTION_LIMITS: Omit<
  ConnectionLimits,
  "maxConnections"
> = {
  headTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  bodyTimeoutMs: 10_000,
};

/** What the listener counts (for metrics and the shutdown line). */
export interface ListenerStats {
  /** Connections open now. */
  open: number;
  /** Connections accepted since start. */
  accepted: number;
  /** Connections closed at once because the cap was reached. */
  refused: number;
  /** Connections closed by a timeout, by kind. */
  timedOut: { head: number; idle: number; body: number };
  /** Accept errors (e.g. out of descriptors). */
  acceptErrors: number;
  /** Requests being handled now. */
  inFlight: number;
}

/** A running listener. */
export interface Listener {
  /** The bound address. */
  readonly addr: Deno.NetAddr;
  /** Live counters. */
  readonly stats: ListenerStats;
  /**
   * Stops accepting, closes idle connections, waits up to `deadlineMs` for
   * in-flight requests, then closes everything.
   *
   * @returns how many requests were cut off at the deadline
   */
  shutdown(deadlineMs: number): Promise<number>;
}

type ServeOnConnection = (
  conn: Deno.Conn,
  signal: AbortSignal,
  handler: Deno.ServeHandler,
  onError: (error: unknown) => Response | Promise<Response>,
  onListen: (scheme: string) => void,
) => { finished: Promise<void> };

function connectionServer(): ServeOnConnection | undefined {
  const deno = Deno as unknown as Record<symbol, unknown> & {
    internal?: symbol;
  };
  const key = deno.internal;
  if (typeof key !== "symbol") return undefined;
  const internal = deno[key] as Record<string, unknown> | undefined;
  const fn = internal?.serveHttpOnConnection;
  return typeof fn === "function" ? fn as ServeOnConnection : undefined;
}

/** True when this Deno has the per-connection server the listener needs. */
export function hasConnectionServer(): boolean {
  return connectionServer() !== undefined;
}

/**
 * Starts serving `handler` on `listener` with the bounds of `limits`.
 *
 * @param listener from `Deno.listen` or `Deno.listenTls`
 * @param handler the request handler (the gateway's fetch)
 * @param limits timeouts and the connection cap
 * @throws Error when this Deno lacks `serveHttpOnConnection` (check with
 * {@linkcode hasConnectionServer} first)
 */
export function serveListener(
  listener: Deno.Listener,
  handler: Deno.ServeHandler,
  limits: ConnectionLimits,
): Listener {
  const serveOn = connectionServer();
  if (serveOn === undefined) {
    throw new Error(
      "Cannot serve connections: this Deno lacks serveHttpOnConnection",
    );
  }
  const stats: ListenerStats = {
    open: 0,
    accepted: 0,
    refused: 0,
    timedOut: { head: 0, idle: 0, body: 0 },
    acceptErrors: 0,
    inFlight: 0,
  };
  const conns = new Set<ConnState>();
  let clock = Date.now();
  let closing = false;
  let onDrained: (() => void) | undefined;

  const sweepEvery = Math.max(
    50,
    Math.min(
      1000,
      Math.floor(
        Math.min(
          limits.headTimeoutMs,
          limits.idleTimeoutMs,
          limits.bodyTimeoutMs,
        ) / 4,
      ),
    ),
  );
  const sweep = setInterval(() => {
    clock = Date.now();
    for (const state of conns) {
      const kind = expired(state, clock, limits);
      if (kind !== undefined) {
        stats.timedOut[kind]++;
        closeConnection(state);
      }
    }
  }, sweepEvery);
  Deno.unrefTimer(sweep);

  // The clock the per-request code reads is the sweep's (updated at every
  // sweep and at each upload chunk): no clock read per request. A phase may
  // thus start up to one sweep interval early, so a bound can close up to a
  // quarter of itself early, never late.
  const done = (state: ConnState) => {
    state.inFlight--;
    stats.inFlight--;
    if (state.inFlight === 0) {
      state.phase = Phase.Idle;
      // An upload the handler never read ends with its request.
      state.uploads = 0;
      state.since = clock;
      // During shutdown a connection closes as soon as it has answered.
      if (closing) closeConnection(state);
    }
    if (closing && stats.inFlight === 0) onDrained?.();
  };
  const wrapped = (
    request: Request,
    info: Deno.ServeHandlerInfo<Deno.NetAddr>,
    state: ConnState,
  ) => {
    state.inFlight++;
    stats.inFlight++;
    state.phase = Phase.Busy;
    // GET and HEAD carry no body: skip the body getter on the hot path.
    const method = request.method;
    const body = method === "GET" || method === "HEAD" ? null : request.body;
    let req = request;
    if (body !== null) {
      // A small declared body must arrive whole within one body timeout (no
      // stream wrapped: wrapping costs a Request and a stream per request);
      // a larger or chunked one is watched chunk by chunk.
      const length = Number(request.headers.get("content-length") ?? NaN);
      if (length <= SMALL_BODY_BYTES) {
        state.uploads++;
        state.lastProgress = clock;
      } else {
        req = trackUpload(request, body, state);
      }
    }
    let res;
    try {
      res = handler(req, info);
    } catch (err) {
      done(state);
      throw err;
    }
    if (res instanceof Promise) {
      return res.then((r) => {
        done(state);
        return r;
      }, (err) => {
        done(state);
        throw err;
      });
    }
    done(state);
    return res;
  };

  const onError = (err: unknown) => {
    console.error("kvolt: unexpected error while serving a request:", err);
    return new Response(
      JSON.stringify({
        error: {
          code: "INTERNAL_SERVER_ERROR",
          message: "Internal server error",
        },
      }),
      { status: 500, headers: { "content-type": "application/json" } },
    );
  };

  const accept = async () => {
    let backoff = 0;
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (err) {
        if (closing) return;
        if (err instanceof Deno.errors.BadResource) return;
        stats.acceptErrors++;
        // Log once per burst, then back off (10 ms doubling to 1 s) so a
        // process out of descriptors does not spin; existing connections
        // keep being served meanwhile.
        if (backoff === 0) {
          console.error(
            `kvolt: cannot accept connections: ${
              (err as Error).message
            }: ${stats.open} open; retrying`,
          );
        }
        backoff = Math.min(1000, backoff === 0 ? 10 : backoff * 2);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        continue;
      }
      stats.accepted++;
      if (stats.open >= limits.maxConnections) {
        stats.refused++;
        try {
          conn.close();
        } catch { /* already closed */ }
        continue;
      }
      const state: ConnState = {
        controller: new AbortController(),
        phase: Phase.Head,
        inFlight: 0,
        since: clock,
        uploads: 0,
        lastProgress: 0,
      };
      conns.add(state);
      stats.open++;
      let served;
      try {
        served = serveOn(
          conn,
          state.controller.signal,
          (req, info) =>
            wrapped(req, info as Deno.ServeHandlerInfo<Deno.NetAddr>, state),
          onError,
          () => {},
        );
      } catch (err) {
        conns.delete(state);
        stats.open--;
        try {
          conn.close();
        } catch { /* already closed */ }
        console.error("kvolt: cannot serve a connection:", err);
        continue;
      }
      served.finished.catch(() => {}).finally(() => {
        conns.delete(state);
        stats.open--;
        // A connection that closed with requests still counted (reset by the
        // client) must not hold the shutdown.
        if (state.inFlight > 0) {
          stats.inFlight -= state.inFlight;
          state.inFlight = 0;
          if (closing && stats.inFlight === 0) onDrained?.();
        }
      });
    }
  };
  const acceptLoop = accept();

  return {
    addr: listener.addr as Deno.NetAddr,
    stats,
    async shutdown(deadlineMs: number): Promise<number> {
      closing = true;
      try {
        listener.close();
      } catch { /* already closed */ }
      await acceptLoop;
      for (const state of conns) {
        if (state.inFlight === 0) closeConnection(state);
      }
      if (stats.inFlight > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          onDrained = resolve;
          timer = setTimeout(resolve, deadlineMs);
        });
        clearTimeout(timer);
      }
      const cut = stats.inFlight;
      clearInterval(sweep);
      for (const state of conns) closeConnection(state);
      return cut;
    },
  };
}

/**
 * `Deno.serve` behind the same interface, without any of the bounds (no
 * timeouts, no cap; accept errors are Deno's): what `serve --listener deno`
 * runs, so bench:http can measure the listener's cost in the same run.
 *
 * @param options Deno.serve's listen options (TLS included)
 * @param handler the request handler
 */
export function serveWithDeno(
  options: Deno.ServeTcpOptions & Partial<Deno.TlsCertifiedKeyPem>,
  handler: Deno.ServeHandler,
): Listener {
  const stats: ListenerStats = {
    open: 0,
    accepted: 0,
    refused: 0,
    timedOut: { head: 0, idle: 0, body: 0 },
    acceptErrors: 0,
    inFlight: 0,
  };
  const server = Deno.serve({ ...options, onListen: () => {} }, handler);
  return {
    addr: server.addr,
    stats,
    async shutdown(deadlineMs: number): Promise<number> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cut = await Promise.race([
        server.shutdown().then(() => 0),
        new Promise<number>((resolve) => {
          timer = setTimeout(() => resolve(-1), deadlineMs);
        }),
      ]);
      clearTimeout(timer);
      return cut;
    },
  };
}
