/**
 * {@linkcode FrameStore}: the store contract (`protocol/store.ts`) on top of
 * one method that sends a call as a peer frame and resolves with the answer.
 * `WorkerStore` (a Worker) and `PeerStore` (TCP/TLS) are its transports.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/operations.ts";
import type { StoreReply, StoreRequest } from "../protocol/peer_frames.ts";
import type { ReadResult, Store } from "../protocol/store.ts";

/** A store reached by sending peer frames; every answer is a Promise. */
export abstract class FrameStore implements Store {
  /**
   * Sends one call and resolves with its answer, or rejects with the error
   * it carried or SERVER_UNAVAILABLE.
   */
  protected abstract call(req: StoreRequest): Promise<StoreReply>;

  /** Runs one operation on the far side. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): Promise<OpResult<K>> {
    return this.#answer({ kind: "execute", cacheId, op, args }).then((r) =>
      r.kind === "result" && r.op === op ? r.value as OpResult<K> : unexpected()
    );
  }

  /**
   * Applies a primary's write on the far side, as a replica of the keys'
   * slots (not only as their primary).
   */
  replicate<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): Promise<OpResult<K>> {
    return this.#answer({ kind: "replicate", cacheId, op, args }).then((r) =>
      r.kind === "result" && r.op === op ? r.value as OpResult<K> : unexpected()
    );
  }

  /**
   * Starts a slot move toward the far side: it waits for topology
   * `version` and drops what it holds of `slots` (`slot_mover.ts`).
   */
  beginMove(slots: readonly number[], version: number): Promise<void> {
    return this.#answer({ kind: "begin", version, slots }).then((r) =>
      r.kind === "done" ? undefined : unexpected()
    );
  }

  /** Reads keys on the far side. */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): Promise<readonly ReadResult[]> {
    return this.#answer({ kind: "getMany", cacheId, keys }).then((r) =>
      r.kind === "values" ? r.values : unexpected()
    );
  }

  /** Flushes a cache on the far side. */
  flush(cacheId: number): Promise<void> {
    return this.#answer({ kind: "flush", cacheId }).then((r) =>
      r.kind === "done" ? undefined : unexpected()
    );
  }

  #answer(req: StoreRequest): Promise<StoreReply> {
    return this.call(req).then((reply) => {
      if (reply.kind === "error") throw reply.error;
      return reply;
    });
  }
}

/**
 * The error of a call that cannot reach its store.
 *
 * @param why what happened, after "Cannot reach the store: "
 * @returns SERVER_UNAVAILABLE
 */
export function unavailable(why: string): KvoltError {
  return new UnreachableError(why);
}

/**
 * A store that cannot be reached (connection refused, lost, or closed):
 * SERVER_UNAVAILABLE to a client; a cluster's routing waits for the
 * topology that replaces the node, then runs a call that is safe to run
 * again.
 */
export class UnreachableError extends KvoltError {
  /** @param why what happened, after "Cannot reach the store: " */
  constructor(why: string) {
    super(ErrorCode.SERVER_UNAVAILABLE, `Cannot reach the store: ${why}`);
    this.name = "UnreachableError";
  }
}

function unexpected(): never {
  throw new KvoltError(
    ErrorCode.INTERNAL_SERVER,
    "The store answered a call with an answer of another kind",
  );
}
