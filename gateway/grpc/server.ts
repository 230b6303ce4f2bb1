/**
 * The gRPC listener: a grpc-js server (HTTP/2) serving Momento's data plane
 * (`cache_client.Scs`, `scs_service.ts`) and ping (`cache_client.Ping`), in
 * plaintext or TLS. grpc-js's own limits bound a message
 * (`grpc.max_receive_message_length`); an unknown method answers
 * UNIMPLEMENTED.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import { cache_client as cache } from "@gomomento/generated-types/dist/cacheclient.js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { type ScsContext, scsHandlers } from "./scs_service.ts";

/** What {@linkcode startGrpcServer} needs. */
export interface GrpcServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate chain and key; plaintext without. */
  tls?: { cert: string; key: string } | undefined;
  /** Largest request message, bytes. */
  maxMessageBytes: number;
  /** The data plane's context. */
  context: ScsContext;
}

/** A running gRPC listener. */
export interface GrpcServer {
  /** The port it listens on. */
  port: number;
  /** Stops accepting calls; waits for those running, up to `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<void>;
}

/** The services and handlers kvolt's gRPC front ends serve. */
export function grpcServices(context: ScsContext): {
  definition: grpc.ServiceDefinition;
  // deno-lint-ignore no-explicit-any
  handlers: Record<string, (...args: any[]) => void>;
}[] {
  return [
    {
      definition: cache.UnimplementedScsService
        .definition as grpc.ServiceDefinition,
      handlers: scsHandlers(context),
    },
    {
      definition: ping.UnimplementedPingService
        .definition as grpc.ServiceDefinition,
      handlers: {
        Ping: (
          _call: unknown,
          callback: (e: null, r: ping._PingResponse) => void,
        ) => callback(null, new ping._PingResponse()),
      },
    },
  ];
}

/**
 * Starts the gRPC listener.
 *
 * @param options address, TLS, limits and the data plane
 * @returns the server, once it listens
 */
export function startGrpcServer(
  options: GrpcServerOptions,
): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
  });
  for (const { definition, handlers } of grpcServices(options.context)) {
    server.addService(definition, handlers);
  }
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{
      cert_chain: Buffer.from(options.tls.cert),
      private_key: Buffer.from(options.tls.key),
    }])
    : grpc.ServerCredentials.createInsecure();
  const host = options.hostname.includes(":")
    ? `[${options.hostname}]`
    : options.hostname;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, credentials, (err, port) => {
      if (err) return reject(err);
      resolve({
        port,
        shutdown: (deadlineMs) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              server.forceShutdown();
              done();
            }, deadlineMs);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
