/**
 * The gRPC relay: a grpc-js server (HTTP/2) that hands every call, as bytes,
 * to the serving process over the relay channel (`channel.ts`, loopback),
 * and answers with what comes back (messages, status, trailing metadata).
 *
 * Why a relay, in its own process: HTTP/2 under grpc-js is Deno 2.9.6's
 * `node:http2` (nghttp2), which can abort its process as a client's
 * connection goes away (`find_stream_on_goaway_func` assertion, or a
 * SIGSEGV; a few runs in a hundred). In a child process that holds nothing
 * but connections, such an abort costs the open gRPC connections; the cache,
 * its HTTP API and the public gRPC port stay up, and the parent starts the
 * relay again (`cli/grpc_relay.ts`). The relay imports nothing of kvolt but
 * the service definitions and the channel: it decodes no message (they pass
 * through as bytes), so no request can reach a store without the serving
 * process's checks.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import type { ChannelCall } from "./channel.ts";
import { ChannelClient } from "./channel_client.ts";
import { SERVICE_DEFINITIONS } from "./definitions.ts";
import type { WebResponse } from "./web_frames.ts";

/** What {@linkcode startGrpcRelay} needs. */
export interface RelayOptions {
  /** Where it listens (plaintext); the parent pipes connections to it. */
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The serving process's relay channel port (loopback). */
  channelPort: number;
  /** Largest request message, bytes (grpc-js refuses larger). */
  maxMessageBytes: number;
}

/** A running relay. */
export interface GrpcRelay {
  /** The port it listens on. */
  port: number;
  /** Stops accepting calls; waits for those running, up to `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<void>;
}

/**
 * Request metadata that is HTTP/2 or gRPC framing, not the caller's: never
 * forwarded.
 */
const NOT_FORWARDED = new Set([
  "connection",
  "content-length",
  "content-type",
  "host",
  "keep-alive",
  "te",
  "transfer-encoding",
  "upgrade",
]);

/** The bytes of a message as grpc-js reads and writes them in passthrough. */
const passthrough = {
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/** A passthrough call: the request as bytes, and its metadata. */
interface RelayedCall {
  request: Buffer;
  metadata: grpc.Metadata;
}

/**
 * Starts the relay.
 *
 * @param options address, channel and limits
 * @returns the relay, once it listens
 */
export async function startGrpcRelay(
  options: RelayOptions,
): Promise<GrpcRelay> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
  });
  const channel = new ChannelClient(options.channelPort);
  // a call the client cancels still runs to its end in the serving
  // process; its answer is dropped (grpc-js ignores answers to cancelled
  // calls)
  const forward = (path: string, call: RelayedCall) =>
    channel.call(channelCall(path, call));
  for (const definition of SERVICE_DEFINITIONS) {
    const methods: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      methods[name] = { ...method, ...passthrough };
      handlers[name] = method.responseStream
        ? streaming(method.path, forward)
        : unary(method.path, forward);
    }
    server.addService(methods, handlers);
  }
  const host = options.hostname.includes(":")
    ? `[${options.hostname}]`
    : options.hostname;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (err, port) => err ? reject(err) : resolve(port),
    );
  });
  return {
    port,
    shutdown: (deadlineMs) =>
      new Promise<void>((done) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          finish();
        }, deadlineMs);
        function finish() {
          clearTimeout(timer);
          channel.close();
          done();
        }
        server.tryShutdown(finish);
      }),
  };
}

type Forward = (path: string, call: RelayedCall) => Promise<WebResponse>;

function unary(
  path: string,
  forward: Forward,
): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    forward(path, call).then(({ messages, trailer }) => {
      const metadata = metadataOf(trailer.metadata);
      if (trailer.code !== grpc.status.OK) {
        callback({ code: trailer.code, details: trailer.details, metadata });
      } else if (messages.length !== 1) {
        callback({
          code: grpc.status.INTERNAL,
          details: `Internal error: ${messages.length} replies to a unary call`,
        });
      } else {
        callback(null, bytes(messages[0]!), metadata);
      }
    });
  };
}

function streaming(
  path: string,
  forward: Forward,
): grpc.handleServerStreamingCall<Buffer, Buffer> {
  return (call) => {
    forward(path, call).then(({ messages, trailer }) => {
      for (const m of messages) call.write(bytes(m));
      const metadata = metadataOf(trailer.metadata);
      if (trailer.code === grpc.status.OK) call.end(metadata);
      else {
        call.emit("error", {
          code: trailer.code,
          details: trailer.details,
          metadata,
        });
      }
    });
  };
}

/** A call as the channel carries it: text metadata only. */
function channelCall(path: string, call: RelayedCall): ChannelCall {
  const metadata: [string, string][] = [];
  for (const [name, value] of Object.entries(call.metadata.getMap())) {
    if (typeof value !== "string" || NOT_FORWARDED.has(name)) continue;
    if (name.startsWith("grpc-")) continue;
    metadata.push([name, value]);
  }
  return { path, metadata, message: call.request };
}

function metadataOf(entries: readonly [string, string][]): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [name, value] of entries) {
    if (!name.endsWith("-bin")) metadata.add(name, value);
  }
  return metadata;
}

function bytes(message: Uint8Array): Buffer {
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}
