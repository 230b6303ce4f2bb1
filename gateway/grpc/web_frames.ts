/**
 * grpc-web's wire: its content types, and its body framing both ways: each message is a frame (flag byte,
 * 32-bit big-endian length, bytes); a response ends with a trailer frame
 * (flag 0x80) whose payload is HTTP/1 header lines: `grpc-status`,
 * `grpc-message` (percent-encoded) and any other trailing metadata. The
 * grpc-web handler (`web.ts`) writes responses; the relay (`relay.ts`)
 * reads them back into a gRPC status.
 *
 * @module
 */

/** The flag of the trailer frame. */
export const TRAILER_FLAG = 0x80;

/** grpc-web's content types (each may end in `+proto`). */
export const GRPC_WEB_TEXT = "application/grpc-web-text";
export const GRPC_WEB_BINARY = "application/grpc-web";

/**
 * True when a request's content type is grpc-web (binary or text).
 *
 * @param contentType the request's `content-type` header
 * @returns whether the grpc-web handler should answer it
 */
export function isGrpcWeb(contentType: string | null): boolean {
  return contentType !== null && contentType.startsWith(GRPC_WEB_BINARY);
}

/** A call's end: its status, and any other trailing metadata (text values). */
export interface Trailer {
  code: number;
  details: string;
  metadata: [string, string][];
}

/** A response body, read: its messages, then its trailer. */
export interface WebResponse {
  messages: Uint8Array[];
  trailer: Trailer;
}

/**
 * One frame.
 *
 * @param flag 0 for a message, {@linkcode TRAILER_FLAG} for the trailer
 * @param payload its bytes
 */
export function frame(flag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.byteLength);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.byteLength);
  out.set(payload, 5);
  return out;
}

/**
 * A status with no reply, for a call refused before it reached a method.
 *
 * @param code the gRPC status
 * @param details its message
 */
export function refused(code: number, details: string): WebResponse {
  return { messages: [], trailer: { code, details, metadata: [] } };
}

/**
 * A response's frames: each message, then the trailer.
 *
 * @param response messages and trailer
 */
export function responseFrames(response: WebResponse): Uint8Array[] {
  return [
    ...response.messages.map((m) => frame(0, m)),
    frame(TRAILER_FLAG, trailerBytes(response.trailer)),
  ];
}

/**
 * The trailer frame's payload.
 *
 * @param trailer status, details and metadata
 */
export function trailerBytes(trailer: Trailer): Uint8Array {
  let text = `grpc-status:${trailer.code}\r\n` +
    `grpc-message:${encodeURIComponent(trailer.details)}\r\n`;
  for (const [name, value] of trailer.metadata) text += `${name}:${value}\r\n`;
  return new TextEncoder().encode(text);
}

/**
 * Reads a binary grpc-web response body.
 *
 * @param body the whole body
 * @returns its messages and trailer, or undefined when it is not a
 * well-formed grpc-web response (no trailer, a cut frame, no status)
 */
export function readWebResponse(body: Uint8Array): WebResponse | undefined {
  const messages: Uint8Array[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at + 5 <= body.byteLength) {
    const flag = body[at]!;
    const end = at + 5 + view.getUint32(at + 1);
    if (end > body.byteLength) return undefined;
    const payload = body.subarray(at + 5, end);
    at = end;
    if ((flag & TRAILER_FLAG) === 0) {
      messages.push(payload);
      continue;
    }
    const trailer = parseTrailer(new TextDecoder().decode(payload));
    return at === body.byteLength && trailer
      ? { messages, trailer }
      : undefined;
  }
  return undefined;
}

function parseTrailer(text: string): Trailer | undefined {
  let code: number | undefined;
  let details = "";
  const metadata: [string, string][] = [];
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "grpc-status") code = Number(value);
    else if (name === "grpc-message") details = decodeDetails(value);
    else metadata.push([name, value]);
  }
  return code === undefined || !Number.isInteger(code)
    ? undefined
    : { code, details, metadata };
}

function decodeDetails(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The parts, back to back.
 *
 * @param parts byte arrays
 */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
