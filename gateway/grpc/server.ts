/**
 * The gRPC listener: a grpc-js server (HTTP/2) serving Momento's data plane
 * (`cache_client.Scs`, `scs_service.ts`), control (`control_client.ScsControl`,
 * `control.ts`), tokens (`token.Token`, `token.ts`) and ping
 * (`cache_client.Ping`), in
 * plaintext or TLS. grpc-js's own limits bound a message
 * (`grpc.max_receive_message_length`); an unknown method answers
 * UNIMPLEMENTED.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { cache_client as cache } from "@gomomento/generated-types/dist/cacheclient.js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { control_client as control } from "@gomomento/generated-types/dist/controlclient.js";
import { token } from "@gomomento/generated-types/dist/token.js";
import type { Buffer } from "node:buffer";
import { recordRequestBytes } from "./request_bytes.ts";
import { type ControlContext, controlHandlers } from "./control.ts";
import { type Handler, handler } from "./handler.ts";
import { type ScsContext, scsHandlers } from "./scs_service.ts";
import { type TokenContext, tokenHandlers } from "./token.ts";

/** What every service of the gRPC front ends needs. */
export type GrpcContext = ScsContext & ControlContext & TokenContext;

/** What {@linkcode startGrpcServer} needs. */
export interface GrpcServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate chain and key; plaintext without. */
  tls?: { cert: string; key: string } | undefined;
  /** Largest request message, bytes. */
  maxMessageBytes: number;
  /** The services' context. */
  context: GrpcContext;
}

/** A running gRPC listener. */
export interface GrpcServer {
  /** The port it listens on. */
  port: number;
  /** Stops accepting calls; waits for those running, up to `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<void>;
}

/**
 * A service definition whose request decoding records each message's wire
 * size ({@linkcode requestBytes}): the throughput limit counts it without
 * serializing the request again. Both transports decode through the
 * definition, so both are measured.
 */
function measured(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        const message = method.requestDeserialize(bytes);
        recordRequestBytes(message as object, bytes.byteLength);
        return message;
      },
    };
  }
  return out;
}

/** The services and handlers kvolt's gRPC front ends serve. */
export function grpcServices(context: GrpcContext): {
  definition: grpc.ServiceDefinition;
  handlers: Record<string, Handler>;
}[] {
  const service = (definition: unknown, handlers: Record<string, Handler>) => ({
    definition: measured(definition as grpc.ServiceDefinition),
    handlers,
  });
  return [
    service(cache.UnimplementedScsService.definition, scsHandlers(context)),
    service(
      control.UnimplementedScsControlService.definition,
      controlHandlers(context),
    ),
    service(token.UnimplementedTokenService.definition, tokenHandlers(context)),
    service(ping.UnimplementedPingService.definition, {
      Ping: handler(() => Promise.resolve(new ping._PingResponse()), false),
    }),
  ];
}

/**
 * Starts the gRPC listener. With TLS, Deno's TLS (rustls) terminates it and
 * each connection is piped to grpc-js listening in plaintext on loopback:
 * Deno 2.9.6's `node:http2` secure server, which grpc-js would use, fails
 * the handshake ("excessive message size" in OpenSSL clients).
 *
 * @param options address, TLS, limits and the data plane
 * @returns the server, once it listens
 */
export async function startGrpcServer(
  options: GrpcServerOptions,
): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
  });
  for (const { definition, handlers } of grpcServices(options.context)) {
    server.addService(definition, handlers);
  }
  const host = options.hostname.includes(":")
    ? `[${options.hostname}]`
    : options.hostname;
  const address = options.tls ? "127.0.0.1:0" : `${host}:${options.port}`;
  const inner = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      address,
      grpc.ServerCredentials.createInsecure(),
      (err, port) => err ? reject(err) : resolve(port),
    );
  });
  const front = options.tls
    ? terminateTls(options.hostname, options.port, options.tls, inner)
    : undefined;
  return {
    port: front?.port ?? inner,
    shutdown: (deadlineMs) => {
      front?.close();
      return new Promise<void>((done) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          done();
        }, deadlineMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          done();
        });
      });
    },
  };
}

/** Accepts TLS connections (ALPN h2) and pipes each to the inner port. */
function terminateTls(
  hostname: string,
  port: number,
  tls: { cert: string; key: string },
  inner: number,
): { port: number; close(): void } {
  const listener = Deno.listenTls({
    hostname,
    port,
    cert: tls.cert,
    key: tls.key,
    alpnProtocols: ["h2"],
  });
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      pipeTo(conn, inner).finally(() => open.delete(conn));
    }
  })().catch(() => {/* listener closed */});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close: () => {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
    },
  };
}

async function pipeTo(conn: Deno.TlsConn, inner: number): Promise<void> {
  let upstream: Deno.TcpConn | undefined;
  try {
    upstream = await Deno.connect({ hostname: "127.0.0.1", port: inner });
    upstream.setNoDelay(true);
    await Promise.all([
      conn.readable.pipeTo(upstream.writable),
      upstream.readable.pipeTo(conn.writable),
    ]);
  } catch {
    // a handshake failure or a reset: the connection is done
  } finally {
    for (const c of [conn, upstream]) {
      try {
        c?.close();
      } catch { /* closed by its stream */ }
    }
  }
}
