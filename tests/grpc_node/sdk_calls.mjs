// Runs every operation family through the official Momento Node SDK against
// kvolt's gRPC port and prints one JSON object of the outcomes (values,
// result types and error codes) for tests/grpc_sdk_test.ts to check.
// Usage: node sdk_calls.mjs <apiKey> <host:port> <secure: true|false> <scopedToken>
// required, not imported: `deno check tests/` would try to resolve it
import { createRequire } from "node:module";
const {
  CacheClient,
  CollectionTtl,
  Configurations,
  CredentialProvider,
  ItemType,
} = createRequire(import.meta.url)("@gomomento/sdk");

const [apiKey, endpoint, secure, scoped] = process.argv.slice(2);
const CACHE = "sdk";

function clientFor(key) {
  return CacheClient.create({
    configuration: Configurations.Laptop.v1(),
    credentialProvider: CredentialProvider.fromString({
      apiKey: key,
      endpointOverrides: {
        cacheEndpoint: endpoint,
        controlEndpoint: endpoint,
        tokenEndpoint: endpoint,
        secureConnection: secure === "true",
      },
    }),
    defaultTtlSeconds: 60,
  });
}

/** An error response as its code, anything else as its type name. */
function outcome(res) {
  return typeof res.errorCode === "function" ? res.errorCode() : res.type;
}

const c = await clientFor(apiKey);
const out = {};
out.set = outcome(await c.set(CACHE, "k", "v1"));
out.get = (await c.get(CACHE, "k")).value();
out.miss = outcome(await c.get(CACHE, "absent"));
out.setIfAbsent = outcome(await c.setIfAbsent(CACHE, "k", "x"));
out.setIfEqual = outcome(await c.setIfEqual(CACHE, "k", "v2", "v1"));
out.afterSetIf = (await c.get(CACHE, "k")).value();
out.increment = (await c.increment(CACHE, "n", 41)).value();
out.incrementAgain = (await c.increment(CACHE, "n", 1)).value();
out.updateTtl = outcome(await c.updateTtl(CACHE, "n", 120_000));
const ttl = await c.itemGetTtl(CACHE, "n");
out.ttlInRange = ttl.remainingTtlMillis() > 60_000 &&
  ttl.remainingTtlMillis() <= 120_000;
out.itemType = ItemType[(await c.itemGetType(CACHE, "n")).itemType()];
out.keysExist = (await c.keysExist(CACHE, ["k", "absent"])).exists();
out.setBatch = outcome(await c.setBatch(CACHE, { b1: "x", b2: "y" }));
out.getBatch = (await c.getBatch(CACHE, ["b1", "absent", "b2"])).values();
out.delete = outcome(await c.delete(CACHE, "k"));
out.afterDelete = outcome(await c.get(CACHE, "k"));
out.dictionarySet = outcome(
  await c.dictionarySetFields(CACHE, "d", { f1: "a", f2: "b" }),
);
out.dictionaryFetch = (await c.dictionaryFetch(CACHE, "d")).value();
out.dictionaryIncrement = (await c.dictionaryIncrement(CACHE, "d", "count", 3))
  .value();
out.dictionaryRemove = outcome(await c.dictionaryRemoveField(CACHE, "d", "f1"));
out.dictionaryGet = (await c.dictionaryGetFields(CACHE, "d", ["f1", "f2"]))
  .value();
out.listConcat = (await c.listConcatenateBack(CACHE, "l", ["a", "b", "c"]))
  .listLength();
out.listPushFront = (await c.listPushFront(CACHE, "l", "z")).listLength();
out.listFetch = (await c.listFetch(CACHE, "l", { startIndex: 1, endIndex: -1 }))
  .value();
out.listPop = (await c.listPopBack(CACHE, "l")).value();
out.listLength = (await c.listLength(CACHE, "l")).length();
out.listType = ItemType[(await c.itemGetType(CACHE, "l")).itemType()];
out.setAdd = outcome(await c.setAddElements(CACHE, "s", ["a", "b", "c"]));
out.setRemove = outcome(await c.setRemoveElement(CACHE, "s", "b"));
out.setFetch = (await c.setFetch(CACHE, "s")).value().sort();
out.setContains = (await c.setContainsElements(CACHE, "s", ["a", "b"]))
  .containsElements();
out.sortedSetPut = outcome(
  await c.sortedSetPutElements(CACHE, "z", { a: 1, b: 2, c: 3 }, {
    ttl: CollectionTtl.of(60),
  }),
);
out.sortedSetByRank = (await c.sortedSetFetchByRank(CACHE, "z")).value();
out.sortedSetByScore = (await c.sortedSetFetchByScore(CACHE, "z", {
  minScore: 2,
})).value();
out.sortedSetRank = (await c.sortedSetGetRank(CACHE, "z", "c")).rank();
out.sortedSetIncrement = (await c.sortedSetIncrementScore(CACHE, "z", "a", 10))
  .score();
out.sortedSetLength = (await c.sortedSetLength(CACHE, "z")).length();
out.cacheNotFound = outcome(await c.get("no-such-cache", "k"));
out.invalidArgument = outcome(await c.set(CACHE, "k", "v", { ttl: -1 }));
c.close();

const bad = await clientFor(apiKey.slice(0, -4) + "AAAA");
out.badKey = outcome(await bad.get(CACHE, "k"));
bad.close();

const s = await clientFor(scoped);
out.scopedAllowed = outcome(await s.set(CACHE, "user:1", "ok"));
out.scopedGet = (await s.get(CACHE, "user:1")).value();
out.scopedRefused = outcome(await s.set(CACHE, "admin:1", "no"));
s.close();
console.log(JSON.stringify(out));
