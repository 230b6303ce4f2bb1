/**
 * One gRPC call, whatever carried it: a method's path, its request message
 * as bytes and its metadata in; the reply's messages and the call's status
 * out. Both transports into kvolt's handlers use it: grpc-web on the HTTP
 * port (`web.ts`) and the relay channel from the gRPC listener's relay
 * process (`channel.ts`).
 *
 * The handlers are grpc-js handlers (`(call, callback)` functions, the shape
 * `handler.ts` builds): this module calls them with a call object of its
 * own.
 *
 * @module
 */

import { Metadata, type ServiceDefinition, status } from "@grpc/grpc-js";
import type { Buffer } from "node:buffer";
import type { Trailer, WebResponse } from "./web_frames.ts";

/** A service as grpc-js takes it: its definition and its handlers by method name. */
export interface GrpcService {
  definition: ServiceDefinition;
  // deno-lint-ignore no-explicit-any
  handlers: Record<string, (...args: any[]) => void>;
}

/** A call's outcome: the reply's messages, then its status and metadata. */
export type Answered = WebResponse;

/**
 * Answers one call. Never rejects: every failure is a status.
 *
 * @param path the method, e.g. `/cache_client.Scs/Get`
 * @param message the request message's bytes
 * @param metadata the call's metadata (text values)
 */
export type GrpcCalls = (
  path: string,
  message: Uint8Array,
  metadata: readonly [string, string][],
) => Promise<Answered>;

/** A status as grpc-js handlers give it. */
interface Outcome {
  code: number;
  details: string;
  metadata?: Metadata | undefined;
}

interface Method {
  // deno-lint-ignore no-explicit-any
  handler: (...args: any[]) => void;
  stream: boolean;
  deserialize: (bytes: Uint8Array) => unknown;
  serialize: (message: unknown) => Uint8Array;
}

/**
 * The calls of a set of services (unary and server-streaming methods).
 *
 * @param services each service's definition and handlers
 * @returns the function that answers one call
 */
export function createGrpcCalls(services: readonly GrpcService[]): GrpcCalls {
  const methods = new Map<string, Method>();
  for (const { definition, handlers } of services) {
    for (const [name, d] of Object.entries(definition)) {
      const handler = handlers[name];
      if (handler === undefined || d.requestStream) continue;
      methods.set(d.path, {
        handler,
        stream: d.responseStream,
        deserialize: (bytes) => d.requestDeserialize(bytes as Buffer),
        serialize: (message) => d.responseSerialize(message),
      });
    }
  }
  return async (path, bytes, entries) => {
    const messages: Uint8Array[] = [];
    const metadata = new Metadata();
    for (const [name, value] of entries) metadata.add(name, value);
    const outcome = await answer(
      methods.get(path),
      path,
      bytes,
      metadata,
      messages,
    );
    return { messages, trailer: trailerOf(outcome) };
  };
}

function answer(
  method: Method | undefined,
  path: string,
  bytes: Uint8Array,
  metadata: Metadata,
  out: Uint8Array[],
): Promise<Outcome> | Outcome {
  if (method === undefined) {
    return {
      code: status.UNIMPLEMENTED,
      details: `Unknown method: ${
        path.length > 64 ? `${path.slice(0, 64)}...` : path
      }`,
    };
  }
  let message: unknown;
  try {
    message = method.deserialize(bytes);
  } catch {
    return {
      code: status.INVALID_ARGUMENT,
      details: "Invalid request: the message does not parse",
    };
  }
  return invoke(method, {
    request: message,
    metadata,
    requestBytes: bytes.byteLength,
  }, out);
}

/**
 * Calls a grpc-js handler with a call object of this module, which also
 * carries the request's wire size (`requestBytes`).
 */
function invoke(
  method: Method,
  received: { request: unknown; metadata: Metadata; requestBytes: number },
  out: Uint8Array[],
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const ok: Outcome = { code: status.OK, details: "" };
    const call = {
      ...received,
      cancelled: false,
      getPeer: () => "kvolt",
      getDeadline: () => Infinity,
      sendMetadata: () => {},
      on: () => call,
      once: () => call,
      write: (message: unknown) => {
        out.push(method.serialize(message));
        return true;
      },
      end: () => resolve(ok),
      // a streaming handler ends with an error this way
      emit: (event: string, err: Outcome) => {
        if (event === "error") resolve(err);
        return true;
      },
      destroy: (err?: Outcome) =>
        resolve(err ?? { code: status.CANCELLED, details: "Cancelled" }),
    };
    const callback = (err: Outcome | null, value?: unknown) => {
      if (err) return resolve(err);
      if (value !== undefined) out.push(method.serialize(value));
      resolve(ok);
    };
    try {
      if (method.stream) method.handler(call);
      else method.handler(call, callback);
    } catch (err) {
      console.error("grpc: handler threw", err);
      resolve({ code: status.INTERNAL, details: "Internal server error" });
    }
  });
}

function trailerOf(outcome: Outcome): Trailer {
  const metadata: [string, string][] = [];
  for (
    const [name, value] of Object.entries(outcome.metadata?.getMap() ?? {})
  ) {
    if (typeof value === "string") metadata.push([name, value]);
  }
  return { code: outcome.code, details: outcome.details, metadata };
}
