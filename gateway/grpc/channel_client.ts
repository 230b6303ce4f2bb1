/**
 * The relay's end of the relay channel (`channel.ts`): one connection to the
 * serving process, opened on the first call and again after it closes.
 *
 * @module
 */

import { status } from "@grpc/grpc-js";
import {
  type ChannelCall,
  encodeCall,
  EnvelopeWriter,
  readEnvelopes,
} from "./channel.ts";
import { readWebResponse, refused, type WebResponse } from "./web_frames.ts";

/**
 * The relay's end: one connection to the serving process, opened on the
 * first call and again after it closes. Calls in flight when it closes
 * answer UNAVAILABLE.
 */
export class ChannelClient {
  readonly #port: number;
  #conn: Promise<{ conn: Deno.Conn; out: EnvelopeWriter }> | undefined;
  readonly #pending = new Map<number, (answer: WebResponse) => void>();
  #nextId = 0;

  /** @param port the serving process's channel port (loopback) */
  constructor(port: number) {
    this.#port = port;
  }

  /**
   * Sends one call. Never rejects: failures are statuses.
   *
   * @param call path, metadata, message
   */
  async call(call: ChannelCall): Promise<WebResponse> {
    let channel;
    try {
      channel = await (this.#conn ??= this.#connect());
    } catch (err) {
      this.#conn = undefined;
      return unavailable(err);
    }
    const id = this.#nextId = (this.#nextId + 1) >>> 0;
    const answered = new Promise<WebResponse>((resolve) =>
      this.#pending.set(id, resolve)
    );
    channel.out.send(id, encodeCall(call));
    return await answered;
  }

  /** Closes the connection; calls in flight answer UNAVAILABLE. */
  close(): void {
    void this.#conn?.then(({ conn }) => conn.close()).catch(() => {});
  }

  async #connect(): Promise<{ conn: Deno.Conn; out: EnvelopeWriter }> {
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: this.#port,
    });
    conn.setNoDelay(true);
    const channel = { conn, out: new EnvelopeWriter(conn) };
    readEnvelopes(conn, (id, payload) => {
      const answer = readWebResponse(payload) ??
        refused(status.INTERNAL, "Internal error: a malformed answer");
      const resolve = this.#pending.get(id);
      this.#pending.delete(id);
      resolve?.(answer);
    }).catch(() => {/* closed */}).finally(() => {
      this.#conn = undefined;
      try {
        conn.close();
      } catch { /* closed */ }
      const lost = unavailable(new Error("the connection closed"));
      for (const resolve of this.#pending.values()) resolve(lost);
      this.#pending.clear();
    });
    return channel;
  }
}

function unavailable(err: unknown): WebResponse {
  return refused(
    status.UNAVAILABLE,
    `kvolt's serving process did not answer: ${
      err instanceof Error ? err.message : String(err)
    }`,
  );
}
