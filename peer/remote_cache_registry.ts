/**
 * {@linkcode RemoteCacheRegistry}: a node's cache registry (and
 * {@linkcode RemoteRevocations}, its revoked tokens). Reads come from
 * the caches the topology carries (every node follows it, so a cache made on
 * one node reaches the others within a long poll); changes go to the control
 * service (`/v1/cluster/caches`), which publishes them, and apply here at
 * once so the node that made a cache can use it in the next request.
 *
 * @module
 */

import type { CacheLimits } from "../protocol/cache_limits.ts";
import type { Revocations } from "../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { CacheInfo, CacheRegistry } from "../protocol/store.ts";

/** How the registry reaches the control service. */
export interface ControlAddress {
  control: string;
  joinToken: string;
  fetch?: typeof fetch;
}

/** The caches as the cluster has them; see the module doc. */
export class RemoteCacheRegistry implements CacheRegistry {
  readonly #address: Required<ControlAddress>;
  #byName = new Map<string, CacheInfo>();

  /**
   * @param address the control service
   * @param caches the caches of the topology in force
   */
  constructor(address: ControlAddress, caches: readonly CacheInfo[] = []) {
    this.#address = { fetch: globalThis.fetch, ...address };
    this.apply(caches);
  }

  /** Takes the caches of a new topology. */
  apply(caches: readonly CacheInfo[]): void {
    this.#byName = new Map(caches.map((c) => [c.name, c]));
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

  /** Creates a cache cluster-wide. */
  async create(name: string): Promise<CacheInfo> {
    const info = await this.#call("POST", "", { name });
    this.#byName.set(info.name, info);
    return info;
  }

  /** Deletes a cache cluster-wide. */
  async delete(name: string): Promise<CacheInfo> {
    const info = await this.#call("DELETE", `/${encodeURIComponent(name)}`);
    this.#byName.delete(info.name);
    return info;
  }

  /** Replaces a cache's rate limits cluster-wide. */
  async setLimits(name: string, limits: CacheLimits): Promise<CacheInfo> {
    const info = await this.#call(
      "PUT",
      `/${encodeURIComponent(name)}/limits`,
      limits,
    );
    this.#byName.set(info.name, info);
    return info;
  }

  async #call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<CacheInfo> {
    const { control, joinToken, fetch } = this.#address;
    let res: Response;
    try {
      res = await fetch(`${control}/v1/cluster/caches${path}`, {
        method,
        headers: {
          authorization: joinToken,
          "content-type": "application/json",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new KvoltError(
        ErrorCode.SERVER_UNAVAILABLE,
        `Cannot reach the control service to change a cache: ${
          err instanceof Error ? err.message : err
        }`,
      );
    }
    const json = await res.json().catch(() => undefined);
    if (res.ok) return json as CacheInfo;
    const error = (json as { error?: { code?: string; message?: string } })
      ?.error;
    const code = Object.values(ErrorCode).includes(error?.code as ErrorCode)
      ? error!.code as ErrorCode
      : ErrorCode.SERVER_UNAVAILABLE;
    throw new KvoltError(
      code,
      error?.message ?? `The control service answered ${res.status}`,
    );
  }
}

/**
 * A node's revocations: kept by the control service, which publishes them in
 * the topology; every node's verifier takes them from there.
 */
export class RemoteRevocations implements Revocations {
  readonly #address: Required<ControlAddress>;

  /** @param address the control service */
  constructor(address: ControlAddress) {
    this.#address = { fetch: globalThis.fetch, ...address };
  }

  /** Resolves once the control service has published the revocation. */
  async revoke(id: string): Promise<void> {
    const { control, joinToken, fetch } = this.#address;
    let res: Response;
    try {
      res = await fetch(`${control}/v1/cluster/revocations`, {
        method: "POST",
        headers: {
          authorization: joinToken,
          "content-type": "application/json",
        },
        body: JSON.stringify({ id }),
      });
    } catch (err) {
      throw new KvoltError(
        ErrorCode.SERVER_UNAVAILABLE,
        `Cannot reach the control service to revoke a token: ${
          err instanceof Error ? err.message : err
        }`,
      );
    }
    await res.body?.cancel();
    if (res.status !== 204) {
      throw new KvoltError(
        ErrorCode.SERVER_UNAVAILABLE,
        `The control service did not revoke the token: HTTP ${res.status}`,
      );
    }
  }
}
