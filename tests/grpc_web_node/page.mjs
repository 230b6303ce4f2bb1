// What the page runs in Chromium (bundled with esbuild into an IIFE by
// tests/grpc_browser_test.ts): Momento's browser SDK, @gomomento/sdk-web,
// against kvolt's HTTP port over TLS, as any web app would use it.
// required, not imported: `deno check tests/` would try to resolve it
// (esbuild bundles a require as it does an import)
const {
  CacheClient,
  Configurations,
  CredentialProvider,
} = require("@gomomento/sdk-web");

/** A response's type, or its error in full (so a failure says why). */
const outcome = (r) => (r.type === "Error" ? r.toString() : r.type);

/**
 * Runs the calls and returns what each answered.
 *
 * @param {{ apiKey: string, endpoint: string, cache: string }} options
 *   endpoint is kvolt's HTTP port as host:port
 */
globalThis.kvoltRun = async ({ apiKey, endpoint, cache }) => {
  const client = new CacheClient({
    configuration: Configurations.Browser.v1(),
    credentialProvider: CredentialProvider.fromString({
      apiKey,
      endpointOverrides: {
        cacheEndpoint: endpoint,
        controlEndpoint: endpoint,
        tokenEndpoint: endpoint,
        secureConnection: true,
      },
    }),
    defaultTtlSeconds: 60,
  });
  const bytes = new Uint8Array([0, 255, 1, 254, 10, 13, 61]);
  const set = await client.set(cache, "browser-key", "from a browser");
  const get = await client.get(cache, "browser-key");
  const setBytes = await client.set(cache, "browser-bytes", bytes);
  const getBytes = await client.get(cache, "browser-bytes");
  const miss = await client.get(cache, "browser-absent");
  const put = await client.sortedSetPutElement(
    cache,
    "browser-board",
    "ada",
    3,
  );
  const putMore = await client.sortedSetPutElements(cache, "browser-board", {
    bob: 1,
    cy: 2,
  });
  const board = await client.sortedSetFetchByRank(cache, "browser-board");
  const noCache = await client.get("no-such-cache", "browser-key");
  return {
    set: outcome(set),
    get: get.type === "Hit" ? get.valueString() : outcome(get),
    setBytes: outcome(setBytes),
    getBytes: getBytes.type === "Hit"
      ? [...getBytes.valueUint8Array()]
      : outcome(getBytes),
    miss: outcome(miss),
    sortedSetPutElement: outcome(put),
    sortedSetPutElements: outcome(putMore),
    sortedSetFetchByRank: board.type === "Hit"
      ? board.valueArray()
      : outcome(board),
    noCache: noCache.type === "Error" ? noCache.errorCode() : noCache.type,
  };
};
