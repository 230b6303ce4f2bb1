/**
 * The one door to `@gomomento/sdk-core`: its public API and the internals
 * kvolt's clients build on (the abstract clients, the validators, the
 * response part types). Every other SDK file imports sdk-core from here.
 *
 * The specifiers are full `npm:` ones, pinned to the version in deno.json's
 * `imports`, so that `mod.ts` imported from outside this repository (another
 * project's deno.json knows nothing of kvolt's import map) still resolves.
 *
 * @module
 */

export * from "npm:@gomomento/sdk-core@1.118.1";
export {
  AbstractAuthClient,
  AbstractCacheClient,
  type ControlCallOptions,
  type IControlClient,
  type IDataClient,
  type IPingClient,
} from "npm:@gomomento/sdk-core@1.118.1/dist/src/internal/clients/index.js";
export {
  validateCacheName,
  validateDictionaryName,
  validateDisposableTokenExpiry,
  validateDisposableTokenTokenID,
  validateListName,
  validateListSliceStartEnd,
  validateSetName,
  validateSetPopCount,
  validateSetSampleLimit,
  validateSortedSetCount,
  validateSortedSetName,
  validateSortedSetOffset,
  validateSortedSetRanks,
  validateSortedSetScores,
  validateTtlSeconds,
} from "npm:@gomomento/sdk-core@1.118.1/dist/src/internal/utils/index.js";
export {
  _DictionaryFieldValuePair,
  _DictionaryGetResponsePart,
  _ECacheResult,
  _SortedSetElement,
  _SortedSetGetScoreResponsePart,
} from "npm:@gomomento/sdk-core@1.118.1/dist/src/messages/responses/grpc-response-types.js";
export type { IAuthClient } from "npm:@gomomento/sdk-core@1.118.1/dist/src/clients/IAuthClient.js";
export type { DisposableTokenProps } from "npm:@gomomento/sdk-core@1.118.1/dist/src/auth/tokens/disposable-token-scope.js";
