/**
 * TEST-ONLY doubles and helpers for the gateway tests: the store they run
 * against (the reference model, Wasm shards, or shards in a Worker, chosen by
 * `KVOLT_GATEWAY_STORE`), an in-memory cache registry, Ed25519 keys and token
 * minting. Never imported by production code.
 *
 * @module
 */

import { SignJWT } from "jose";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { TOKEN_ISSUER, type TokenClaims } from "../protocol/claims.ts";
import type {
  CacheInfo,
  CacheLimits,
  CacheRegistry,
  MaybePromise,
  ReadResult,
  Store,
} from "../protocol/store.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { Router } from "../protocol/router.ts";
import { SLOT_COUNT } from "../protocol/slots.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { WorkerStore } from "../peer/worker_store.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/operations.ts";
import { createGateway, type GatewayOptions } from "./app.ts";
import { TokenVerifier } from "./token_verifier.ts";

/** Which store the gateway's tests run against (`KVOLT_GATEWAY_STORE`). */
export type TestStoreKind = "reference" | "wasm" | "worker";

/** The environment variable that picks the tests' store. */
export const TEST_STORE_ENV = "KVOLT_GATEWAY_STORE";

/**
 * The store kind of this test run: `reference` (default; the plain-TS model
 * behind a router), `wasm` (two Wasm shard hosts, the slots split between
 * them, so multi-key operations are split and gathered) or `worker` (shards
 * in a Worker, every answer a Promise through peer-protocol frames).
 */
export function testStoreKind(): TestStoreKind {
  const kind = Deno.env.get(TEST_STORE_ENV) ?? "reference";
  if (kind !== "reference" && kind !== "wasm" && kind !== "worker") {
    throw new Error(`${TEST_STORE_ENV} must be reference, wasm or worker`);
  }
  return kind;
}

/** Workers still running; the oldest are stopped as new ones start. */
const liveWorkers: WorkerStore[] = [];

/**
 * A fresh store of this run's kind, behind a {@linkcode Router}.
 *
 * @param now the store's clock (default `Date.now`)
 */
export async function backendStore(now?: () => number): Promise<Router> {
  const clock = now ? { now } : {};
  switch (testStoreKind()) {
    case "reference":
      return Router.single(new MemoryStore(clock));
    case "wasm": {
      const options = {
        shards: 2,
        bytesPerShard: 32 * 1024 * 1024,
        sweepEveryMs: 0,
        ...clock,
      };
      const [a, b] = [
        await ShardHost.create(options),
        await ShardHost.create(options),
      ];
      const half = SLOT_COUNT / 2;
      return new Router((slot) => slot < half ? a : b);
    }
    case "worker": {
      // tests run one after another: a test's stores outlive it a little
      while (liveWorkers.length >= 4) liveWorkers.shift()!.close();
      const store = await WorkerStore.start(clock);
      liveWorkers.push(store);
      return Router.single(store);
    }
  }
}

/**
 * The tests' store: this run's store, counting calls by kind, with a
 * store-side item size limit the tests can lower.
 */
export class CountingStore implements Store {
  readonly #inner: Store;
  /** Largest key + value accepted by `set`, to exercise store-side limits. */
  maxItemBytes = Infinity;
  /** Calls made: reads of values (getMany, get), sets, deletes, flushes. */
  calls = { get: 0, set: 0, delete: 0, flush: 0 };
  #written = new Map<number, Map<string, Uint8Array>>();

  /** @param inner the store that does the work */
  constructor(inner: Store) {
    this.#inner = inner;
  }

  /** A counting store over this run's store kind. */
  static async create(now?: () => number): Promise<CountingStore> {
    return new CountingStore(await backendStore(now));
  }

  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>> {
    if (op === "get" || op === "set" || op === "delete") {
      this.calls[op as "get" | "set" | "delete"]++;
    }
    if (op === "set") {
      const { key, value } = args as OpArgs<"set">;
      if (key.length + value.length > this.maxItemBytes) {
        throw new KvoltError(
          ErrorCode.LIMIT_EXCEEDED,
          "Cannot set item: too large for the store",
          LimitCause.ITEM_SIZE,
        );
      }
      const keys = this.#written.get(cacheId) ?? new Map();
      keys.set(key.join(), key.slice());
      this.#written.set(cacheId, keys);
    }
    return this.#inner.execute(cacheId, op, args);
  }

  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]> {
    this.calls.get++;
    return this.#inner.getMany(cacheId, keys);
  }

  flush(cacheId: number): MaybePromise<void> {
    this.calls.flush++;
    return this.#inner.flush(cacheId);
  }

  /** How many of the keys set in a cache still hold an item. */
  async count(cacheId: number): Promise<number> {
    const keys = [...(this.#written.get(cacheId)?.values() ?? [])];
    if (keys.length === 0) return 0;
    const found = await this.#inner.execute(cacheId, "keysExist", { keys });
    return found.exists.filter(Boolean).length;
  }
}

const NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** An in-memory CacheRegistry (test double) that validates names. */
export class MemoryCacheRegistry implements CacheRegistry {
  #caches = new Map<string, CacheInfo>();
  #nextId = 1;

  lookup(name: string): CacheInfo | undefined {
    return this.#caches.get(name);
  }

  create(name: string): Promise<CacheInfo> {
    if (!NAME.test(name)) {
      return Promise.reject(
        new KvoltError(
          ErrorCode.INVALID_ARGUMENT,
          `Invalid cache name: ${name}`,
        ),
      );
    }
    if (this.#caches.has(name)) {
      return Promise.reject(
        new KvoltError(
          ErrorCode.ALREADY_EXISTS,
          `Cache already exists: ${name}`,
        ),
      );
    }
    const info = {
      name,
      id: this.#nextId++,
      createdAt: new Date().toISOString(),
    };
    this.#caches.set(name, info);
    return Promise.resolve(info);
  }

  delete(name: string): Promise<CacheInfo> {
    const info = this.#caches.get(name);
    if (info === undefined) {
      return Promise.reject(
        new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`),
      );
    }
    this.#caches.delete(name);
    return Promise.resolve(info);
  }

  setLimits(name: string, limits: CacheLimits): Promise<CacheInfo> {
    const info = this.#caches.get(name);
    if (info === undefined) {
      return Promise.reject(
        new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`),
      );
    }
    const { limits: _old, ...rest } = info;
    const updated = Object.keys(limits).length === 0
      ? rest
      : { ...rest, limits: { ...limits } };
    this.#caches.set(name, updated);
    return Promise.resolve(updated);
  }

  list(): CacheInfo[] {
    return [...this.#caches.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
  }
}

/** A fresh Ed25519 key pair. */
export async function keyPair(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
}

/** Options of {@linkcode mintToken}. */
export interface MintOptions {
  /** Permissions claim; default "superuser". */
  p?: TokenClaims["p"];
  /** Expiry, seconds since the epoch; default none. */
  exp?: number;
  /** Issuer; default kvolt's. */
  issuer?: string;
  /** Subject; default "test-key". */
  sub?: string;
}

/** Signs a token the way the control service does (EdDSA JWT). */
export async function mintToken(
  privateKey: CryptoKey,
  options: MintOptions = {},
): Promise<string> {
  const jwt = new SignJWT({ p: options.p ?? "superuser" })
    .setProtectedHeader({ alg: "EdDSA" })
    .setSubject(options.sub ?? "test-key")
    .setIssuer(options.issuer ?? TOKEN_ISSUER)
    .setIssuedAt();
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  return await jwt.sign(privateKey);
}

/** A gateway over fresh test doubles, with a cache "orders" and a token. */
export interface TestGateway {
  app: ReturnType<typeof createGateway>;
  store: CountingStore;
  caches: MemoryCacheRegistry;
  verifier: TokenVerifier;
  keys: CryptoKeyPair;
  /** A super-user token. */
  token: string;
}

/** Builds a gateway over test doubles; "orders" exists. */
export async function testGateway(
  options: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  const keys = await keyPair();
  const store = await CountingStore.create();
  const caches = new MemoryCacheRegistry();
  await caches.create("orders");
  const verifier = options.verifier ?? new TokenVerifier(keys.publicKey);
  const app = createGateway({ store, caches, verifier, ...options });
  const token = await mintToken(keys.privateKey);
  return { app, store, caches, verifier, keys, token };
}

/** The status and JSON error of an error response. */
export interface ErrorSeen {
  status: number;
  code: string;
  message: string;
  cause?: string;
}

/** Reads an error response; fails when it is not the JSON error shape. */
export async function readError(res: Response): Promise<ErrorSeen> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new Error(
      `Expected a JSON error: received ${type}: ${await res.text()}`,
    );
  }
  const body = await res.json();
  const error = body?.error;
  if (typeof error?.code !== "string" || typeof error?.message !== "string") {
    throw new Error(
      `Expected {"error":{code,message}}: received ${JSON.stringify(body)}`,
    );
  }
  const seen: ErrorSeen = {
    status: res.status,
    code: error.code,
    message: error.message,
  };
  if (error.cause !== undefined) seen.cause = error.cause;
  return seen;
}

/** Standard request headers carrying a token. */
export function auth(token: string): { authorization: string } {
  return { authorization: token };
}
