/**
 * TEST-ONLY helpers for the JSON API's tests: a gateway over this run's
 * store (`backendStore`, so the Momento routes and the JSON API see the same items),
 * and shorthands for calling operations and pipelines.
 *
 * @module
 */

import type { Router } from "../protocol/router.ts";
import type { TokenClaims } from "../protocol/claims.ts";
import type { OpName } from "../protocol/operations.ts";
import { createGateway, type GatewayOptions } from "./app.ts";
import {
  backendStore,
  keyPair,
  MemoryCacheRegistry,
  mintToken,
  readError,
} from "./_test_utils.ts";
import { TokenVerifier } from "./token_verifier.ts";

export { readError };

/** A JSON API gateway over this run's store, with cache "orders". */
export interface JsonGateway {
  app: ReturnType<typeof createGateway>;
  store: Router;
  caches: MemoryCacheRegistry;
  /** A super-user token. */
  token: string;
  /** A token with these permissions. */
  tokenFor(p: TokenClaims["p"]): Promise<string>;
  /** POSTs `body` (JSON-encoded unless a string) to `/v1/cache/{cache}/{op}`. */
  call(op: string, body: unknown, options?: CallOptions): Promise<Response>;
  /** `call`, then the JSON body of a 200 (throws on another status). */
  ok(op: string, body: unknown, options?: CallOptions): Promise<unknown>;
  /** POSTs a pipeline body. */
  pipeline(body: unknown, options?: CallOptions): Promise<Response>;
}

/** Options of one call. */
export interface CallOptions {
  cache?: string;
  token?: string;
  headers?: Record<string, string>;
}

/**
 * Builds a JSON gateway; the store's clock is `now()` when given.
 *
 * @param options gateway options to override
 * @param now the store's clock
 */
export async function jsonGateway(
  options: Partial<GatewayOptions> = {},
  now?: () => number,
): Promise<JsonGateway> {
  const keys = await keyPair();
  const store = await backendStore(now);
  const caches = new MemoryCacheRegistry();
  await caches.create("orders");
  const verifier = new TokenVerifier(keys.publicKey);
  const app = createGateway({ store, caches, verifier, ...options });
  const token = await mintToken(keys.privateKey);
  const post = async (path: string, body: unknown, o: CallOptions = {}) =>
    await app.request(path, {
      method: "POST",
      headers: { authorization: o.token ?? token, ...o.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const call = (op: string, body: unknown, o: CallOptions = {}) =>
    post(`/v1/cache/${o.cache ?? "orders"}/${op}`, body, o);
  return {
    app,
    store,
    caches,
    token,
    tokenFor: (p) => mintToken(keys.privateKey, { p }),
    call,
    async ok(op, body, o) {
      const res = await call(op, body, o);
      const text = await res.text();
      if (res.status !== 200) {
        throw new Error(`${op}: expected 200: received ${res.status} ${text}`);
      }
      return JSON.parse(text);
    },
    pipeline: (body, o) => post("/v1/pipeline", body, o),
  };
}

const TTL = 60_000;
const HASH = { base64: "AAAAAAAAAAA=" };

/**
 * Valid JSON arguments for every operation, on item `key` (for sortedSet
 * union, also `${key}-src`).
 *
 * @param key the item's key
 * @returns arguments by operation name
 */
export function sampleArgs(
  key: string,
): Record<OpName, Record<string, unknown>> {
  const kvt = { key, value: "v", ttlMs: TTL };
  return {
    get: { key },
    getWithHash: { key },
    set: kvt,
    setWithHash: kvt,
    delete: { key },
    getAndDelete: { key },
    setIfAbsent: kvt,
    setIfPresent: kvt,
    setIfEqual: { ...kvt, equal: "v" },
    setIfNotEqual: { ...kvt, notEqual: "w" },
    setIfPresentAndNotEqual: { ...kvt, notEqual: "w" },
    setIfAbsentOrEqual: { ...kvt, equal: "v" },
    setIfPresentAndHashEqual: { ...kvt, hashEqual: HASH },
    setIfPresentAndHashNotEqual: { ...kvt, hashNotEqual: HASH },
    setIfAbsentOrHashEqual: { ...kvt, hashEqual: HASH },
    setIfAbsentOrHashNotEqual: { ...kvt, hashNotEqual: HASH },
    increment: { key, amount: 2, ttlMs: TTL },
    keyExists: { key },
    keysExist: { keys: [key, "other"] },
    updateTtl: { key, ttlMs: TTL },
    increaseTtl: { key, ttlMs: TTL },
    decreaseTtl: { key, ttlMs: TTL },
    itemGetTtl: { key },
    itemGetType: { key },
    getBatch: { keys: [key] },
    setBatch: { items: [kvt] },
    dictionarySetField: { key, field: "f", value: "v", ttlMs: TTL },
    dictionarySetFields: {
      key,
      fields: [{ field: "f", value: "v" }],
      ttlMs: TTL,
      refreshTtl: false,
    },
    dictionaryGetField: { key, field: "f" },
    dictionaryGetFields: { key, fields: ["f", "g"] },
    dictionaryFetch: { key },
    dictionaryIncrement: { key, field: "n", amount: 1, ttlMs: TTL },
    dictionaryRemoveFields: { key, fields: ["f"] },
    dictionaryLength: { key },
    listPushFront: { key, value: "a", ttlMs: TTL, truncateBackToSize: 10 },
    listPushBack: { key, value: "b", ttlMs: TTL },
    listConcatenateFront: { key, values: ["x", "y"], ttlMs: TTL },
    listConcatenateBack: { key, values: ["z"], ttlMs: TTL },
    listPopFront: { key },
    listPopBack: { key },
    listFetch: { key, startIndex: 0, endIndex: -1 },
    listRetain: { key, startIndex: 0 },
    listRemoveValue: { key, value: "x" },
    listLength: { key },
    setAddElements: { key, elements: ["a", "b"], ttlMs: TTL },
    setRemoveElements: { key, elements: ["a"] },
    setContainsElements: { key, elements: ["a", "b"] },
    setFetch: { key },
    setSample: { key, limit: 1 },
    setPop: { key, count: 1 },
    setLength: { key },
    sortedSetPutElements: {
      key,
      elements: [{ value: "a", score: 1.5 }, { value: "b", score: -2 }],
      ttlMs: TTL,
    },
    sortedSetFetchByRank: { key, order: "DESC", startRank: 0 },
    sortedSetFetchByScore: { key, minScore: 0, count: 10 },
    sortedSetGetRank: { key, value: "a" },
    sortedSetGetScores: { key, values: ["a", "zz"] },
    sortedSetIncrementScore: { key, value: "a", amount: 1, ttlMs: TTL },
    sortedSetRemoveElements: { key, values: ["b"] },
    sortedSetLength: { key },
    sortedSetLengthByScore: { key, maxScore: 100, maxExclusive: true },
    sortedSetUnionStore: {
      key,
      sources: [{ key: `${key}-src`, weight: 2 }],
      aggregate: "MAX",
      ttlMs: TTL,
    },
  };
}
