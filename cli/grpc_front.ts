/**
 * Momento's gRPC protocol on a `serve` or `kvolt node` process: the gRPC
 * listener (`--grpc-port`, through the relay process) and grpc-web on the
 * HTTP port, both answered by one set of handlers over one context (store,
 * registry, verifier, limits, token minter).
 *
 * @module
 */

import type { GrpcContext } from "../gateway/grpc/services.ts";
import type { GrpcCalls } from "../gateway/grpc/calls.ts";
import { type ChannelServer, serveChannel } from "../gateway/grpc/channel.ts";
import { refused } from "../gateway/grpc/web_frames.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "../gateway/json_api_body.ts";
import { dropGoaway } from "./goaway_filter.ts";
import { RelaySupervisor } from "./grpc_relay.ts";
import { unbracket, urlHost } from "./hosts.ts";
import { StartError } from "./usage.ts";

/** gRPC's INTERNAL status (grpc-js, which has the name, loads lazily). */
const GRPC_INTERNAL = 13;

/** Room for a message's fields besides its one item (key, value). */
const GRPC_FRAMING_BYTES = 64 * 1024;

/**
 * Largest gRPC request message: a JSON API request's limit (a SetBatch may
 * carry many items), and never less than one item plus framing. Each item
 * still meets the item limit.
 */
function maxMessageBytes(context: GrpcContext): number {
  return Math.max(
    DEFAULT_MAX_REQUEST_BYTES,
    context.limits.maxItemBytes + GRPC_FRAMING_BYTES,
  );
}

/** Momento's protocol on one process: the gRPC listener and grpc-web. */
export interface GrpcFront {
  /** The grpc-web handler, for the gateway's `grpcWeb` option. */
  web: (request: Request) => Promise<Response>;
  /**
   * Where clients reach the process: the caller sets `http` once its HTTP
   * listener is bound; `grpc` is set by {@linkcode GrpcFront.listen}. Minted
   * keys and tokens name them (`endpointClaims`).
   */
  endpoints: { http: string; grpc?: string };
  /** The gRPC listener's port once it listens (the gateway's `grpcPort`). */
  port(): number | undefined;
  /**
   * The relay process while the listener runs (for fault tests): its id, and
   * a promise that resolves once it exited and its replacement is starting.
   */
  relay(): { pid: number; exited: Promise<void> } | undefined;
  /** Starts the gRPC listener, unless its port is null (`--grpc-port off`). */
  listen(): Promise<void>;
  /** Stops the listener, waiting up to `shutdownMs` for running calls. */
  shutdown(): Promise<void>;
}

/** Where and how the gRPC listener listens. */
export interface GrpcListen {
  /** The host to listen on (the HTTP listener's). */
  host: string;
  /** The gRPC port (0: a free one), or null for none. */
  port: number | null;
  /** Certificate chain and key, PEM; plaintext without. */
  tls: { cert: string; key: string } | undefined;
  /** How long a stop waits for running calls, ms. */
  shutdownMs: number;
  /**
   * Bind the port beside other processes bound to it (SO_REUSEPORT: the
   * kernel spreads connections over them); `serve --nodes N` gives every
   * node the same gRPC port, as it does the HTTP port.
   */
  reusePort?: boolean;
}

/**
 * The gRPC front of a `serve` or `kvolt node` process, over one context.
 *
 * The gRPC port is this process's: it accepts each connection (and
 * terminates TLS) and pipes the bytes to the relay process
 * (`gateway/grpc/relay.ts`), which speaks HTTP/2 and hands each call back
 * to this process over the relay channel (`gateway/grpc/channel.ts`). A
 * relay that crashes closes the gRPC connections open through it, and
 * nothing else: this process starts it again, and new connections wait
 * for it (up to 10 s).
 *
 * @param listen address, TLS, stop deadline
 * @param context the services' context, less the endpoints it names
 */
export function grpcFront(
  listen: GrpcListen,
  context: Omit<GrpcContext, "endpoints">,
): GrpcFront {
  const endpoints: GrpcFront["endpoints"] = { http: "" };
  const full: GrpcContext = { ...context, endpoints: () => endpoints };
  const maxBytes = maxMessageBytes(full);
  // One set of handlers for grpc-web (Momento's browser SDK) on the HTTP
  // port and the gRPC listener's calls, which come over the relay channel.
  // Loaded at the first call: Momento's generated types and grpc-js cost a
  // process that may never see one 7 MB idle and ~25 MiB of peak RSS under
  // the overfill test (tests/memory_test.ts).
  let loaded:
    | Promise<{ calls: GrpcCalls; web: (r: Request) => Promise<Response> }>
    | undefined;
  const load = () =>
    loaded ??= (async () => {
      const [services, callsModule, webModule] = await Promise.all([
        import("../gateway/grpc/services.ts"),
        import("../gateway/grpc/calls.ts"),
        import("../gateway/grpc/web.ts"),
      ]);
      const calls = callsModule.createGrpcCalls(services.grpcServices(full));
      return {
        calls,
        web: webModule.createGrpcWeb(calls, { maxMessageBytes: maxBytes }),
      };
    })();
  const calls: GrpcCalls = async (path, message, metadata) => {
    let loadedCalls: GrpcCalls;
    try {
      loadedCalls = (await load()).calls;
    } catch (err) {
      // a broken installation: every gRPC call says so, nothing else stops
      console.error("kvolt: cannot load the gRPC services:", err);
      return refused(GRPC_INTERNAL, "Internal server error");
    }
    return await loadedCalls(path, message, metadata);
  };
  const web = async (request: Request) => (await load()).web(request);
  let running:
    | { channel: ChannelServer; relay: RelaySupervisor; front: Front }
    | undefined;
  return {
    web,
    endpoints,
    port: () => running?.front.port,
    relay: () =>
      running && { pid: running.relay.pid, exited: running.relay.exited() },
    listen() {
      if (listen.port === null) return Promise.resolve();
      // bound first: a port in use stops the start before a relay starts
      const listener = listenPublic({ ...listen, port: listen.port });
      const channel = serveChannel(calls, maxBytes);
      const relay = new RelaySupervisor(
        channel.port,
        maxBytes,
        listen.shutdownMs,
      );
      const front = pipeEach(listener, (dead) => relay.port(dead));
      running = { channel, relay, front };
      endpoints.grpc = `${urlHost(listen.host)}:${front.port}`;
      return Promise.resolve();
    },
    async shutdown() {
      if (running === undefined) return;
      const { channel, relay, front } = running;
      front.stopAccepting();
      // the relay finishes its running calls through the channel
      await relay.stop();
      front.closeAll();
      channel.close();
    },
  };
}

/** How long a new connection waits for a relay that is starting, ms. */
const RELAY_WAIT_MS = 10_000;

/** The public gRPC listener, piping each connection to the relay. */
interface Front {
  port: number;
  stopAccepting(): void;
  closeAll(): void;
}

/**
 * Binds the public gRPC port: TLS (Deno's rustls, ALPN h2) or plaintext.
 *
 * @throws StartError when it cannot listen
 */
function listenPublic(
  { host, port, tls, reusePort }: GrpcListen & { port: number },
): Deno.Listener {
  const address = {
    hostname: unbracket(host),
    port,
    ...(reusePort ? { reusePort: true } : {}),
  };
  try {
    return tls
      ? Deno.listenTls({
        ...address,
        cert: tls.cert,
        key: tls.key,
        alpnProtocols: ["h2"],
      })
      : Deno.listen(address);
  } catch (err) {
    throw new StartError(
      `Cannot serve gRPC on ${urlHost(host)}:${port}: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
  }
}

/** Accepts connections and pipes each to the relay's current port. */
function pipeEach(
  listener: Deno.Listener,
  relayPort: (refused?: number) => Promise<number>,
): Front {
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      pipeTo(conn, relayPort).finally(() => open.delete(conn));
    }
  })().catch(() => {/* listener closed */});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    stopAccepting: () => {
      try {
        listener.close();
      } catch { /* closed */ }
    },
    closeAll: () => {
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
    },
  };
}

async function pipeTo(
  conn: Deno.Conn,
  relayPort: (refused?: number) => Promise<number>,
): Promise<void> {
  let upstream: Deno.TcpConn | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("no gRPC relay")),
        RELAY_WAIT_MS,
      );
    });
    upstream = await Promise.race([
      connectRelay(relayPort, Date.now() + RELAY_WAIT_MS),
      gaveUp,
    ]);
    upstream.setNoDelay(true);
    if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
    await Promise.all([
      // a client's GOAWAY is what crashes Deno's nghttp2 (goaway_filter.ts)
      conn.readable.pipeThrough(dropGoaway()).pipeTo(upstream.writable),
      upstream.readable.pipeTo(conn.writable),
    ]);
  } catch {
    // a handshake failure, a reset, a relay that went away: this
    // connection is done
  } finally {
    clearTimeout(timer);
    for (const c of [conn, upstream]) {
      try {
        c?.close();
      } catch { /* closed by its stream */ }
    }
  }
}

/**
 * A connection to the running relay, made before `deadline` (or none: the
 * caller has given up by then). A port that refuses belongs to a relay that
 * just exited: wait for the one replacing it.
 */
async function connectRelay(
  relayPort: (refused?: number) => Promise<number>,
  deadline: number,
): Promise<Deno.TcpConn> {
  let refused: number | undefined;
  while (Date.now() < deadline) {
    const port = await relayPort(refused);
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: "127.0.0.1", port });
    } catch {
      refused = port;
      continue;
    }
    if (Date.now() < deadline) return conn;
    conn.close();
  }
  throw new Error("no gRPC relay");
}

/**
 * The banner's line for the gRPC listener.
 *
 * @param hostPort where it listens
 * @param tls whether it speaks TLS
 */
export function grpcNote(hostPort: string, tls: boolean): string {
  return `gRPC (Momento's protocol) on ${hostPort}${tls ? "" : " (plaintext)"}`;
}
