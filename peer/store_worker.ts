/**
 * The Worker side of {@linkcode WorkerStore} (`worker_store.ts`): a
 * `ShardHost` that answers peer-protocol frames. The first message is
 * `{id: 0, init}`; every later one is `{id, frame}` and is answered with
 * `{id, frame}`, in order.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  decodeRequest,
  encodeReply,
  type StoreReply,
} from "../protocol/peer_frames.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";

/** How the Worker's shards are made. */
export interface WorkerInit {
  shards: number;
  bytesPerShard: number;
  /** Shared clock (ms) written by the other side before each call. */
  clock?: Float64Array;
}

/** Answers one frame from the host's shards. */
export function answer(host: ShardHost, frame: Uint8Array): Uint8Array {
  let reply: StoreReply;
  try {
    const req = decodeRequest(frame);
    if (req.kind === "execute") {
      reply = {
        kind: "result",
        op: req.op,
        value: host.execute(req.cacheId, req.op, req.args as never),
      };
    } else if (req.kind === "getMany") {
      reply = { kind: "values", values: host.getMany(req.cacheId, req.keys) };
    } else if (req.kind === "flush") {
      host.flush(req.cacheId);
      reply = { kind: "done" };
    } else {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        `A worker's shards are not a cluster node: no ${req.kind} call`,
      );
    }
  } catch (err) {
    if (!(err instanceof KvoltError)) throw err;
    reply = { kind: "error", error: err };
  }
  // encoded before the next call: views of the shards are still valid
  return encodeReply(reply);
}

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

if (
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined"
) {
  const scope = globalThis as unknown as WorkerScope;
  let host: ShardHost | undefined;
  scope.onmessage = async (e: MessageEvent) => {
    const { id, init, frame } = e.data as {
      id: number;
      init?: WorkerInit;
      frame?: Uint8Array;
    };
    if (init !== undefined) {
      const clock = init.clock;
      host = await ShardHost.create({
        shards: init.shards,
        bytesPerShard: init.bytesPerShard,
        sweepEveryMs: 0,
        ...(clock ? { now: () => clock[0]! } : {}),
      });
      scope.postMessage({
        id,
        frame: encodeReply({ kind: "done" }),
      });
      return;
    }
    const out = answer(host!, frame!);
    scope.postMessage({ id, frame: out }, [out.buffer as ArrayBuffer]);
  };
}
