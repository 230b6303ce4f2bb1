/**
 * {@linkcode PeerStore}: a store of the contract (`protocol/store.ts`) on
 * another process, reached over one persistent TCP or TLS connection in the
 * peer protocol (`protocol/envelope.ts`, `protocol/peer_frames.ts`). Calls are pipelined:
 * each goes out at once with its own request id; the calls made in one turn
 * of the event loop leave in one write. Every answer is a Promise.
 *
 * Reads of one cache made in one turn (concurrent GETs of many clients) go
 * as one `getMany` frame, so the far side answers them with one batch call
 * into its core; any other call first sends the reads queued before it, so
 * calls still leave in the order they were made.
 *
 * A lost connection fails the calls in flight with SERVER_UNAVAILABLE (the
 * caller decides whether to retry: only it knows whether the call is
 * idempotent); the next call reconnects.
 *
 * @module
 */

import {
  decodeReply,
  encodeRequest,
  type StoreReply,
  type StoreRequest,
} from "../protocol/peer_frames.ts";
import { FrameStore, unavailable } from "./frame_store.ts";
import type { ReadResult } from "../protocol/store.ts";
import { concatBytes } from "../protocol/bytes.ts";
import { envelope, EnvelopeReader, writeAll } from "../protocol/envelope.ts";

/** Where a {@linkcode PeerStore} connects. */
export interface PeerAddress {
  hostname: string;
  port: number;
  /** PEM CA certificates: connect with TLS, trusting them. */
  caCerts?: string[];
}

interface Pending {
  resolve: (reply: StoreReply) => void;
  reject: (err: unknown) => void;
  /** The connection it went out on, once written. */
  on?: Connection;
}

interface Connection {
  conn: Deno.Conn;
  /** The writes so far, in order: each starts when the one before ended. */
  writing: Promise<void>;
}

/** A store in another process. */
export class PeerStore extends FrameStore {
  readonly #address: PeerAddress;
  readonly #pending = new Map<number, Pending>();
  #connection: Promise<Connection> | undefined;
  #current: Connection | undefined;
  #queue: Uint8Array[] = [];
  #queued: number[] = [];
  #next = 1;
  #closed = false;
  #reads = new Map<
    number,
    {
      keys: Uint8Array[];
      waiters: {
        at: number;
        n: number;
        resolve(values: readonly ReadResult[]): void;
        reject(err: unknown): void;
      }[];
    }
  >();

  /** @param address the peer's address */
  constructor(address: PeerAddress) {
    super();
    this.#address = address;
  }

  /** Closes the connection; calls in flight fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    this.#failAll("the peer store was closed");
    if (connection !== undefined) {
      try {
        (await connection).conn.close();
      } catch { /* never opened, or already closed */ }
    }
  }

  /** Reads of one cache, gathered during this turn (see the module doc). */
  override getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): Promise<readonly ReadResult[]> {
    let batch = this.#reads.get(cacheId);
    if (batch === undefined) {
      batch = { keys: [], waiters: [] };
      this.#reads.set(cacheId, batch);
      if (this.#reads.size === 1) queueMicrotask(() => this.#sendReads());
    }
    const at = batch.keys.length;
    // copied: the caller may reuse its buffers once this returns
    for (const key of keys) batch.keys.push(key.slice());
    return new Promise((resolve, reject) => {
      batch.waiters.push({ at, n: keys.length, resolve, reject });
    });
  }

  /** Sends the reads gathered so far, one frame per cache. */
  #sendReads(): void {
    if (this.#reads.size === 0) return;
    const reads = this.#reads;
    this.#reads = new Map();
    for (const [cacheId, { keys, waiters }] of reads) {
      super.getMany(cacheId, keys).then(
        (values) => {
          for (const w of waiters) w.resolve(values.slice(w.at, w.at + w.n));
        },
        (err) => {
          for (const w of waiters) w.reject(err);
        },
      );
    }
  }

  /** Sends one call; the answer comes back by id. */
  protected call(req: StoreRequest): Promise<StoreReply> {
    // reads queued before this call leave before it
    if (req.kind !== "getMany") this.#sendReads();
    if (this.#closed) {
      return Promise.reject(unavailable("the peer store was closed"));
    }
    const id = this.#next;
    this.#next = (this.#next % 0xffff_ffff) + 1;
    // encoded now: the caller may reuse its buffers once this returns
    const bytes = envelope(id, encodeRequest(req));
    const answer = new Promise<StoreReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#queued.push(id);
    if (this.#queue.push(bytes) === 1) queueMicrotask(() => this.#send());
    return answer;
  }

  /** Writes every call queued this turn in one write. */
  async #send(): Promise<void> {
    const bytes = concatBytes(this.#queue);
    const ids = this.#queued;
    this.#queue = [];
    this.#queued = [];
    let connection: Connection | undefined;
    try {
      connection = await this.#connect();
      for (const id of ids) {
        const pending = this.#pending.get(id);
        if (pending !== undefined) pending.on = connection;
      }
      const c = connection;
      c.writing = c.writing.then(() => writeAll(c.conn, bytes));
      await c.writing;
    } catch (err) {
      if (connection !== undefined) this.#lost(connection, err);
      else this.#failAll(`cannot connect to the peer: ${messageOf(err)}`, ids);
    }
  }

  #connect(): Promise<Connection> {
    this.#connection ??= this.#open().catch((err) => {
      this.#connection = undefined;
      throw err;
    });
    return this.#connection;
  }

  async #open(): Promise<Connection> {
    const { hostname, port, caCerts } = this.#address;
    const conn = caCerts
      ? await Deno.connectTls({ hostname, port, caCerts })
      : await Deno.connect({ hostname, port });
    if ("setNoDelay" in conn) conn.setNoDelay(true);
    const connection: Connection = { conn, writing: Promise.resolve() };
    this.#current = connection;
    this.#read(connection);
    return connection;
  }

  async #read(connection: Connection): Promise<void> {
    const reader = new EnvelopeReader();
    // conn.read into one buffer: a ReadableStream costs a round trip ~100 us
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await connection.conn.read(buffer);
        if (n === null) break;
        // a copy: decoded answers are views of it
        const chunk = buffer.slice(0, n);
        for (const { id, payload } of reader.push(chunk)) {
          const pending = this.#pending.get(id);
          if (pending === undefined) continue;
          this.#pending.delete(id);
          try {
            pending.resolve(decodeReply(payload));
          } catch (err) {
            pending.reject(err);
          }
        }
      }
      this.#lost(connection, new Error("the peer closed the connection"));
    } catch (err) {
      this.#lost(connection, err);
    }
  }

  /** Fails the calls that went out on a connection now lost. */
  #lost(connection: Connection, err: unknown): void {
    if (this.#current === connection) {
      this.#connection = undefined;
      this.#current = undefined;
    }
    const ids = [...this.#pending].filter(([, p]) => p.on === connection)
      .map(([id]) => id);
    this.#failAll(`the connection to the peer failed: ${messageOf(err)}`, ids);
  }

  /** Fails the calls `ids` (default: every call in flight). */
  #failAll(why: string, ids: Iterable<number> = [...this.#pending.keys()]) {
    for (const id of ids) {
      const pending = this.#pending.get(id);
      if (pending === undefined) continue;
      this.#pending.delete(id);
      pending.reject(unavailable(why));
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
