/**
 * `IControlClient` and `IPingClient` over kvolt's control routes
 * (`/v1/caches`, super-user only) and `GET /v1/ping`.
 *
 * @module
 */

import {
  CacheAlreadyExistsError,
  CacheFlush,
  CacheInfo,
  CreateCache,
  DeleteCache,
  ListCaches,
} from "./_sdk_core.ts";
import type {
  ControlCallOptions,
  IControlClient,
  IPingClient,
} from "./_sdk_core.ts";
import { validateCacheName } from "./_sdk_core.ts";
import type { ErrorMapper } from "./errors.ts";
import type { HttpTransport } from "./transport.ts";

// Reported when the server does not list a cache's limits (Momento's defaults).
const DEFAULT_LIMITS = {
  maxTrafficRate: 0,
  maxThroughputKbps: 0,
  maxItemSizeKb: 5120,
  maxTtlSeconds: 86400,
};

const NO_TOPICS = {
  maxPublishRate: 0,
  maxSubscriptionCount: 0,
  maxPublishMessageSizeKb: 0,
};

/** Cache management through the control routes. */
export class ControlClient implements IControlClient {
  readonly #transport: HttpTransport;
  readonly #errors: ErrorMapper;

  /**
   * @param transport sends requests to the control endpoint
   * @param errors returns or throws errors
   */
  constructor(transport: HttpTransport, errors: ErrorMapper) {
    this.#transport = transport;
    this.#errors = errors;
  }

  async createCache(
    cacheName: string,
    options?: ControlCallOptions,
  ): Promise<CreateCache.Response> {
    try {
      await this.#cacheRequest("PUT", cacheName, "", false, options);
      return new CreateCache.Success();
    } catch (err) {
      if (err instanceof CacheAlreadyExistsError) {
        return new CreateCache.AlreadyExists();
      }
      return this.#errors.returnOrThrowError(
        err,
        (e) => new CreateCache.Error(e),
      );
    }
  }

  async deleteCache(
    cacheName: string,
    options?: ControlCallOptions,
  ): Promise<DeleteCache.Response> {
    try {
      await this.#cacheRequest("DELETE", cacheName, "", false, options);
      return new DeleteCache.Success();
    } catch (err) {
      return this.#errors.returnOrThrowError(
        err,
        (e) => new DeleteCache.Error(e),
      );
    }
  }

  async listCaches(options?: ControlCallOptions): Promise<ListCaches.Response> {
    try {
      const body = await this.#transport.send({
        method: "GET",
        path: "/v1/caches",
        signal: options?.abortSignal,
        idempotent: true,
      }) as { caches?: { name: string; limits?: object }[] } | undefined;
      const caches = (body?.caches ?? []).map((c) =>
        new CacheInfo(c.name, NO_TOPICS, { ...DEFAULT_LIMITS, ...c.limits })
      );
      return new ListCaches.Success(caches);
    } catch (err) {
      return this.#errors.returnOrThrowError(
        err,
        (e) => new ListCaches.Error(e),
      );
    }
  }

  async flushCache(
    cacheName: string,
    options?: ControlCallOptions,
  ): Promise<CacheFlush.Response> {
    try {
      await this.#cacheRequest("POST", cacheName, "/flush", true, options);
      return new CacheFlush.Success();
    } catch (err) {
      return this.#errors.returnOrThrowError(
        err,
        (e) => new CacheFlush.Error(e),
      );
    }
  }

  close(): void {}

  /** One request on `/v1/caches/{cacheName}{suffix}`, after the name check. */
  #cacheRequest(
    method: "PUT" | "DELETE" | "POST",
    cacheName: string,
    suffix: string,
    idempotent: boolean,
    options: ControlCallOptions | undefined,
  ): Promise<unknown> {
    validateCacheName(cacheName);
    return this.#transport.send({
      method,
      path: `/v1/caches/${encodeURIComponent(cacheName)}${suffix}`,
      signal: options?.abortSignal,
      idempotent,
    });
  }
}

/** `ping()`: resolves when the server answers, throws its SdkError when not. */
export class PingClient implements IPingClient {
  readonly #transport: HttpTransport;

  /** @param transport sends requests to the data endpoint */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  async ping(): Promise<void> {
    await this.#transport.send({
      method: "GET",
      path: "/v1/ping",
      idempotent: true,
    });
  }
}
