/**
 * Envelopes on a byte stream (TCP or TLS), the framing of the peer protocol
 * (`peer/`) and of the gRPC relay channel (`gateway/grpc/channel.ts`): every
 * message is one envelope
 *
 * ```
 * u32 LE  length of what follows (4 + payload bytes), at most MAX_ENVELOPE
 * u32 LE  request id, chosen by the caller; the answer carries the same id
 * ...     payload: a request or its answer (for the peer protocol, frames of
 *         protocol/peer_frames.ts)
 * ```
 *
 * A connection carries many requests at once (pipelining): the caller sends
 * without waiting and matches answers by id.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";

/** Largest envelope: a 5 MiB item, its key and the frame around it, with room. */
export const MAX_ENVELOPE = 64 * 1024 * 1024;

/** One message: its request id and payload. */
export interface Envelope {
  id: number;
  payload: Uint8Array;
}

/**
 * The bytes of one envelope.
 *
 * @param id the request id (u32)
 * @param payload the frame
 * @returns length, id and payload
 */
export function envelope(id: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 4 + payload.length, true);
  view.setUint32(4, id, true);
  out.set(payload, 8);
  return out;
}

/**
 * Cuts a byte stream into envelopes.
 *
 * @example
 * ```ts
 * import { EnvelopeReader, envelope } from "./envelope.ts";
 * const reader = new EnvelopeReader();
 * const bytes = envelope(9, Uint8Array.of(1, 2));
 * const got = [...reader.push(bytes.subarray(0, 5)), ...reader.push(bytes.subarray(5))];
 * if (got.length !== 1 || got[0]!.id !== 9 || got[0]!.payload.length !== 2) throw new Error();
 * ```
 */
export class EnvelopeReader {
  #buf = new Uint8Array(0);

  /**
   * Adds bytes read from the stream.
   *
   * @param chunk the bytes
   * @returns every envelope now complete, in order
   * @throws {KvoltError} INTERNAL_SERVER_ERROR for a length out of bounds
   */
  push(chunk: Uint8Array): Envelope[] {
    let buf: Uint8Array;
    if (this.#buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.#buf.length + chunk.length);
      buf.set(this.#buf);
      buf.set(chunk, this.#buf.length);
    }
    const out: Envelope[] = [];
    let at = 0;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (buf.length - at >= 4) {
      const length = view.getUint32(at, true);
      if (length < 4 || length > MAX_ENVELOPE) {
        throw new KvoltError(
          ErrorCode.INTERNAL_SERVER,
          `Cannot read an envelope: length ${length} out of bounds`,
        );
      }
      if (buf.length - at - 4 < length) break;
      const id = view.getUint32(at + 4, true);
      // a copy: the payload outlives the read buffer
      out.push({ id, payload: buf.slice(at + 8, at + 4 + length) });
      at += 4 + length;
    }
    this.#buf = at === buf.length ? new Uint8Array(0) : buf.slice(at);
    return out;
  }

  /** Bytes of an envelope begun but not complete. */
  get pending(): number {
    return this.#buf.length;
  }
}

/** Writes every byte (`Conn.write` may write fewer than asked). */
export async function writeAll(
  conn: Deno.Conn,
  bytes: Uint8Array,
): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    at += await conn.write(bytes.subarray(at));
  }
}
