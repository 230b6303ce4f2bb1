/**
 * The node side of the peer protocol: serves a store to other processes
 * (gateways, other nodes) over TCP or TLS, one envelope per call
 * (`protocol/envelope.ts`), answered in the order received. Calls on one connection may
 * be pipelined; a store's Promise answers are awaited in order.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  decodeRequest,
  encodeReply,
  type StoreReply,
} from "../protocol/peer_frames.ts";
import type { MaybePromise, Store } from "../protocol/store.ts";
import { envelope, EnvelopeReader, writeAll } from "../protocol/envelope.ts";
import { concatBytes } from "../protocol/bytes.ts";

/** A running peer server. */
export interface PeerServer {
  /** The address it listens on. */
  addr: Deno.NetAddr;
  /** Stops accepting, closes every connection, and waits for them. */
  close(): Promise<void>;
}

/**
 * Serves `store` on `listener` until closed.
 *
 * @param listener a TCP or TLS listener
 * @param store the store to serve
 * @param replicas the store `replicate` calls go to (a primary's writes for
 * this node as a replica; default `store`)
 * @param moves what answers `begin` (a slot move toward this node); none:
 * refused
 * @returns the server
 */
export function servePeer(
  listener: Deno.Listener,
  store: Store,
  replicas: Store = store,
  moves?: MoveReceiver,
): PeerServer {
  const sides: Sides = { store, replicas, moves };
  const conns = new Set<Deno.Conn>();
  const done: Promise<void>[] = [];
  const accepting = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // closed
      }
      conns.add(conn);
      done.push(
        serveConn(conn, sides).finally(() => conns.delete(conn)),
      );
    }
  })();
  return {
    addr: listener.addr as Deno.NetAddr,
    async close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      await accepting;
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      await Promise.allSettled(done);
    },
  };
}

/** A node's side of a slot move (`slot_mover.ts`). */
export interface MoveReceiver {
  /**
   * Waits for topology `version`, checks this node is pending for every
   * slot, and drops what it holds of them.
   */
  begin(slots: readonly number[], version: number): Promise<void>;
}

interface Sides {
  store: Store;
  replicas: Store;
  moves: MoveReceiver | undefined;
}

/** Answers one call; never throws a KvoltError (it is the answer). */
function answer(
  { store, replicas, moves }: Sides,
  payload: Uint8Array,
): MaybePromise<Uint8Array> {
  let reply: MaybePromise<StoreReply>;
  try {
    const req = decodeRequest(payload);
    if (req.kind === "begin") {
      if (moves === undefined) {
        throw new KvoltError(
          ErrorCode.INVALID_ARGUMENT,
          "This peer takes no slot moves",
        );
      }
      reply = moves.begin(req.slots, req.version).then(() => ({
        kind: "done",
      }));
    } else if (req.kind === "execute" || req.kind === "replicate") {
      const to = req.kind === "execute" ? store : replicas;
      reply = then(
        to.execute(req.cacheId, req.op, req.args as never),
        (value) => ({ kind: "result", op: req.op, value }),
      );
    } else if (req.kind === "getMany") {
      reply = then(
        store.getMany(req.cacheId, req.keys),
        (values) => ({ kind: "values", values }),
      );
    } else {
      reply = then(
        store.flush(req.cacheId),
        () => ({ kind: "done" }),
      );
    }
  } catch (err) {
    reply = failed(err);
  }
  // encoded at once: a synchronous store's views are valid until its next call
  if (!(reply instanceof Promise)) return encodeReply(reply);
  return reply.catch(failed).then(encodeReply);
}

function failed(err: unknown): StoreReply {
  if (err instanceof KvoltError) return { kind: "error", error: err };
  throw err;
}

function then<T, R>(value: MaybePromise<T>, f: (v: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

async function serveConn(conn: Deno.Conn, sides: Sides): Promise<void> {
  const reader = new EnvelopeReader();
  if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
  // answers of one read are written together, after those before them
  let writing: Promise<void> = Promise.resolve();
  const buffer = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      const chunk = buffer.slice(0, n);
      const parts: MaybePromise<Uint8Array>[] = [];
      for (const { id, payload } of reader.push(chunk)) {
        const out = answer(sides, payload);
        parts.push(
          out instanceof Promise
            ? out.then((p) => envelope(id, p))
            : envelope(id, out),
        );
      }
      if (parts.length === 0) continue;
      const previous = writing;
      writing = (async () => {
        const envelopes = await Promise.all(parts);
        await previous;
        // one write (the whole buffer: conn.write may take part of it)
        await writeAll(conn, concatBytes(envelopes));
      })();
    }
    await writing;
  } catch (err) {
    if (!(err instanceof Deno.errors.BadResource) && !isReset(err)) {
      console.error("peer connection failed:", err);
    }
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

function isReset(err: unknown): boolean {
  return err instanceof Deno.errors.ConnectionReset ||
    err instanceof Deno.errors.BrokenPipe ||
    err instanceof Deno.errors.Interrupted;
}
