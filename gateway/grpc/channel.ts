/**
 * The relay channel: how the gRPC listener's relay process (`relay.ts`)
 * hands each call to this process over loopback TCP, many calls in flight
 * on one connection. It replaces one HTTP request per call (fetch in the
 * relay, `Deno.serve` here), which cost more CPU than the call itself.
 *
 * Messages are envelopes (`protocol/envelope.ts`, the peer protocol's
 * framing: length, id, payload). A call's payload is the method's path
 * (u16 length + UTF-8), the metadata (u16 count; each name as u16 length +
 * bytes, value as u32 length + bytes; text values only), then the request
 * message (the rest); its answer's payload is a grpc-web response body
 * (`web_frames.ts`: each message a frame, then the trailer frame).
 *
 * Answers come in any order. A malformed call, or one larger than the
 * largest message allows, closes the connection. This module is the serving
 * process's end and the codec; the relay's end is `channel_client.ts`.
 * Neither loads grpc-js: the serving process loads the gRPC stack only once
 * a call comes (`cli/grpc_front.ts`).
 *
 * @module
 */

import { envelope, EnvelopeReader, writeAll } from "../../protocol/envelope.ts";
import type { GrpcCalls } from "./calls.ts";
import { concat, responseFrames } from "./web_frames.ts";

/** Room in a call besides its message: path and metadata. */
const CALL_OVERHEAD_BYTES = 1024 * 1024;

/** A call as the relay sends it. */
export interface ChannelCall {
  path: string;
  metadata: readonly [string, string][];
  message: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One call's payload.
 *
 * @param call path, metadata, message
 */
export function encodeCall(call: ChannelCall): Uint8Array {
  const path = encoder.encode(call.path);
  const head = new Uint8Array(2 + path.byteLength + 2);
  const view = new DataView(head.buffer);
  view.setUint16(0, path.byteLength);
  head.set(path, 2);
  view.setUint16(2 + path.byteLength, call.metadata.length);
  const parts: Uint8Array[] = [head];
  for (const [name, value] of call.metadata) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    const entry = new Uint8Array(2 + n.byteLength + 4 + v.byteLength);
    const ev = new DataView(entry.buffer);
    ev.setUint16(0, n.byteLength);
    entry.set(n, 2);
    ev.setUint32(2 + n.byteLength, v.byteLength);
    entry.set(v, 6 + n.byteLength);
    parts.push(entry);
  }
  parts.push(call.message);
  return concat(parts);
}

/**
 * Reads a call's payload.
 *
 * @param body the payload
 * @returns the call, or undefined when it is malformed
 */
export function decodeCall(body: Uint8Array): ChannelCall | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const take = (n: number) => {
    if (at + n > body.byteLength) throw new RangeError("short frame");
    const out = body.subarray(at, at + n);
    at += n;
    return out;
  };
  const u16 = () => view.getUint16((take(2), at - 2));
  const u32 = () => view.getUint32((take(4), at - 4));
  try {
    const path = decoder.decode(take(u16()));
    const metadata: [string, string][] = [];
    for (let n = u16(); n > 0; n--) {
      const name = decoder.decode(take(u16()));
      metadata.push([name, decoder.decode(take(u32()))]);
    }
    return { path, metadata, message: body.subarray(at) };
  } catch {
    return undefined;
  }
}

/**
 * Writes envelopes in order; those queued in one turn, or while a write
 * runs, leave together in one write. A failed write closes the connection.
 */
export class EnvelopeWriter {
  readonly #conn: Deno.Conn;
  #queue: Uint8Array[] = [];
  #writing: Promise<void> = Promise.resolve();

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /**
   * Queues one envelope.
   *
   * @param id its id
   * @param payload its payload
   */
  send(id: number, payload: Uint8Array): void {
    if (this.#queue.push(envelope(id, payload)) > 1) return;
    this.#writing = this.#writing.then(() => {
      const bytes = concat(this.#queue);
      this.#queue = [];
      return writeAll(this.#conn, bytes);
    }).catch(() => {
      try {
        this.#conn.close();
      } catch { /* closed */ }
    });
  }
}

/**
 * Calls `onEnvelope` for each envelope that arrives on `conn` until it
 * closes (or `onEnvelope` throws).
 */
export async function readEnvelopes(
  conn: Deno.Conn,
  onEnvelope: (id: number, payload: Uint8Array) => void,
): Promise<void> {
  const reader = new EnvelopeReader();
  const buffer = new Uint8Array(256 * 1024);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) return;
    for (const { id, payload } of reader.push(buffer.subarray(0, n))) {
      onEnvelope(id, payload);
    }
  }
}

/** The relay channel's listener in the serving process. */
export interface ChannelServer {
  port: number;
  /** Stops accepting and closes every connection. */
  close(): void;
}

/**
 * Answers relay channel calls on a loopback port.
 *
 * @param calls what answers a call (`calls.ts`)
 * @param maxMessageBytes the largest request message
 */
export function serveChannel(
  calls: GrpcCalls,
  maxMessageBytes: number,
): ChannelServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const serveConn = async (conn: Deno.Conn) => {
    (conn as Deno.TcpConn).setNoDelay(true);
    const out = new EnvelopeWriter(conn);
    await readEnvelopes(conn, (id, payload) => {
      const call = payload.byteLength <= maxMessageBytes + CALL_OVERHEAD_BYTES
        ? decodeCall(payload)
        : undefined;
      if (call === undefined) throw new RangeError("malformed call");
      calls(call.path, call.message, call.metadata).then((answer) =>
        out.send(id, concat(responseFrames(answer)))
      );
    });
  };
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      serveConn(conn).catch(() => {/* a malformed frame, a reset */})
        .finally(() => {
          open.delete(conn);
          try {
            conn.close();
          } catch { /* closed */ }
        });
    }
  })().catch(() => {/* listener closed */});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close: () => {
      try {
        listener.close();
      } catch { /* closed */ }
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
    },
  };
}
