/**
 * The relay channel: how the gRPC listener's relay process (`relay.ts`)
 * hands each call to this process over loopback TCP, many calls in flight
 * on one connection. It replaces one HTTP request per call (fetch in the
 * relay, `Deno.serve` here), which cost more CPU than the call itself.
 *
 * Every frame is a 32-bit big-endian length, then that many bytes:
 * - a call: id (u32), the method's path (u16 length + UTF-8), the metadata
 *   (u16 count; each name as u16 length + bytes, value as u32 length +
 *   bytes; text values only), then the request message (the rest);
 * - its answer: the same id (u32), then the answer as a grpc-web response
 *   body (`web_frames.ts`: each message a frame, then the trailer frame).
 *
 * Answers come in any order. Each side checks every length against the
 * frame it sits in; a malformed frame closes the connection. This module is
 * the serving process's end and the codec; the relay's end is
 * `channel_client.ts`. Neither loads grpc-js: the serving process loads the
 * gRPC stack only once a call comes (`cli/grpc_front.ts`).
 *
 * @module
 */

import type { GrpcCalls } from "./calls.ts";
import { concat, responseFrames, type WebResponse } from "./web_frames.ts";

/** Room in a frame besides the message: path, metadata, ids. */
const FRAME_OVERHEAD_BYTES = 1024 * 1024;

/** A call as the relay sends it. */
export interface ChannelCall {
  path: string;
  metadata: readonly [string, string][];
  message: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One call's frame.
 *
 * @param id the call's id on its connection
 * @param call path, metadata, message
 */
export function encodeCall(id: number, call: ChannelCall): Uint8Array {
  const parts: Uint8Array[] = [];
  const path = encoder.encode(call.path);
  const head = new Uint8Array(4 + 4 + 2 + path.byteLength + 2);
  const view = new DataView(head.buffer);
  view.setUint32(4, id);
  view.setUint16(8, path.byteLength);
  head.set(path, 10);
  view.setUint16(10 + path.byteLength, call.metadata.length);
  parts.push(head);
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
  const out = concat(parts);
  new DataView(out.buffer, out.byteOffset).setUint32(0, out.byteLength - 4);
  return out;
}

/**
 * Reads a call frame's body (after its length).
 *
 * @param body the frame, less its length
 * @returns the id and the call, or undefined when it is malformed
 */
export function decodeCall(
  body: Uint8Array,
): { id: number; call: ChannelCall } | undefined {
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
    const id = u32();
    const path = decoder.decode(take(u16()));
    const metadata: [string, string][] = [];
    for (let n = u16(); n > 0; n--) {
      const name = decoder.decode(take(u16()));
      metadata.push([name, decoder.decode(take(u32()))]);
    }
    return { id, call: { path, metadata, message: body.subarray(at) } };
  } catch {
    return undefined;
  }
}

/** An answer's frame: the id, then the grpc-web response body. */
function encodeAnswer(id: number, answer: WebResponse): Uint8Array {
  const frames = responseFrames(answer);
  const out = concat([new Uint8Array(8), ...frames]);
  const view = new DataView(out.buffer, out.byteOffset);
  view.setUint32(0, out.byteLength - 4);
  view.setUint32(4, id);
  return out;
}

/**
 * Calls each time a whole frame has arrived on `conn`, until it closes.
 *
 * @param conn the connection
 * @param maxFrameBytes larger frames close the connection
 * @param onFrame the frame, less its length
 */
export async function readFrames(
  conn: Deno.Conn,
  maxFrameBytes: number,
  onFrame: (body: Uint8Array) => void,
): Promise<void> {
  let buffered: Uint8Array = new Uint8Array(0);
  const chunk = new Uint8Array(256 * 1024);
  for (;;) {
    const n = await conn.read(chunk);
    if (n === null) return;
    buffered = buffered.byteLength === 0
      ? chunk.slice(0, n)
      : concat([buffered, chunk.subarray(0, n)]);
    let at = 0;
    while (buffered.byteLength - at >= 4) {
      const length = new DataView(buffered.buffer, buffered.byteOffset + at)
        .getUint32(0);
      if (length > maxFrameBytes) throw new RangeError("frame too large");
      if (buffered.byteLength - at - 4 < length) break;
      onFrame(buffered.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    buffered = at === buffered.byteLength
      ? new Uint8Array(0)
      : buffered.subarray(at);
  }
}

/**
 * Writes frames in order; frames queued while a write runs leave together
 * in the next one.
 */
export class FrameWriter {
  readonly #conn: Deno.Conn;
  #queue: Uint8Array[] = [];
  #writing = false;
  #failed = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  push(frame: Uint8Array): void {
    if (this.#failed) return;
    this.#queue.push(frame);
    if (!this.#writing) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        let bytes = concat(this.#queue);
        this.#queue = [];
        while (bytes.byteLength > 0) {
          bytes = bytes.subarray(await this.#conn.write(bytes));
        }
      }
    } catch {
      this.#failed = true;
      this.#queue = [];
      try {
        this.#conn.close();
      } catch { /* closed */ }
    } finally {
      this.#writing = false;
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
    const out = new FrameWriter(conn);
    await readFrames(conn, maxMessageBytes + FRAME_OVERHEAD_BYTES, (body) => {
      const decoded = decodeCall(body);
      if (decoded === undefined) throw new RangeError("malformed call");
      const { id, call } = decoded;
      calls(call.path, call.message, call.metadata).then((answer) =>
        out.push(encodeAnswer(id, answer))
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
