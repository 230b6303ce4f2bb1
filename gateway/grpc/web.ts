/**
 * grpc-web on the HTTP port: Momento's browser SDK (`@gomomento/sdk-web`)
 * speaks it over HTTP/1.1. A request is one length-prefixed protobuf message
 * (content type `application/grpc-web[+proto]`, or base64 of the same bytes
 * with `application/grpc-web-text[+proto]`); the response is the reply's
 * messages, each length-prefixed, then a trailer frame (flag 0x80) carrying
 * `grpc-status`, `grpc-message` and any error metadata as HTTP/1 header lines.
 *
 * Each call is answered by `calls.ts`, as the gRPC listener's calls are
 * (through the relay channel): one set of handlers, so the transports cannot
 * drift.
 *
 * @module
 */

import { status } from "@grpc/grpc-js";
import type { Answered, GrpcCalls } from "./calls.ts";
import {
  concat,
  GRPC_WEB_BINARY as BINARY,
  GRPC_WEB_TEXT as TEXT,
  refused,
  responseFrames,
} from "./web_frames.ts";

/** What {@linkcode createGrpcWeb} needs. */
export interface GrpcWebOptions {
  /** Largest request message, in bytes (decoded); larger answers RESOURCE_EXHAUSTED. */
  maxMessageBytes: number;
}

/**
 * Builds the grpc-web handler.
 *
 * @param calls what answers a call (`calls.ts`)
 * @param options limits
 * @returns a fetch-style handler for POST requests with a grpc-web content type
 */
export function createGrpcWeb(
  calls: GrpcCalls,
  options: GrpcWebOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const text = (request.headers.get("content-type") ?? "").startsWith(TEXT);
    const answered = await answer(request, text, calls, options);
    return new Response(
      encodeBody(answered, text) as Uint8Array<ArrayBuffer>,
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
  calls: GrpcCalls,
  options: GrpcWebOptions,
): Promise<Answered> {
  // read the body first in every case (HTTP/2 resets unread request bodies)
  let body: Uint8Array;
  try {
    body = await readBody(request, text, options.maxMessageBytes);
  } catch (err) {
    return err as Answered;
  }
  if (request.method !== "POST") {
    return refused(status.UNIMPLEMENTED, "grpc-web needs POST");
  }
  const frame = singleMessage(body);
  if ("trailer" in frame) return frame;
  return await calls(
    new URL(request.url).pathname,
    frame.message,
    metadataOf(request.headers),
  );
}

/** The request's headers as gRPC metadata (text values). */
function metadataOf(headers: Headers): [string, string][] {
  const metadata: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name.endsWith("-bin")) continue;
    metadata.push([name, value]);
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
        throw refused(
          status.RESOURCE_EXHAUSTED,
          `Request too large: the message exceeds ${maxMessageBytes} bytes`,
        );
      }
      chunks.push(chunk);
    }
  }
  const raw = concat(chunks);
  if (!text) return raw;
  try {
    return decodeBase64Chunks(new TextDecoder().decode(raw));
  } catch {
    throw refused(
      status.INVALID_ARGUMENT,
      "Invalid request: grpc-web-text body is not base64",
    );
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
function singleMessage(body: Uint8Array): { message: Uint8Array } | Answered {
  if (body.byteLength < 5) {
    return refused(
      status.INVALID_ARGUMENT,
      "Invalid request: no gRPC message frame",
    );
  }
  if ((body[0]! & 1) !== 0) {
    return refused(
      status.UNIMPLEMENTED,
      "Compressed messages are not supported",
    );
  }
  const length = new DataView(body.buffer, body.byteOffset, 5).getUint32(1);
  if (body.byteLength !== 5 + length) {
    return refused(
      status.INVALID_ARGUMENT,
      "Invalid request: the frame's length does not match the body",
    );
  }
  return { message: body.subarray(5) };
}

/** Data frames, then the trailer frame; base64 for grpc-web-text. */
function encodeBody(answered: Answered, text: boolean): Uint8Array {
  const frames = responseFrames(answered);
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
