/**
 * TEST-ONLY: one suite that runs every `IDataClient` method of the SDK's
 * `CacheClient` once and checks the response type and accessors (the mapping;
 * the server's semantics are tested elsewhere). `tests/sdk_test.ts` runs it
 * against a real `serve --http`, `tests/sdk_gateway_test.ts` against the
 * gateway over the reference model, in process.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type CacheClient,
  CacheDictionaryFetch,
  CacheGet,
  CacheGetBatch,
  CacheIncrement,
  CacheItemGetType,
  CacheListFetch,
  CacheSetFetch,
  CacheSortedSetFetch,
  CollectionTtl,
  ItemType,
  MomentoErrorCode,
  SortedSetAggregate,
  SortedSetOrder,
} from "../mod.ts";

/** Runs the suite as steps of `t`, on `cache`, with a fresh key prefix. */
export async function runDataSuite(
  t: Deno.TestContext,
  client: CacheClient,
  cache: string,
): Promise<void> {
  const p = `s${crypto.randomUUID().slice(0, 8)}-`;

  await t.step("scalars", async () => {
    assert.equal((await client.set(cache, p + "k", "v")).type, "Success");
    const hit = await client.get(cache, p + "k");
    assert.ok(hit instanceof CacheGet.Hit);
    assert.equal(hit.valueString(), "v");
    assert.deepEqual(hit.valueUint8Array(), new TextEncoder().encode("v"));
    assert.equal(hit.value(), "v");
    assert.equal((await client.get(cache, p + "none")).type, "Miss");
    const binary = Uint8Array.of(0, 0xff, 0xfe, 1);
    await client.set(cache, Uint8Array.of(0xff, 1), binary);
    const bin = await client.get(cache, Uint8Array.of(0xff, 1));
    assert.deepEqual(
      bin.value() && (bin as CacheGet.Hit).valueUint8Array(),
      binary,
    );
    assert.equal((await client.delete(cache, p + "k")).type, "Success");
    assert.equal((await client.get(cache, p + "k")).type, "Miss");

    const withHash = await client.setWithHash(cache, p + "h", "one");
    assert.equal(withHash.type, "Stored");
    const got = await client.getWithHash(cache, p + "h");
    assert.equal(got.type, "Hit");
    const hash = got.type === "Hit" ? got.hashUint8Array() : new Uint8Array();
    assert.equal(hash.length, 8);
    assert.equal(
      (await client.setIfPresentAndHashEqual(cache, p + "h", "two", hash)).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfPresentAndHashNotEqual(
        cache,
        p + "h",
        "x",
        new Uint8Array(8),
      )).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfAbsentOrHashEqual(
        cache,
        p + "h",
        "y",
        new Uint8Array(8),
      )).type,
      "NotStored",
    );
    assert.equal(
      (await client.setIfAbsentOrHashNotEqual(
        cache,
        p + "h2",
        "y",
        new Uint8Array(8),
      )).type,
      "Stored",
    );

    assert.equal(
      (await client.setIfAbsent(cache, p + "c", "1")).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfNotExists(cache, p + "c", "1")).type,
      "NotStored",
    );
    assert.equal(
      (await client.setIfPresent(cache, p + "c", "2")).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfEqual(cache, p + "c", "3", "2")).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfNotEqual(cache, p + "c", "4", "3")).type,
      "NotStored",
    );
    assert.equal(
      (await client.setIfPresentAndNotEqual(cache, p + "c", "5", "9")).type,
      "Stored",
    );
    assert.equal(
      (await client.setIfAbsentOrEqual(cache, p + "c", "6", "5")).type,
      "Stored",
    );

    const inc = await client.increment(cache, p + "n", 5);
    assert.ok(inc instanceof CacheIncrement.Success);
    assert.equal(inc.value(), 5);
    assert.equal((await client.increment(cache, p + "n", -2)).value(), 3);
    const notNumber = await client.increment(cache, p + "h", 1);
    assert.equal(notNumber.type, "Error");
    assert.equal(
      notNumber.type === "Error" && notNumber.errorCode(),
      MomentoErrorCode.FAILED_PRECONDITION_ERROR,
    );

    const exists = await client.keyExists(cache, p + "c");
    assert.equal(exists.type === "Success" && exists.exists(), true);
    const many = await client.keysExist(cache, [p + "c", p + "zzz"]);
    assert.deepEqual(many.type === "Success" && many.exists(), [true, false]);
    const type = await client.itemGetType(cache, p + "c");
    assert.ok(type instanceof CacheItemGetType.Hit);
    assert.equal(type.itemType(), ItemType.SCALAR);
    const ttl = await client.itemGetTtl(cache, p + "c");
    assert.equal(ttl.type, "Hit");
    assert.ok(ttl.type === "Hit" && ttl.remainingTtlMillis() > 0);
    assert.equal((await client.updateTtl(cache, p + "c", 100_000)).type, "Set");
    assert.equal((await client.increaseTtl(cache, p + "c", 10)).type, "NotSet");
    assert.equal(
      (await client.decreaseTtl(cache, p + "c", 50_000)).type,
      "Set",
    );
    assert.equal((await client.updateTtl(cache, p + "zzz", 1000)).type, "Miss");
  });

  await t.step("batches", async () => {
    const set = await client.setBatch(cache, {
      [p + "b1"]: "1",
      [p + "b2"]: "2",
    });
    assert.equal(set.type, "Success");
    const batch = await client.getBatch(cache, [p + "b1", p + "bx", p + "b2"]);
    assert.ok(batch instanceof CacheGetBatch.Success);
    assert.deepEqual(batch.values(), { [p + "b1"]: "1", [p + "b2"]: "2" });
    assert.deepEqual(batch.results().map((r) => r.type), [
      "Hit",
      "Miss",
      "Hit",
    ]);
  });

  await t.step("dictionary", async () => {
    const d = p + "dict";
    const ttl = CollectionTtl.of(60);
    assert.equal(
      (await client.dictionarySetField(cache, d, "a", "1", { ttl })).type,
      "Success",
    );
    assert.equal(
      (await client.dictionarySetFields(cache, d, { b: "2", c: "3" })).type,
      "Success",
    );
    const field = await client.dictionaryGetField(cache, d, "a");
    assert.equal(field.type === "Hit" && field.valueString(), "1");
    assert.equal(
      (await client.dictionaryGetField(cache, d, "zz")).type,
      "Miss",
    );
    const fields = await client.dictionaryGetFields(cache, d, ["a", "zz", "c"]);
    assert.equal(fields.type, "Hit");
    assert.deepEqual(fields.type === "Hit" && fields.valueRecord(), {
      a: "1",
      c: "3",
    });
    const all = await client.dictionaryFetch(cache, d);
    assert.ok(all instanceof CacheDictionaryFetch.Hit);
    assert.deepEqual(all.valueRecord(), { a: "1", b: "2", c: "3" });
    assert.deepEqual(all.value(), { a: "1", b: "2", c: "3" });
    const inc = await client.dictionaryIncrement(cache, d, "n", 7);
    assert.equal(inc.type === "Success" && inc.value(), 7);
    assert.equal(
      (await client.dictionaryRemoveField(cache, d, "a")).type,
      "Success",
    );
    assert.equal(
      (await client.dictionaryRemoveFields(cache, d, ["b", "zz"])).type,
      "Success",
    );
    const length = await client.dictionaryLength(cache, d);
    assert.equal(length.type === "Hit" && length.length(), 2);
    assert.equal(
      (await client.dictionaryFetch(cache, p + "nodict")).type,
      "Miss",
    );
    const wrongType = await client.listFetch(cache, d);
    assert.equal(
      wrongType.type === "Error" && wrongType.errorCode(),
      MomentoErrorCode.FAILED_PRECONDITION_ERROR,
    );
  });

  await t.step("list", async () => {
    const l = p + "list";
    const pushed = await client.listPushBack(cache, l, "b");
    assert.equal(pushed.type === "Success" && pushed.listLength(), 1);
    const front = await client.listPushFront(cache, l, "a");
    assert.equal(front.type === "Success" && front.listLength(), 2);
    const back = await client.listConcatenateBack(cache, l, ["c", "d"]);
    assert.equal(back.type === "Success" && back.listLength(), 4);
    const cf = await client.listConcatenateFront(cache, l, ["y", "z"]);
    assert.equal(cf.type === "Success" && cf.listLength(), 6);
    const fetched = await client.listFetch(cache, l);
    assert.ok(fetched instanceof CacheListFetch.Hit);
    assert.deepEqual(fetched.valueList(), ["y", "z", "a", "b", "c", "d"]);
    const slice = await client.listFetch(cache, l, {
      startIndex: 1,
      endIndex: 3,
    });
    assert.deepEqual(slice.type === "Hit" && slice.valueList(), ["z", "a"]);
    const popped = await client.listPopFront(cache, l);
    assert.equal(popped.type === "Hit" && popped.valueString(), "y");
    const last = await client.listPopBack(cache, l);
    assert.equal(last.type === "Hit" && last.valueString(), "d");
    assert.equal((await client.listRemoveValue(cache, l, "a")).type, "Success");
    assert.equal(
      (await client.listRetain(cache, l, { startIndex: 0, endIndex: 2 })).type,
      "Success",
    );
    const length = await client.listLength(cache, l);
    assert.equal(length.type === "Hit" && length.length(), 2);
    assert.equal((await client.listPopBack(cache, p + "nolist")).type, "Miss");
  });

  await t.step("set", async () => {
    const s = p + "set";
    assert.equal(
      (await client.setAddElements(cache, s, ["a", "b", "c"])).type,
      "Success",
    );
    assert.equal((await client.setAddElement(cache, s, "d")).type, "Success");
    const all = await client.setFetch(cache, s);
    assert.ok(all instanceof CacheSetFetch.Hit);
    assert.deepEqual(all.valueArray().sort(), ["a", "b", "c", "d"]);
    const one = await client.setContainsElement(cache, s, "a");
    assert.equal(one.type === "Hit" && one.containsElement(), true);
    const many = await client.setContainsElements(cache, s, ["a", "x"]);
    assert.deepEqual(many.type === "Hit" && many.containsElements(), {
      a: true,
      x: false,
    });
    assert.equal(
      (await client.setRemoveElements(cache, s, ["d"])).type,
      "Success",
    );
    assert.equal(
      (await client.setRemoveElement(cache, s, "c")).type,
      "Success",
    );
    const sample = await client.setSample(cache, s, 5);
    assert.deepEqual(sample.type === "Hit" && sample.valueArray().sort(), [
      "a",
      "b",
    ]);
    const popped = await client.setPop(cache, s, 1);
    assert.equal(popped.type === "Hit" && popped.valueArray().length, 1);
    const length = await client.setLength(cache, s);
    assert.equal(length.type === "Hit" && length.length(), 1);
    assert.equal((await client.setFetch(cache, p + "noset")).type, "Miss");
  });

  await t.step("sorted set", async () => {
    const z = p + "zset";
    assert.equal(
      (await client.sortedSetPutElements(cache, z, { a: 1, b: 2, c: 3 })).type,
      "Success",
    );
    assert.equal(
      (await client.sortedSetPutElement(cache, z, "d", 4)).type,
      "Success",
    );
    const byRank = await client.sortedSetFetchByRank(cache, z, {
      order: SortedSetOrder.Descending,
      startRank: 0,
      endRank: 2,
    });
    assert.ok(byRank instanceof CacheSortedSetFetch.Hit);
    assert.deepEqual(byRank.valueArray(), [
      { value: "d", score: 4 },
      { value: "c", score: 3 },
    ]);
    const byScore = await client.sortedSetFetchByScore(cache, z, {
      minScore: 2,
      maxScore: 3,
    });
    assert.deepEqual(
      byScore.type === "Hit" && byScore.valueArray().map((e) => e.value),
      ["b", "c"],
    );
    const rank = await client.sortedSetGetRank(cache, z, "c");
    assert.equal(rank.type === "Hit" && rank.rank(), 2);
    const score = await client.sortedSetGetScore(cache, z, "b");
    assert.equal(score.type === "Hit" && score.score(), 2);
    assert.equal((await client.sortedSetGetScore(cache, z, "zz")).type, "Miss");
    const scores = await client.sortedSetGetScores(cache, z, ["a", "zz"]);
    assert.deepEqual(scores.type === "Hit" && scores.valueRecord(), { a: 1 });
    const inc = await client.sortedSetIncrementScore(cache, z, "a", 10);
    assert.equal(inc.type === "Success" && inc.score(), 11);
    assert.equal(
      (await client.sortedSetRemoveElement(cache, z, "d")).type,
      "Success",
    );
    assert.equal(
      (await client.sortedSetRemoveElements(cache, z, ["c"])).type,
      "Success",
    );
    const length = await client.sortedSetLength(cache, z);
    assert.equal(length.type === "Hit" && length.length(), 2);
    const byScoreLength = await client.sortedSetLengthByScore(cache, z, {
      minScore: 5,
    });
    assert.equal(byScoreLength.type === "Hit" && byScoreLength.length(), 1);
    const union = await client.sortedSetUnionStore(cache, p + "u", [
      { sortedSetName: z, weight: 2 },
    ], { aggregate: SortedSetAggregate.MAX });
    assert.equal(union.type === "Success" && union.length(), 2);
    const type = await client.itemGetType(cache, z);
    assert.equal(type.type === "Hit" && type.itemType(), ItemType.SORTED_SET);
  });

  await t.step("errors", async () => {
    const missing = await client.get("no-such-cache-" + p, "k");
    assert.equal(missing.type, "Error");
    assert.equal(
      missing.type === "Error" && missing.errorCode(),
      MomentoErrorCode.CACHE_NOT_FOUND_ERROR,
    );
    const invalid = await client.set(cache, "k", "v", { ttl: -1 });
    assert.equal(
      invalid.type === "Error" && invalid.errorCode(),
      MomentoErrorCode.INVALID_ARGUMENT_ERROR,
    );
  });
}
