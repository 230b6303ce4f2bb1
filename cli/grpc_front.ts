/**
 * Momento's gRPC protocol on a `serve` or `kvolt node` process: the gRPC
 * listener (`--grpc-port`) and grpc-web on the HTTP port, both over one
 * context (store, registry, verifier, limits, token minter).
 *
 * @module
 */

import {
  type GrpcContext,
  type GrpcServer,
  grpcServices,
  startGrpcServer,
} from "../gateway/grpc/server.ts";
import { createGrpcWeb } from "../gateway/grpc/web.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "../gateway/json_api_body.ts";
import { urlHost } from "./hosts.ts";
import { StartError } from "./usage.ts";

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

/**
 * The grpc-web handler for the HTTP port (Momento's browser SDK).
 *
 * @param context the services' context
 * @returns the gateway's `grpcWeb` option
 */
function grpcWebFor(
  context: GrpcContext,
): (request: Request) => Promise<Response> {
  return createGrpcWeb(grpcServices(context), {
    maxMessageBytes: maxMessageBytes(context),
  });
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
  /** Starts the gRPC listener, unless its port is null (`--grpc-port off`). */
  listen(): Promise<void>;
  /** Stops the listener, waiting up to `deadlineMs` for running calls. */
  shutdown(deadlineMs: number): Promise<void>;
}

/**
 * The gRPC front of a `serve` or `kvolt node` process, over one context.
 *
 * @param host the host to listen on (the HTTP listener's)
 * @param port the gRPC port (0: a free one), or null for none
 * @param tls certificate chain and key, PEM; plaintext without
 * @param context the services' context, less the endpoints it names
 */
export function grpcFront(
  host: string,
  port: number | null,
  tls: { cert: string; key: string } | undefined,
  context: Omit<GrpcContext, "endpoints">,
): GrpcFront {
  const endpoints: GrpcFront["endpoints"] = { http: "" };
  const full: GrpcContext = { ...context, endpoints: () => endpoints };
  let server: GrpcServer | undefined;
  return {
    web: grpcWebFor(full),
    endpoints,
    port: () => server?.port,
    async listen() {
      if (port === null) return;
      server = await startGrpc(host, port, tls, full);
      endpoints.grpc = `${urlHost(host)}:${server.port}`;
    },
    shutdown: async (deadlineMs) => await server?.shutdown(deadlineMs),
  };
}

/**
 * Starts the gRPC listener on the HTTP listener's host, TLS unless `tls` is
 * undefined (`--http`).
 *
 * @param host the host to listen on
 * @param port the port (0: a free one)
 * @param tls certificate chain and key, PEM
 * @param context the services' context
 * @throws StartError when it cannot listen
 */
async function startGrpc(
  host: string,
  port: number,
  tls: { cert: string; key: string } | undefined,
  context: GrpcContext,
): Promise<GrpcServer> {
  try {
    return await startGrpcServer({
      hostname: host,
      port,
      tls: tls ? { cert: tls.cert, key: tls.key } : undefined,
      maxMessageBytes: maxMessageBytes(context),
      context,
    });
  } catch (err) {
    throw new StartError(
      `Cannot serve gRPC on ${urlHost(host)}:${port}: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
  }
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
