/**
 * grpc-web on the HTTP port: Momento's browser SDK (`@gomomento/sdk-web`)
 * speaks it over HTTP/1.1. A request is one length-prefixed protobuf message
 * (content type `application/grpc-web[+proto]`, or base64 of the same bytes
 * with `application/grpc-web-text[+proto]`); the response is the reply's
 * messages, each length-prefixed, then a trailer frame (flag 0x80) carrying
 * `grpc-status`, `grpc-message` and any error metadata as HTTP/1 header lines.
 *
 * The handlers are the ones the HTTP/2 listener registers with grpc-js (same
 * service definitions, same `(call, callback)` functions): this module calls
 * them with a call object of its own, so the two transports cannot drift.
 *
 * @module
 */

import { Metadata, type ServiceDefinition, status } from "@grpc/grpc-js";
import { concat, frame, TRAILER_FLAG, trailerBytes } from "./web_frames.ts";

/** A service as grpc-js takes it: its definition and its handlers by method name. */
export interface GrpcService {
  definition: ServiceDefinition;
  // deno-lint-ignore no-explicit-any
  handlers: Record<string, (...args: any[]) => void>;
}

/** What {@linkcode createGrpcWeb} needs. */
export interface GrpcWebOptions {
  /** Largest request message, in bytes (decoded); larger answers RESOURCE_EXHAUSTED. */
  maxMessageBytes: number;
}

/** A gRPC status answered in the trailer frame. */
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

const TEXT = "application/grpc-web-text";
const BINARY = "application/grpc-web";

/**
 * True when a request's content type is grpc-web (binary or text).
 *
 * @param contentType the request's `content-type` header
 * @returns whether {@linkcode createGrpcWeb}'s handler should answer it
 */
export function isGrpcWeb(contentType: string | null): boolean {
  return contentType !== null && contentType.startsWith(BINARY);
}

/**
 * Builds the grpc-web handler for a set of services.
 *
 * @param services each service's definition and handlers
 * @param options limits
 * @returns a fetch-style handler for POST requests with a grpc-web content type
 */
export function createGrpcWeb(
  services: readonly GrpcService[],
  options: GrpcWebOptions,
): (request: Request) => Promise<Response> {
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
  return async (request) => {
    const text = (request.headers.get("content-type") ?? "").startsWith(TEXT);
    const messages: Uint8Array[] = [];
    const outcome = await answer(request, text, methods, options, messages);
    return new Response(
      encodeBody(messages, outcome, text) as Uint8Array<ArrayBuffer>,
      {
        status: 200,
        headers: {
          "content-type": text ? `${TEXT}+proto` : `${BINARY}+proto`,
        },
      },
    );
  };
}

async function answer(
  request: Request,
  text: boolean,
  methods: Map<string, Method>,
  options: GrpcWebOptions,
  out: Uint8Array[],
): Promise<Outcome> {
  const method = methods.get(new URL(request.url).pathname);
  // read the body first in every case (HTTP/2 resets unread request bodies)
  let body: Uint8Array;
  try {
    body = await readBody(request, text, options.maxMessageBytes);
  } catch (err) {
    return err as Outcome;
  }
  if (request.method !== "POST") {
    return { code: status.UNIMPLEMENTED, details: "grpc-web needs POST" };
  }
  if (method === undefined) {
    return {
      code: status.UNIMPLEMENTED,
      details: `Unknown method: ${clip(new URL(request.url).pathname)}`,
    };
  }
  const frame = singleMessage(body);
  if ("code" in frame) return frame;
  let message: unknown;
  try {
    message = method.deserialize(frame.message);
  } catch {
    return {
      code: status.INVALID_ARGUMENT,
      details: "Invalid request: the message does not parse",
    };
  }
  return await invoke(method, message, metadataOf(request.headers), out);
}

/** Calls a grpc-js handler with a call object of this transport. */
function invoke(
  method: Method,
  request: unknown,
  metadata: Metadata,
  out: Uint8Array[],
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const ok: Outcome = { code: status.OK, details: "" };
    const call = {
      request,
      metadata,
      cancelled: false,
      getPeer: () => "grpc-web",
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
      console.error("grpc-web: handler threw", err);
      resolve({ code: status.INTERNAL, details: "Internal server error" });
    }
  });
}

/** The request's headers as gRPC metadata (what grpc-js hands its handlers). */
function metadataOf(headers: Headers): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of headers) {
    if (name.endsWith("-bin")) continue;
    metadata.set(name, value);
  }
  return metadata;
}

async function readBody(
  request: Request,
  text: boolean,
  maxMessageBytes: number,
): Promise<Uint8Array> {
  // framing (5 bytes) and base64 (4/3) on top of the largest message
  const limit = Math.ceil((maxMessageBytes + 5) * (text ? 4 / 3 : 1)) + 4;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body !== null) {
    for await (const chunk of request.body) {
      size += chunk.byteLength;
      if (size > limit) {
        throw {
          code: status.RESOURCE_EXHAUSTED,
          details:
            `Request too large: the message exceeds ${maxMessageBytes} bytes`,
        } satisfies Outcome;
      }
      chunks.push(chunk);
    }
  }
  const raw = concat(chunks);
  if (!text) return raw;
  try {
    return decodeBase64Chunks(new TextDecoder().decode(raw));
  } catch {
    throw {
      code: status.INVALID_ARGUMENT,
      details: "Invalid request: grpc-web-text body is not base64",
    } satisfies Outcome;
  }
}

/** grpc-web-text may send several padded base64 chunks back to back. */
function decodeBase64Chunks(text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const clean = text.replace(/\s+/g, "");
  for (const piece of clean.match(/[^=]+=*/g) ?? []) {
    const bytes = Uint8Array.from(atob(piece), (c) => c.charCodeAt(0));
    parts.push(bytes);
  }
  return concat(parts);
}

/** The one message of a unary request body, or why there is not exactly one. */
function singleMessage(body: Uint8Array): { message: Uint8Array } | Outcome {
  if (body.byteLength < 5) {
    return {
      code: status.INVALID_ARGUMENT,
      details: "Invalid request: no gRPC message frame",
    };
  }
  if ((body[0]! & 1) !== 0) {
    return {
      code: status.UNIMPLEMENTED,
      details: "Compressed messages are not supported",
    };
  }
  const length = new DataView(body.buffer, body.byteOffset, 5).getUint32(1);
  if (body.byteLength !== 5 + length) {
    return {
      code: status.INVALID_ARGUMENT,
      details: "Invalid request: the frame's length does not match the body",
    };
  }
  return { message: body.subarray(5) };
}

/** Data frames, then the trailer frame; base64 for grpc-web-text. */
function encodeBody(
  messages: readonly Uint8Array[],
  outcome: Outcome,
  text: boolean,
): Uint8Array {
  const metadata: [string, string][] = [];
  for (
    const [name, value] of Object.entries(outcome.metadata?.getMap() ?? {})
  ) {
    if (typeof value === "string") metadata.push([name, value]);
  }
  const frames = [
    ...messages.map((m) => frame(0, m)),
    frame(
      TRAILER_FLAG,
      trailerBytes({ code: outcome.code, details: outcome.details, metadata }),
    ),
  ];
  if (!text) return concat(frames);
  // each frame its own padded base64 chunk: what grpc-web clients decode
  return new TextEncoder().encode(frames.map(toBase64).join(""));
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
