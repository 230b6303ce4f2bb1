/**
 * {@linkcode WorkerStore}: a store of the contract (`protocol/store.ts`) whose
 * shards live in another isolate, a Worker (`store_worker.ts`). Every call
 * goes out and every answer comes back as peer-protocol frames
 * (`protocol/peer_frames.ts`), the bytes a remote node will exchange, and
 * every answer is a Promise. It proves the seam: the gateway's whole test
 * suite runs against it (`KVOLT_GATEWAY_STORE=worker`).
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
import type { WorkerInit } from "./store_worker.ts";

/** Options of {@linkcode WorkerStore.start}. */
export interface WorkerStoreOptions {
  /** Shards in the Worker. Default 2. */
  shards?: number;
  /** Budget of each shard, bytes. Default 32 MiB. */
  bytesPerShard?: number;
  /**
   * A clock for the Worker's shards (tests): read before every call and
   * shared with the Worker through shared memory. Default: the Worker's own.
   */
  now?: () => number;
}

interface Pending {
  resolve: (reply: StoreReply) => void;
  reject: (err: unknown) => void;
}

/** Shards in a Worker, behind the store contract. */
export class WorkerStore extends FrameStore {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #clock: Float64Array | undefined;
  readonly #now: (() => number) | undefined;
  #next = 1;
  #closed = false;

  private constructor(worker: Worker, now?: () => number) {
    super();
    this.#worker = worker;
    this.#now = now;
    if (now !== undefined) {
      this.#clock = new Float64Array(new SharedArrayBuffer(8));
    }
    worker.onmessage = (e: MessageEvent<{ id: number; frame: Uint8Array }>) => {
      const pending = this.#pending.get(e.data.id);
      if (pending === undefined) return;
      this.#pending.delete(e.data.id);
      try {
        pending.resolve(decodeReply(e.data.frame));
      } catch (err) {
        pending.reject(err);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.#failAll(`the store's Worker failed: ${e.message}`);
    };
  }

  /** Starts the Worker and waits until its shards are ready. */
  static async start(options: WorkerStoreOptions = {}): Promise<WorkerStore> {
    const worker = new Worker(new URL("./store_worker.ts", import.meta.url), {
      type: "module",
    });
    const store = new WorkerStore(worker, options.now);
    const init: WorkerInit = {
      shards: options.shards ?? 2,
      bytesPerShard: options.bytesPerShard ?? 32 * 1024 * 1024,
      ...(store.#clock ? { clock: store.#clock } : {}),
    };
    const ready = new Promise<void>((resolve, reject) => {
      store.#pending.set(0, {
        resolve: () => resolve(),
        reject,
      });
    });
    worker.postMessage({ id: 0, init });
    await ready;
    return store;
  }

  /** Stops the Worker; calls in flight fail with SERVER_UNAVAILABLE. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    this.#failAll("the store was closed");
  }

  /** Sends one call; the answer comes back by id. */
  protected call(req: StoreRequest): Promise<StoreReply> {
    if (this.#closed) {
      return Promise.reject(unavailable("the store was closed"));
    }
    // the frame is made now: the caller may reuse its buffers at once
    const frame = encodeRequest(req);
    if (this.#clock !== undefined) this.#clock[0] = this.#now!();
    const id = this.#next++;
    return new Promise<StoreReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, frame }, [frame.buffer as ArrayBuffer]);
    });
  }

  #failAll(why: string): void {
    for (const pending of this.#pending.values()) {
      pending.reject(unavailable(why));
    }
    this.#pending.clear();
  }
}
