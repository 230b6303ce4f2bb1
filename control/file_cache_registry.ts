/**
 * The cache list, persisted in the data dir's `caches.json`: every change is
 * written atomically (temp file + rename) before it is visible, and cache ids
 * are never reused (the next id is persisted too).
 *
 * @module
 */

import type { CacheInfo, CacheRegistry } from "../protocol/store.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  type CacheLimits,
  parseCacheLimits,
} from "../protocol/cache_limits.ts";
import { validateCacheName } from "./cache_names.ts";
import { FileWriteError, readTextIfExists, writeFileAtomic } from "./_files.ts";

/** Name of the cache created on first start. */
export const DEFAULT_CACHE_NAME = "default";

/** The JSON shape of `caches.json`. */
export interface CachesFile {
  /** Format version, 1. */
  version: 1;
  /** Id the next created cache gets. */
  nextId: number;
  /** Every cache. */
  caches: CacheInfo[];
}

/**
 * A {@linkcode CacheRegistry} backed by a JSON file.
 *
 * @example Create and look up a cache
 * ```ts
 * import { FileCacheRegistry } from "./file_cache_registry.ts";
 * const dir = await Deno.makeTempDir();
 * const caches = await FileCacheRegistry.open(`${dir}/caches.json`);
 * await caches.create("orders");
 * if (caches.lookup("orders")?.name !== "orders") throw new Error("missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FileCacheRegistry implements CacheRegistry {
  readonly #path: string;
  readonly #byName = new Map<string, CacheInfo>();
  #nextId: number;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, file: CachesFile) {
    this.#path = path;
    this.#nextId = file.nextId;
    for (const cache of file.caches) this.#byName.set(cache.name, cache);
  }

  /**
   * Opens the registry stored at `path`. When the file does not exist (first
   * start) it is created holding one cache, {@linkcode DEFAULT_CACHE_NAME}.
   *
   * @param path the `caches.json` file
   */
  static async open(path: string): Promise<FileCacheRegistry> {
    const text = await readTextIfExists(path);
    if (text === undefined) {
      const registry = new FileCacheRegistry(path, {
        version: 1,
        nextId: 1,
        caches: [],
      });
      await registry.create(DEFAULT_CACHE_NAME);
      return registry;
    }
    return new FileCacheRegistry(path, parseCachesFile(text, path));
  }

  /** The cache of that name, or undefined. */
  lookup(name: string): CacheInfo | undefined {
    return this.#byName.get(name);
  }

  /** Every cache, sorted by name. */
  list(): CacheInfo[] {
    return [...this.#byName.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
  }

  /**
   * Creates a cache with a fresh id.
   *
   * @param name the new cache's name
   * @throws {KvoltError} INVALID_ARGUMENT_ERROR for a bad name, ALREADY_EXISTS_ERROR
   */
  async create(name: string): Promise<CacheInfo> {
    validateCacheName(name);
    if (this.#byName.has(name)) {
      throw new KvoltError(
        ErrorCode.ALREADY_EXISTS,
        `Cache already exists: ${name}`,
      );
    }
    const cache: CacheInfo = {
      name,
      id: this.#nextId,
      createdAt: new Date().toISOString(),
    };
    this.#nextId += 1;
    this.#byName.set(name, cache);
    try {
      await this.#persist();
    } catch (err) {
      this.#byName.delete(name); // the id stays used: ids are never reused
      throw err;
    }
    return cache;
  }

  /**
   * Deletes a cache (its items are flushed by the caller).
   *
   * @param name the cache's name
   * @throws {KvoltError} NOT_FOUND_ERROR
   */
  async delete(name: string): Promise<CacheInfo> {
    const cache = this.#existing(name);
    this.#byName.delete(name);
    try {
      await this.#persist();
    } catch (err) {
      this.#byName.set(name, cache);
      throw err;
    }
    return cache;
  }

  /**
   * Replaces a cache's rate limits; an empty object removes them (the
   * deployment's defaults apply again). The cache's entry is replaced, not
   * mutated, so holders of the old entry see the old limits.
   *
   * @param name the cache's name
   * @param limits the new limits (checked with `parseCacheLimits`)
   * @throws {KvoltError} NOT_FOUND_ERROR, INVALID_ARGUMENT_ERROR
   */
  async setLimits(name: string, limits: CacheLimits): Promise<CacheInfo> {
    const cache = this.#existing(name);
    const checked = parseCacheLimits(limits);
    const { limits: _old, ...rest } = cache;
    const updated: CacheInfo = Object.keys(checked).length === 0
      ? rest
      : { ...rest, limits: checked };
    this.#byName.set(name, updated);
    try {
      await this.#persist();
    } catch (err) {
      if (this.#byName.get(name) === updated) this.#byName.set(name, cache);
      throw err;
    }
    return updated;
  }

  /** The cache of that name; NOT_FOUND_ERROR when there is none. */
  #existing(name: string): CacheInfo {
    const cache = this.#byName.get(name);
    if (!cache) {
      throw new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`);
    }
    return cache;
  }

  /** Writes the current state; writes are serialised so the last one wins. */
  #persist(): Promise<void> {
    const snapshot: CachesFile = {
      version: 1,
      nextId: this.#nextId,
      caches: this.list(),
    };
    const text = JSON.stringify(snapshot, null, 2) + "\n";
    const write = this.#writes.then(() =>
      writeFileAtomic(this.#path, text).catch((err) => {
        throw unavailable(err);
      })
    );
    this.#writes = write.catch(() => {});
    return write;
  }
}

/**
 * Parses and checks the text of a `caches.json` file.
 *
 * @param text the file's content
 * @param path its path, for error messages
 */
export function parseCachesFile(text: string, path: string): CachesFile {
  const fail = (why: string) =>
    new Error(`Cannot load cache list: ${path}: ${why}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fail("not valid JSON");
  }
  if (typeof data !== "object" || data === null) throw fail("not an object");
  const { version, nextId, caches } = data as Record<string, unknown>;
  if (version !== 1) throw fail(`unknown version: ${JSON.stringify(version)}`);
  if (!Number.isSafeInteger(nextId) || (nextId as number) < 1) {
    throw fail("nextId must be a positive integer");
  }
  if (!Array.isArray(caches)) throw fail("caches must be an array");
  const seen = new Set<string>();
  for (const cache of caches as CacheInfo[]) {
    if (
      typeof cache?.name !== "string" || !Number.isSafeInteger(cache.id) ||
      typeof cache.createdAt !== "string"
    ) {
      throw fail(`malformed cache entry: ${JSON.stringify(cache)}`);
    }
    if (cache.id >= (nextId as number)) {
      throw fail(`cache ${cache.name} has id ${cache.id} >= nextId`);
    }
    if (cache.limits !== undefined) {
      try {
        parseCacheLimits(cache.limits);
      } catch (err) {
        throw fail(`cache ${cache.name}: ${(err as Error).message}`);
      }
    }
    if (seen.has(cache.name)) throw fail(`duplicate cache: ${cache.name}`);
    seen.add(cache.name);
  }
  return {
    version: 1,
    nextId: nextId as number,
    caches: caches as CacheInfo[],
  };
}

/**
 * A cache list that cannot be saved: the change is undone and the caller gets
 * SERVER_UNAVAILABLE (503, as Momento answers when its control plane cannot
 * act), naming the file and the errno.
 */
function unavailable(err: unknown): unknown {
  if (!(err instanceof FileWriteError)) return err;
  console.error(`kvolt control: ${err.message}`);
  return new KvoltError(
    ErrorCode.SERVER_UNAVAILABLE,
    `Cannot save the cache list: the data dir cannot be written: ${err.message}`,
    undefined,
    `${err.errno} ${err.path}`,
  );
}
