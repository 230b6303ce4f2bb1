// The calls tests/grpc_sdk_test.ts makes through Momento's official Node SDK
// (against kvolt's gRPC port) and through kvolt's own SDK (against its HTTP
// API), so the two can be compared: every operation family, cache control, a
// disposable token scoped to a key prefix, and an error of each kind. Plain
// JavaScript with the SDK passed in, so Node and Deno both run it.

/** An error response as its code, anything else as its type name. */
export function outcome(res) {
  return typeof res.errorCode === "function" ? res.errorCode() : res.type;
}

/**
 * Runs the calls; returns their outcomes (values, result types, error codes).
 *
 * @param sdk the SDK's exports (CacheClient, AuthClient, ItemType, ...)
 * @param clientFor builds a CacheClient for a key or token
 * @param authFor builds an AuthClient for a key or token
 * @param apiKey a super-user key
 * @param scoped a token that may only touch `user:` keys of `cache`
 * @param cache the cache the calls use (it exists)
 */
export async function runCalls(
  sdk,
  { clientFor, authFor },
  { apiKey, scoped, cache },
) {
  const { CollectionTtl, DisposableTokenScopes, ExpiresIn, ItemType } = sdk;
  const c = await clientFor(apiKey);
  const out = {};
  out.set = outcome(await c.set(cache, "k", "v1"));
  out.get = (await c.get(cache, "k")).value();
  out.miss = outcome(await c.get(cache, "absent"));
  out.setIfAbsent = outcome(await c.setIfAbsent(cache, "k", "x"));
  out.setIfEqual = outcome(await c.setIfEqual(cache, "k", "v2", "v1"));
  out.afterSetIf = (await c.get(cache, "k")).value();
  out.increment = (await c.increment(cache, "n", 41)).value();
  out.incrementAgain = (await c.increment(cache, "n", 1)).value();
  out.updateTtl = outcome(await c.updateTtl(cache, "n", 120_000));
  const ttl = await c.itemGetTtl(cache, "n");
  out.ttlInRange = ttl.remainingTtlMillis() > 60_000 &&
    ttl.remainingTtlMillis() <= 120_000;
  out.itemType = ItemType[(await c.itemGetType(cache, "n")).itemType()];
  out.keysExist = (await c.keysExist(cache, ["k", "absent"])).exists();
  out.setBatch = outcome(await c.setBatch(cache, { b1: "x", b2: "y" }));
  out.getBatch = (await c.getBatch(cache, ["b1", "absent", "b2"])).values();
  // one batch larger than an item may be (three 2 MiB values)
  const big = "x".repeat(2 * 1024 * 1024);
  out.bigBatch = outcome(
    await c.setBatch(cache, { big1: big, big2: big, big3: big }),
  );
  out.bigBatchGet = (await c.get(cache, "big3")).value()?.length;
  // an item over the 5 MiB limit: LIMIT_EXCEEDED, its cause read from the
  // answer (the `err` metadata over gRPC)
  const tooBig = await c.set(cache, "huge", "x".repeat(6 * 1024 * 1024));
  out.itemTooLarge = outcome(tooBig);
  out.itemTooLargeCause = tooBig.message().includes("Item size limit exceeded");
  out.delete = outcome(await c.delete(cache, "k"));
  out.afterDelete = outcome(await c.get(cache, "k"));
  out.dictionarySet = outcome(
    await c.dictionarySetFields(cache, "d", { f1: "a", f2: "b" }),
  );
  out.dictionaryFetch = (await c.dictionaryFetch(cache, "d")).value();
  out.dictionaryIncrement =
    (await c.dictionaryIncrement(cache, "d", "count", 3))
      .value();
  out.dictionaryRemove = outcome(
    await c.dictionaryRemoveField(cache, "d", "f1"),
  );
  out.dictionaryGet = (await c.dictionaryGetFields(cache, "d", ["f1", "f2"]))
    .value();
  out.listConcat = (await c.listConcatenateBack(cache, "l", ["a", "b", "c"]))
    .listLength();
  out.listPushFront = (await c.listPushFront(cache, "l", "z")).listLength();
  out.listFetch =
    (await c.listFetch(cache, "l", { startIndex: 1, endIndex: -1 }))
      .value();
  out.listPop = (await c.listPopBack(cache, "l")).value();
  out.listLength = (await c.listLength(cache, "l")).length();
  out.listType = ItemType[(await c.itemGetType(cache, "l")).itemType()];
  out.setAdd = outcome(await c.setAddElements(cache, "s", ["a", "b", "c"]));
  out.setRemove = outcome(await c.setRemoveElement(cache, "s", "b"));
  out.setFetch = (await c.setFetch(cache, "s")).value().sort();
  out.setContains = (await c.setContainsElements(cache, "s", ["a", "b"]))
    .containsElements();
  out.sortedSetPut = outcome(
    await c.sortedSetPutElements(cache, "z", { a: 1, b: 2, c: 3 }, {
      ttl: CollectionTtl.of(60),
    }),
  );
  out.sortedSetByRank = (await c.sortedSetFetchByRank(cache, "z")).value();
  out.sortedSetByScore = (await c.sortedSetFetchByScore(cache, "z", {
    minScore: 2,
  })).value();
  out.sortedSetRank = (await c.sortedSetGetRank(cache, "z", "c")).rank();
  out.sortedSetIncrement =
    (await c.sortedSetIncrementScore(cache, "z", "a", 10))
      .score();
  out.sortedSetLength = (await c.sortedSetLength(cache, "z")).length();
  out.cacheNotFound = outcome(await c.get("no-such-cache", "k"));
  out.invalidArgument = outcome(await c.set(cache, "k", "v", { ttl: -1 }));

  const bad = await clientFor(apiKey.slice(0, -4) + "AAAA");
  out.badKey = outcome(await bad.get(cache, "k"));
  bad.close();

  const s = await clientFor(scoped);
  out.scopedAllowed = outcome(await s.set(cache, "user:1", "ok"));
  out.scopedGet = (await s.get(cache, "user:1")).value();
  out.scopedRefused = outcome(await s.set(cache, "admin:1", "no"));
  s.close();

  // cache control: a second cache, made, listed, flushed and deleted
  const other = `${cache}-made`;
  out.createCache = outcome(await c.createCache(other));
  out.createAgain = outcome(await c.createCache(other));
  out.listCaches = (await c.listCaches()).getCaches().map((x) => x.getName())
    .filter((name) => name.startsWith(cache)).sort()
    .map((name) => name.replace(cache, "CACHE"));
  await c.set(other, "x", "1");
  out.flushCache = outcome(await c.flushCache(other));
  out.afterFlush = outcome(await c.get(other, "x"));
  out.deleteCache = outcome(await c.deleteCache(other));
  out.deleteAgain = outcome(await c.deleteCache(other));
  out.afterDeleteCache = outcome(await c.get(other, "x"));
  c.close();

  // a disposable token for `tok:` keys, minted through the token service
  const auth = authFor(apiKey);
  const minted = await auth.generateDisposableToken(
    DisposableTokenScopes.cacheKeyPrefixReadWrite(cache, "tok:"),
    ExpiresIn.minutes(5),
    { tokenId: "calls" },
  );
  out.generateToken = outcome(minted);
  const t = await clientFor(minted.authToken);
  out.tokenAllowed = outcome(await t.set(cache, "tok:1", "yes"));
  out.tokenGet = (await t.get(cache, "tok:1")).value();
  out.tokenRefused = outcome(await t.get(cache, "user:1"));
  out.tokenControlRefused = outcome(await t.createCache(`${cache}-no`));
  t.close();
  const scopedAuth = authFor(scoped);
  out.scopedMintRefused = outcome(
    await scopedAuth.generateDisposableToken(
      DisposableTokenScopes.cacheReadOnly(cache),
      ExpiresIn.minutes(5),
    ),
  );
  return { out, mintedEndpoint: minted.endpoint };
}
