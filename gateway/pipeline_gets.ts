/**
 * {@linkcode GetRun}: the `get` entries of a pipeline, served in batches.
 *
 * Each `get` entry goes through the steps of `runOp` on its own, in order
 * (shape, limits, permission, cache: its errors are its own); its rate
 * limit and store call wait for the flush. The pipeline flushes the run
 * before any other entry runs, so everything keeps its order (a get after a
 * set of the same key sees the set). At the flush:
 *
 * - Rate limits: the admitted gets of each cache are taken at once with
 *   `takeAll` when the buckets hold their sum (then `take` one by one would
 *   have let each through: refusals are the same); otherwise one by one, in
 *   order, exactly as `runOp` does. Entries refused before the rate limit
 *   take nothing, as in `runOp`. Only the refill earned during the run's own
 *   few microseconds differs.
 * - Store: one `getMany` per cache, the store's one read path (`ShardHost`
 *   crosses into the Wasm core once per shard and chunk). Reads change
 *   nothing a client sees, so deferring them is safe. The values of a
 *   synchronous answer may be views the store reuses at its next call: they
 *   are copied into the run's value buffer at once.
 *
 * Keys of short ASCII `key` strings come from the gateway's key arena
 * (`key_arena.ts`) instead of one `Uint8Array` each (each costs Deno an
 * off-heap allocation); its bytes are never rewritten, so a store may keep a
 * key.
 *
 * @module
 */

import type { TokenClaims } from "../protocol/claims.ts";
import { errorBody } from "../protocol/errors.ts";
import type { ReadResult } from "../protocol/store.ts";
import type { OpArgs } from "../protocol/operations.ts";
import { parseOpArgs } from "./json_api_args.ts";
import { arenaKey } from "./key_arena.ts";
import { kvoltErrorOf } from "./http_errors.ts";
import { admitOp, opElements, type OpRunContext } from "./json_api_run.ts";

/** Values copied out of a synchronous answer go into chunks of this size. */
const VALUE_CHUNK = 64 * 1024;
const MISS_JSON = '{"type":"Miss"}';

/**
 * Each entry's answer: JSON text, or the value of a get's Hit (written out
 * by `JsonOut.hit`).
 */
export type EntryAnswers = (string | Uint8Array)[];

/**
 * A pipeline entry's error as its JSON answer (an unexpected error is logged
 * and answered as INTERNAL_SERVER_ERROR).
 *
 * @param err whatever the entry threw
 * @returns `{"error":{...}}` as JSON text
 */
export function errorJson(err: unknown): string {
  return JSON.stringify(errorBody(kvoltErrorOf(err, " in a pipeline")));
}

/**
 * Collects admitted `get` entries and serves them in a batch on
 * {@linkcode GetRun.flush}.
 */
export class GetRun {
  readonly #ctx: OpRunContext;
  readonly #claims: TokenClaims;
  readonly #bytes: number;
  #slots: number[] = [];
  #names: string[] = [];
  #cacheIds: number[] = [];
  #keys: Uint8Array[] = [];
  #elements: number[] = [];
  #values = new Uint8Array(0);
  #valuesAt = 0;

  /**
   * @param ctx store, registry, limits and limiter
   * @param claims the caller's verified claims
   * @param bytes what each entry counts against the throughput limit (the
   * pipeline's share)
   */
  constructor(ctx: OpRunContext, claims: TokenClaims, bytes: number) {
    this.#ctx = ctx;
    this.#claims = claims;
    this.#bytes = bytes;
  }

  /** Number of gets waiting for {@linkcode GetRun.flush}. */
  get pending(): number {
    return this.#slots.length;
  }

  /**
   * Runs every step of a `get` but the store call, which waits for the
   * flush; `slot` is where the flush puts its answer.
   *
   * @throws {KvoltError} as `runOp` does before its store call
   */
  add(slot: number, cacheName: string, json: unknown): void {
    const args = this.#arenaArgs(json) ?? parseOpArgs("get", json);
    const cacheId = admitOp(this.#ctx, this.#claims, cacheName, "get", args);
    this.#slots.push(slot);
    this.#names.push(cacheName);
    this.#cacheIds.push(cacheId);
    this.#keys.push(args.key);
    this.#elements.push(opElements("get", args));
  }

  /**
   * Reads every pending get and puts each answer at its slot.
   *
   * @param answers the pipeline's answers, by entry
   * @returns a Promise when the store answered with one, else undefined
   */
  flush(answers: EntryAnswers): Promise<void> | undefined {
    const n = this.#slots.length;
    if (n === 0) return undefined;
    const slots = this.#slots;
    const ids = this.#cacheIds;
    const keys = this.#keys;
    const refused = this.#rateLimit(answers);
    this.#slots = [];
    this.#names = [];
    this.#cacheIds = [];
    this.#keys = [];
    this.#elements = [];
    // A refused get is no longer pending: NaN matches no cache id.
    for (const i of refused) ids[i] = NaN;
    // One getMany per cache (usually one cache for the whole run).
    const caches: number[] = [];
    for (const id of ids) {
      if (!Number.isNaN(id) && !caches.includes(id)) caches.push(id);
    }
    let pending: Promise<void>[] | undefined;
    for (const id of caches) {
      const picked: number[] = [];
      for (let i = 0; i < n; i++) if (ids[i] === id) picked.push(i);
      const put = (values: readonly ReadResult[], owned: boolean) => {
        for (let j = 0; j < picked.length; j++) {
          const value = values[j];
          answers[slots[picked[j]!]!] = value instanceof Uint8Array
            ? (owned ? value : this.#keep(value))
            : value === undefined
            ? MISS_JSON
            : errorJson(value);
        }
      };
      const fail = (err: unknown) => {
        const json = errorJson(err);
        for (const i of picked) answers[slots[i]!] = json;
      };
      try {
        const values = this.#ctx.store.getMany(id, picked.map((i) => keys[i]!));
        if (values instanceof Promise) {
          (pending ??= []).push(values.then((v) => put(v, true), fail));
        } else put(values, false);
      } catch (err) {
        fail(err);
      }
    }
    return pending && Promise.all(pending).then(() => undefined);
  }

  /** A copy of a value in the run's value buffer (no allocation per value). */
  #keep(value: Uint8Array): Uint8Array {
    const length = value.length;
    if (length > VALUE_CHUNK >> 2) return value.slice();
    if (this.#valuesAt + length > this.#values.length) {
      this.#values = new Uint8Array(VALUE_CHUNK);
      this.#valuesAt = 0;
    }
    const at = this.#valuesAt;
    this.#values.set(value, at);
    this.#valuesAt = at + length;
    return this.#values.subarray(at, at + length);
  }

  /**
   * Takes the pending gets' rate limits (see the module doc); a refused
   * get's answer is its error. Returns the indices of the refused.
   */
  #rateLimit(answers: EntryAnswers): number[] {
    const limiter = this.#ctx.limiter;
    const refused: number[] = [];
    if (limiter === undefined) return refused;
    const names = this.#names;
    const elements = this.#elements;
    const bytes = this.#bytes;
    const n = names.length;
    const done: string[] = [];
    for (let first = 0; first < n; first++) {
      const name = names[first]!;
      if (done.includes(name)) continue;
      done.push(name);
      let ops = 0;
      let count = 0;
      for (let i = first; i < n; i++) {
        if (names[i] === name) {
          ops += elements[i]!;
          count++;
        }
      }
      if (limiter.takeAll(name, ops, count * bytes)) continue;
      for (let i = first; i < n; i++) {
        if (names[i] !== name) continue;
        try {
          limiter.take(name, elements[i]!, bytes);
        } catch (err) {
          answers[this.#slots[i]!] = errorJson(err);
          refused.push(i);
        }
      }
    }
    return refused;
  }

  /**
   * `{ key }` with a short ASCII string key, the key written into the run's
   * buffer; undefined for anything else (`parseOpArgs` then decides). What
   * it accepts, `parseOpArgs` accepts with the same bytes.
   */
  #arenaArgs(json: unknown): OpArgs<"get"> | undefined {
    if (typeof json !== "object" || json === null) return undefined;
    let fields = 0;
    for (const _ in json) fields++;
    if (fields !== 1) return undefined;
    const key = (json as { key?: unknown }).key;
    if (typeof key !== "string") return undefined;
    const bytes = arenaKey(key);
    return bytes === undefined ? undefined : { key: bytes };
  }
}
