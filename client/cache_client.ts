/**
 * {@linkcode CacheClient}: Momento's `ICacheClient` against kvolt. Built the
 * way Momento's own SDKs are: sdk-core's `AbstractCacheClient` (validation,
 * options handling, `cache(name)`) over a data client, a control client and a
 * ping client, here speaking kvolt's JSON API with `fetch`.
 *
 * @module
 */

import type { CredentialProvider, ICacheClient } from "./_sdk_core.ts";
import { AbstractCacheClient, type IDataClient } from "./_sdk_core.ts";
import { conditionalOps } from "./conditional_ops.ts";
import { type Configuration, Configurations } from "./configuration.ts";
import {
  clientFetch,
  clientTransport,
  type ConnectionOptions,
} from "./connection.ts";
import { ControlClient, PingClient } from "./control_client.ts";
import { dictionaryOps } from "./dictionary_ops.ts";
import { asSdkError, ErrorMapper } from "./errors.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/catalogue.ts";
import { validateCacheName } from "./_sdk_core.ts";
import { listOps } from "./list_ops.ts";
import { OpRunner } from "./op_runner.ts";
import { scalarOps } from "./scalar_ops.ts";
import { setOps } from "./set_ops.ts";
import { sortedSetOps } from "./sorted_set_ops.ts";

/** What a {@linkcode CacheClient} is made from (Momento's props, plus kvolt's connection options). */
export interface CacheClientProps extends ConnectionOptions {
  /** The key or token, and the endpoints it names. */
  credentialProvider: CredentialProvider;
  /** Timeouts, retries, errors, compression. Default `Configurations.Laptop.latest()`. */
  configuration?: Configuration;
  /** TTL of writes that give none, seconds. */
  defaultTtlSeconds: number;
}

interface Parts {
  control: ControlClient;
  data: IDataClient;
  ping: PingClient;
  close: () => void;
  /** The data endpoint's base URL. */
  endpoint: string;
  runner: OpRunner;
}

function buildParts(props: CacheClientProps): Parts {
  const configuration = props.configuration ?? Configurations.Laptop.latest();
  const { fetch, close } = clientFetch(props);
  const errors = new ErrorMapper(configuration.getThrowOnErrors());
  const dataTransport = clientTransport(props, configuration, fetch, "cache");
  const runner = new OpRunner({
    transport: dataTransport,
    errors,
    defaultTtlSeconds: props.defaultTtlSeconds,
    compression: configuration.getCompressionStrategy(),
  });
  const data: IDataClient = {
    ...scalarOps(runner),
    ...conditionalOps(runner),
    ...dictionaryOps(runner),
    ...listOps(runner),
    ...setOps(runner),
    ...sortedSetOps(runner),
    close() {},
  };
  return {
    control: new ControlClient(
      clientTransport(props, configuration, fetch, "control"),
      errors,
    ),
    data,
    ping: new PingClient(dataTransport),
    close,
    endpoint: dataTransport.baseUrl,
    runner,
  };
}

/**
 * A client for kvolt with Momento's `ICacheClient` API: every method returns
 * a response object whose `.type` tells Hit / Miss / Success / Error (or
 * throws, with `withThrowOnErrors(true)`).
 *
 * @example Construct against a local server (no request is sent yet)
 * ```ts
 * import { CacheClient, Configurations, CredentialProvider } from "../mod.ts";
 * // Any kvolt key works; this one only carries the endpoint claims.
 * const claims = btoa(JSON.stringify({ c: "127.0.0.1:8443", cp: "127.0.0.1:8443" }));
 * const apiKey = `eyJhbGciOiJFZERTQSJ9.${claims}.sig`;
 * const client = new CacheClient({
 *   credentialProvider: CredentialProvider.fromString({ apiKey }),
 *   configuration: Configurations.Laptop.v1(),
 *   defaultTtlSeconds: 60,
 * });
 * if (client.endpoint !== "https://127.0.0.1:8443") throw new Error(client.endpoint);
 * client.close();
 * ```
 */
export class CacheClient extends AbstractCacheClient implements ICacheClient {
  readonly #close: () => void;
  readonly #endpoint: string;
  readonly #runner: OpRunner;

  /** @param props credentials, configuration, default TTL, connection options */
  constructor(props: CacheClientProps) {
    const parts = buildParts(props);
    super(parts.control, [parts.data], parts.ping);
    this.#close = parts.close;
    this.#endpoint = parts.endpoint;
    this.#runner = parts.runner;
  }

  /**
   * Runs any operation of kvolt's catalogue by name, with its arguments and
   * result exactly as the catalogue types them (bytes as `Uint8Array`): the
   * way to reach an operation Momento's API has no method for, such as
   * `getAndDelete`. Retries follow the catalogue's idempotence; a failure is
   * thrown as an `SdkError` (with its `errorCode()`), whatever
   * `throwOnErrors` says, since there is no response class to carry it.
   *
   * @example
   * ```ts ignore
   * const enc = new TextEncoder();
   * await client.execute("cache", "set", {
   *   key: enc.encode("k"), value: enc.encode("v"), ttlMs: 60_000,
   * });
   * const got = await client.execute("cache", "getAndDelete", { key: enc.encode("k") });
   * if (got.type === "Hit") console.log(new TextDecoder().decode(got.value));
   * ```
   *
   * @param cacheName the cache
   * @param op the operation's name
   * @param args its arguments
   * @param options an abort signal
   * @returns its result
   * @throws SdkError on any failure
   */
  async execute<K extends OpName>(
    cacheName: string,
    op: K,
    args: OpArgs<K>,
    options?: { abortSignal?: AbortSignal },
  ): Promise<OpResult<K>> {
    try {
      validateCacheName(cacheName);
      return await this.#runner.transport.op(
        cacheName,
        op,
        args,
        options?.abortSignal,
      );
    } catch (err) {
      throw asSdkError(err);
    }
  }

  /**
   * Momento's async factory (the Node SDK connects eagerly; this client has
   * nothing to connect, so it is the constructor).
   *
   * @param props as for the constructor
   */
  static create(props: CacheClientProps): Promise<CacheClient> {
    return Promise.resolve(new CacheClient(props));
  }

  /** The data endpoint's base URL. */
  get endpoint(): string {
    return this.#endpoint;
  }

  /** Releases the HTTP client made for `caCertificate`, if any. */
  close(): void {
    this.#close();
  }
}
