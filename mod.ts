/**
 * kvolt's client SDK: Momento's JavaScript cache API (`CacheClient`,
 * `AuthClient`, `CredentialProvider`, `Configurations`, `CollectionTtl`, the
 * response classes with `.type` and `value()` / `valueString()` /
 * `valueRecord()` ...) against a kvolt server, over `fetch` only: it runs
 * unchanged in Deno, Node >= 20 and browsers. Code written against Momento's
 * `ICacheClient` runs against kvolt by changing the import and the key.
 *
 * The interfaces, response classes and validation are Momento's own, from
 * the npm package `@gomomento/sdk-core`; kvolt adds the transport to its JSON
 * API (`POST /v1/cache/{cache}/{op}`), configurations, retries and zstd.
 *
 * @example Build a client from a key printed by `kvolt serve`
 * ```ts
 * import {
 *   CacheClient,
 *   CacheGetResponse,
 *   Configurations,
 *   CredentialProvider,
 * } from "./mod.ts";
 *
 * // The key is a JWT whose `c` claim names the server (here a made-up one).
 * const claims = btoa(JSON.stringify({ c: "127.0.0.1:8443", cp: "127.0.0.1:8443" }));
 * const client = new CacheClient({
 *   credentialProvider: CredentialProvider.fromString({ apiKey: `e30.${claims}.sig` }),
 *   configuration: Configurations.Laptop.v1(),
 *   defaultTtlSeconds: 60,
 * });
 * // With a server running: `await client.set("default", "k", "v")`, then
 * const response = await client.get("", "k"); // invalid cache name: nothing sent
 * if (response.type !== CacheGetResponse.Error) throw new Error("expected an error");
 * client.close();
 * ```
 *
 * Trusting kvolt's dev CA: Deno `new CacheClient({ ..., caCertificate:
 * await Deno.readTextFile(".kvolt/tls/ca.pem") })`; Node
 * `NODE_EXTRA_CA_CERTS=.kvolt/tls/ca.pem node app.js`; browsers: the OS
 * trust store. Plaintext loopback (`serve --http`): `baseUrl:
 * "http://127.0.0.1:PORT"`.
 *
 * @module
 */

/**
 * The clients.
 *
 * @example
 * ```ts
 * import { AuthClient, CacheClient, CredentialProvider } from "./mod.ts";
 * const apiKey = `e30.${btoa(JSON.stringify({ c: "h:1", cp: "h:1" }))}.sig`;
 * const credentialProvider = CredentialProvider.fromString({ apiKey });
 * const cache = new CacheClient({ credentialProvider, defaultTtlSeconds: 60 });
 * const auth = new AuthClient({ credentialProvider });
 * if (cache.endpoint !== "https://h:1") throw new Error(cache.endpoint);
 * cache.close();
 * auth.close();
 * ```
 */
export { AuthClient, type AuthClientProps } from "./client/auth_client.ts";
/**
 * @example
 * ```ts
 * import { CacheClient } from "./mod.ts";
 * if (typeof CacheClient.create !== "function") throw new Error();
 * ```
 */
export { CacheClient, type CacheClientProps } from "./client/cache_client.ts";

/**
 * Configuration: presets, timeouts, retries, throwOnErrors, compression.
 *
 * @example
 * ```ts
 * import {
 *   CompressionLevel,
 *   Configurations,
 *   ExponentialBackoffRetryStrategy,
 * } from "./mod.ts";
 * const config = Configurations.InRegion.Default.latest()
 *   .withRetryStrategy(new ExponentialBackoffRetryStrategy({ maxAttempts: 5 }))
 *   .withCompressionStrategy({ compressionLevel: CompressionLevel.SmallestSize });
 * if (config.getClientTimeoutMillis() !== 1100) throw new Error();
 * ```
 */
export {
  Configuration,
  type ConfigurationPreset,
  type ConfigurationProps,
  Configurations,
} from "./client/configuration.ts";
/**
 * @example
 * ```ts
 * import { ExponentialBackoffRetryStrategy } from "./mod.ts";
 * if (new ExponentialBackoffRetryStrategy().maxAttempts !== 3) throw new Error();
 * ```
 */
export {
  DefaultMomentoLoggerFactory,
  DefaultMomentoLoggerLevel,
} from "./client/logging.ts";
export {
  ExponentialBackoffRetryStrategy,
  FixedCountRetryStrategy,
  FixedTimeoutRetryStrategy,
  type RetryStrategy,
  type RetryStrategyProps,
} from "./client/retry.ts";
/**
 * @example
 * ```ts
 * import type { CompressionStrategy, ConnectionOptions } from "./mod.ts";
 * const compression: CompressionStrategy = { automaticDecompression: false };
 * const connection: ConnectionOptions = { baseUrl: "http://127.0.0.1:8080" };
 * if (compression.automaticDecompression !== false || !connection.baseUrl) throw new Error();
 * ```
 */
export type { CompressionStrategy } from "./client/compression.ts";
export type { ConnectionOptions } from "./client/connection.ts";
export type { FetchFunction } from "./client/transport.ts";

/**
 * Credentials, TTLs, scopes and the other value types of Momento's API.
 *
 * @example
 * ```ts
 * import { CollectionTtl, DisposableTokenScopes, ExpiresIn } from "./mod.ts";
 * if (CollectionTtl.of(30).ttlSeconds() !== 30) throw new Error();
 * if (ExpiresIn.minutes(2).seconds() !== 120) throw new Error();
 * const scope = DisposableTokenScopes.cacheKeyReadWrite("default", "greeting");
 * if (!("permissions" in scope)) throw new Error();
 * ```
 */
export {
  AllCacheItems,
  AllCaches,
  AllDataReadWrite,
  CacheInfo,
  CacheRole,
  CollectionTtl,
  CompressionLevel,
  CredentialProvider,
  type DisposableTokenScope,
  DisposableTokenScopes,
  ExpiresAt,
  ExpiresIn,
  type ICacheClient,
  type IMomentoCache,
  ItemType,
  type MomentoLogger,
  type MomentoLoggerFactory,
  NoopMomentoLoggerFactory,
  type PermissionScope,
  PermissionScopes,
  ReadConcern,
  type SetBatchItem,
  SortedSetAggregate,
  SortedSetOrder,
  type SortedSetSource,
  TokenScopes,
} from "./client/_sdk_core.ts";

/**
 * Errors: `MomentoErrorCode` and the `SdkError` classes (thrown with
 * `withThrowOnErrors(true)`, else inside Error responses).
 *
 * @example
 * ```ts
 * import { MomentoErrorCode, TimeoutError } from "./mod.ts";
 * const err = new TimeoutError("Request timed out");
 * if (err.errorCode() !== MomentoErrorCode.TIMEOUT_ERROR) throw new Error();
 * ```
 */
export {
  AuthenticationError,
  BadRequestError,
  CacheAlreadyExistsError,
  CacheNotFoundError,
  CancelledError,
  ConnectionError,
  FailedPreconditionError,
  InternalServerError,
  InvalidArgumentError,
  LimitExceededError,
  MomentoErrorCode,
  PermissionError,
  SdkError,
  ServerUnavailableError,
  TimeoutError,
  UnknownError,
  UnknownServiceError,
} from "./client/_sdk_core.ts";

/**
 * Response classes, one namespace per operation (`CacheGet.Hit`,
 * `CacheGet.Miss`, `CacheGet.Error`, `CacheGet.Response`, ...).
 *
 * @example
 * ```ts
 * import { CacheDictionaryFetch, CacheGet } from "./mod.ts";
 * const hit = new CacheGet.Hit(new TextEncoder().encode("v"));
 * if (hit.valueString() !== "v" || hit.type !== "Hit") throw new Error();
 * if (new CacheDictionaryFetch.Miss().type !== "Miss") throw new Error();
 * ```
 */
export {
  CacheDecreaseTtl,
  CacheDelete,
  CacheDictionaryFetch,
  CacheDictionaryGetField,
  CacheDictionaryGetFields,
  CacheDictionaryIncrement,
  CacheDictionaryLength,
  CacheDictionaryRemoveField,
  CacheDictionaryRemoveFields,
  CacheDictionarySetField,
  CacheDictionarySetFields,
  CacheFlush,
  CacheGet,
  CacheGetBatch,
  CacheGetWithHash,
  CacheIncreaseTtl,
  CacheIncrement,
  CacheItemGetTtl,
  CacheItemGetType,
  CacheKeyExists,
  CacheKeysExist,
  CacheListConcatenateBack,
  CacheListConcatenateFront,
  CacheListFetch,
  CacheListLength,
  CacheListPopBack,
  CacheListPopFront,
  CacheListPushBack,
  CacheListPushFront,
  CacheListRemoveValue,
  CacheListRetain,
  CacheSet,
  CacheSetAddElement,
  CacheSetAddElements,
  CacheSetBatch,
  CacheSetContainsElement,
  CacheSetContainsElements,
  CacheSetFetch,
  CacheSetIfAbsent,
  CacheSetIfAbsentOrEqual,
  CacheSetIfAbsentOrHashEqual,
  CacheSetIfAbsentOrHashNotEqual,
  CacheSetIfEqual,
  CacheSetIfNotEqual,
  CacheSetIfNotExists,
  CacheSetIfPresent,
  CacheSetIfPresentAndHashEqual,
  CacheSetIfPresentAndHashNotEqual,
  CacheSetIfPresentAndNotEqual,
  CacheSetLength,
  CacheSetPop,
  CacheSetRemoveElement,
  CacheSetRemoveElements,
  CacheSetSample,
  CacheSetWithHash,
  CacheSortedSetFetch,
  CacheSortedSetGetRank,
  CacheSortedSetGetScore,
  CacheSortedSetGetScores,
  CacheSortedSetIncrementScore,
  CacheSortedSetLength,
  CacheSortedSetLengthByScore,
  CacheSortedSetPutElement,
  CacheSortedSetPutElements,
  CacheSortedSetRemoveElement,
  CacheSortedSetRemoveElements,
  CacheSortedSetUnionStore,
  CacheUpdateTtl,
  CreateCache,
  DeleteCache,
  GenerateDisposableToken,
  ListCaches,
} from "./client/_sdk_core.ts";

/**
 * The `.type` values of every response (`CacheGetResponse.Hit`, ...), for
 * `switch (response.type)`.
 *
 * @example
 * ```ts
 * import { CacheGetResponse, CacheListFetchResponse } from "./mod.ts";
 * if (CacheGetResponse.Miss !== "Miss" || CacheListFetchResponse.Hit !== "Hit") {
 *   throw new Error();
 * }
 * ```
 */
export {
  CacheDecreaseTtlResponse,
  CacheDeleteResponse,
  CacheDictionaryFetchResponse,
  CacheDictionaryGetFieldResponse,
  CacheDictionaryGetFieldsResponse,
  CacheDictionaryIncrementResponse,
  CacheDictionaryLengthResponse,
  CacheDictionaryRemoveFieldResponse,
  CacheDictionaryRemoveFieldsResponse,
  CacheDictionarySetFieldResponse,
  CacheDictionarySetFieldsResponse,
  CacheGetBatchResponse,
  CacheGetResponse,
  CacheGetWithHashResponse,
  CacheIncreaseTtlResponse,
  CacheIncrementResponse,
  CacheItemGetTtlResponse,
  CacheItemGetTypeResponse,
  CacheKeyExistsResponse,
  CacheKeysExistResponse,
  CacheListConcatenateBackResponse,
  CacheListConcatenateFrontResponse,
  CacheListFetchResponse,
  CacheListLengthResponse,
  CacheListPopBackResponse,
  CacheListPopFrontResponse,
  CacheListPushBackResponse,
  CacheListPushFrontResponse,
  CacheListRemoveValueResponse,
  CacheListRetainResponse,
  CacheSetAddElementResponse,
  CacheSetAddElementsResponse,
  CacheSetBatchResponse,
  CacheSetContainsElementResponse,
  CacheSetContainsElementsResponse,
  CacheSetFetchResponse,
  CacheSetIfAbsentOrEqualResponse,
  CacheSetIfAbsentOrHashEqualResponse,
  CacheSetIfAbsentOrHashNotEqualResponse,
  CacheSetIfAbsentResponse,
  CacheSetIfEqualResponse,
  CacheSetIfNotEqualResponse,
  CacheSetIfNotExistsResponse,
  CacheSetIfPresentAndHashEqualResponse,
  CacheSetIfPresentAndHashNotEqualResponse,
  CacheSetIfPresentAndNotEqualResponse,
  CacheSetIfPresentResponse,
  CacheSetLengthResponse,
  CacheSetPopResponse,
  CacheSetRemoveElementResponse,
  CacheSetRemoveElementsResponse,
  CacheSetResponse,
  CacheSetSampleResponse,
  CacheSetWithHashResponse,
  CacheSortedSetFetchResponse,
  CacheSortedSetGetRankResponse,
  CacheSortedSetGetScoreResponse,
  CacheSortedSetGetScoresResponse,
  CacheSortedSetIncrementScoreResponse,
  CacheSortedSetLengthByScoreResponse,
  CacheSortedSetLengthResponse,
  CacheSortedSetPutElementResponse,
  CacheSortedSetPutElementsResponse,
  CacheSortedSetRemoveElementResponse,
  CacheSortedSetRemoveElementsResponse,
  CacheSortedSetUnionStoreResponse,
  CacheUpdateTtlResponse,
  CreateCacheResponse,
  DeleteCacheResponse,
  FlushCacheResponse,
  ListCachesResponse,
} from "./client/_sdk_core.ts";
/**
 * @example
 * ```ts
 * import { GenerateDisposableTokenResponse } from "./mod.ts";
 * if (GenerateDisposableTokenResponse.Success !== "Success") throw new Error();
 * ```
 */
export { GenerateDisposableTokenResponse } from "./client/_sdk_core.ts";
