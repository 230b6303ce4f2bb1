/**
 * TEST-ONLY doubles and helpers for the gateway tests: a Map-based item store,
 * an in-memory cache registry, Ed25519 keys and token minting. Never imported
 * by production code.
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
  ItemStore,
} from "../protocol/store.ts";
import type { DataStore } from "../protocol/data_store.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/operations.ts";
import { createGateway, type GatewayOptions } from "./app.ts";
import { TokenVerifier } from "./token_verifier.ts";

/**
 * A Map-based ItemStore (test double); counts its calls. The JSON API's
 * operations (`execute`) go to a separate reference model: the JSON API's
 * tests use `_json_api_test_utils.ts`, with one `MemoryStore` for both.
 */
export class MapItemStore implements ItemStore, DataStore {
  #items = new Map<string, { value: Uint8Array; expiresAt: number }>();
  #model = new MemoryStore();
  /** Largest key + value accepted by `set`, to exercise store-side limits. */
  maxItemBytes = Infinity;
  /** Calls made, by method name. */
  calls = { get: 0, set: 0, delete: 0, flush: 0 };

  #id(cacheId: number, key: Uint8Array): string {
    return `${cacheId}:${Array.from(key).join(",")}`;
  }

  /** Items held for a cache. */
  count(cacheId: number): number {
    return [...this.#items.keys()].filter((k) => k.startsWith(`${cacheId}:`))
      .length;
  }

  get(cacheId: number, key: Uint8Array): Uint8Array | undefined {
    this.calls.get++;
    const item = this.#items.get(this.#id(cacheId, key));
    if (item === undefined || item.expiresAt <= Date.now()) return undefined;
    return item.value.slice();
  }

  set(cacheId: number, key: Uint8Array, value: Uint8Array, ttlMs: number) {
    this.calls.set++;
    if (key.length + value.length > this.maxItemBytes) {
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        "Cannot set item: too large for the store",
        LimitCause.ITEM_SIZE,
      );
    }
    this.#items.set(this.#id(cacheId, key), {
      value: value.slice(),
      expiresAt: Date.now() + ttlMs,
    });
  }

  delete(cacheId: number, key: Uint8Array): void {
    this.calls.delete++;
    this.#items.delete(this.#id(cacheId, key));
  }

  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): OpResult<K> {
    return this.#model.execute(cacheId, op, args);
  }

  flush(cacheId: number): void {
    this.calls.flush++;
    this.#model.flush(cacheId);
    for (const k of [...this.#items.keys()]) {
      if (k.startsWith(`${cacheId}:`)) this.#items.delete(k);
    }
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
  store: MapItemStore;
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
  const store = new MapItemStore();
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
