import assert from "node:assert/strict";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { KvoltError } from "../../protocol/errors.ts";
import { b, caller, s, ttl } from "./_methods_test_utils.ts";
import { DICTIONARY_METHODS } from "./dictionary.ts";
import { LIST_METHODS } from "./list.ts";
import { SET_METHODS } from "./set.ts";
import { SORTED_SET_METHODS } from "./sorted_set.ts";

Deno.test("grpc dictionary methods: set, get, fetch, increment, delete, length", async () => {
  const call = caller(DICTIONARY_METHODS);
  const name = b("d");
  let r = await call(
    "DictionaryLength",
    new pb._DictionaryLengthRequest({ dictionary_name: name }),
  );
  assert.equal(r.has_missing, true);
  await call(
    "DictionarySet",
    new pb._DictionarySetRequest({
      dictionary_name: name,
      items: [["a", "1"], ["b", "2"]].map(([f, v]) =>
        new pb._DictionaryFieldValuePair({ field: b(f!), value: b(v!) })
      ),
      ...ttl,
    }),
  );
  r = await call(
    "DictionaryGet",
    new pb._DictionaryGetRequest({
      dictionary_name: name,
      fields: [b("a"), b("x")],
    }),
  );
  assert.deepEqual(
    r.found.items.map((
      p: pb._DictionaryGetResponse._DictionaryGetResponsePart,
    ) => [p.result, s(p.cache_body)]),
    [[pb.ECacheResult.Hit, "1"], [pb.ECacheResult.Miss, ""]],
  );
  r = await call(
    "DictionaryIncrement",
    new pb._DictionaryIncrementRequest({
      dictionary_name: name,
      field: b("a"),
      amount: 41,
      ...ttl,
    }),
  );
  assert.equal(r.value, 42);
  await call(
    "DictionaryDelete",
    new pb._DictionaryDeleteRequest({
      dictionary_name: name,
      some: new pb._DictionaryDeleteRequest.Some({ fields: [b("b")] }),
    }),
  );
  r = await call(
    "DictionaryFetch",
    new pb._DictionaryFetchRequest({ dictionary_name: name }),
  );
  assert.deepEqual(
    r.found.items.map((
      p: pb._DictionaryFieldValuePair,
    ) => [s(p.field), s(p.value)]),
    [["a", "42"]],
  );
  r = await call(
    "DictionaryLength",
    new pb._DictionaryLengthRequest({ dictionary_name: name }),
  );
  assert.equal(r.found.length, 1);
  r = await call(
    "DictionaryFetch",
    new pb._DictionaryFetchRequest({ dictionary_name: b("none") }),
  );
  assert.equal(r.has_missing, true);
});
Deno.test("grpc set methods: union, contains, fetch, sample, pop, difference, length", async () => {
  const call = caller(SET_METHODS);
  const name = b("s");
  await call(
    "SetUnion",
    new pb._SetUnionRequest({
      set_name: name,
      elements: ["a", "b", "c"].map(b),
      ...ttl,
    }),
  );
  let r = await call(
    "SetContains",
    new pb._SetContainsRequest({ set_name: name, elements: [b("a"), b("z")] }),
  );
  assert.deepEqual(r.found.contains, [true, false]);
  await call(
    "SetDifference",
    new pb._SetDifferenceRequest({
      set_name: name,
      subtrahend: new pb._SetDifferenceRequest._Subtrahend({
        set: new pb._SetDifferenceRequest._Subtrahend._Set({
          elements: [b("c")],
        }),
      }),
    }),
  );
  r = await call("SetFetch", new pb._SetFetchRequest({ set_name: name }));
  assert.deepEqual(r.found.elements.map(s).sort(), ["a", "b"]);
  r = await call(
    "SetSample",
    new pb._SetSampleRequest({ set_name: name, limit: 1 }),
  );
  assert.equal(r.found.elements.length, 1);
  r = await call("SetLength", new pb._SetLengthRequest({ set_name: name }));
  assert.equal(r.found.length, 2);
  r = await call("SetPop", new pb._SetPopRequest({ set_name: name, count: 5 }));
  assert.deepEqual(r.found.elements.map(s).sort(), ["a", "b"]);
  r = await call("SetFetch", new pb._SetFetchRequest({ set_name: name }));
  assert.equal(r.has_missing, true);
});
Deno.test("grpc collection methods: bad requests are INVALID_ARGUMENT errors", async () => {
  const dict = caller(DICTIONARY_METHODS);
  const set = caller(SET_METHODS);
  const bad: [() => Promise<unknown>, string][] = [
    [
      () =>
        dict(
          "DictionaryGet",
          new pb._DictionaryGetRequest({ dictionary_name: b("d"), fields: [] }),
        ),
      "fields",
    ],
    [
      () =>
        dict(
          "DictionarySet",
          new pb._DictionarySetRequest({ dictionary_name: b("d"), items: [] }),
        ),
      "ttl_milliseconds",
    ],
    [
      () =>
        dict(
          "DictionaryDelete",
          new pb._DictionaryDeleteRequest({
            dictionary_name: b("d"),
            all: new pb._DictionaryDeleteRequest.All(),
          }),
        ),
      "some.fields",
    ],
    [
      () =>
        set("SetPop", new pb._SetPopRequest({ set_name: b("s"), count: 0 })),
      "count",
    ],
    [
      () =>
        set(
          "SetDifference",
          new pb._SetDifferenceRequest({ set_name: b("s") }),
        ),
      "subtrahend",
    ],
  ];
  for (const [run, word] of bad) {
    await assert.rejects(run, (err: unknown) => {
      assert.ok(err instanceof KvoltError);
      assert.equal(err.code, "INVALID_ARGUMENT_ERROR");
      assert.match(err.message, new RegExp(word.replace(".", "\\.")));
      return true;
    });
  }
});
Deno.test("grpc list methods: push, concatenate, fetch ranges, pop, retain, remove, length", async () => {
  const call = caller(LIST_METHODS);
  const name = b("l");
  let r = await call(
    "ListPushBack",
    new pb._ListPushBackRequest({ list_name: name, value: b("b"), ...ttl }),
  );
  assert.equal(r.list_length, 1);
  r = await call(
    "ListPushFront",
    new pb._ListPushFrontRequest({ list_name: name, value: b("a"), ...ttl }),
  );
  assert.equal(r.list_length, 2);
  r = await call(
    "ListConcatenateBack",
    new pb._ListConcatenateBackRequest({
      list_name: name,
      values: ["c", "d", "c"].map(b),
      ...ttl,
    }),
  );
  assert.equal(r.list_length, 5);
  r = await call(
    "ListConcatenateFront",
    new pb._ListConcatenateFrontRequest({
      list_name: name,
      values: [b("z")],
      truncate_back_to_size: 5,
      ...ttl,
    }),
  );
  assert.equal(r.list_length, 5);
  const fetch = async (start?: number, end?: number) => {
    const req = new pb._ListFetchRequest({ list_name: name });
    if (start !== undefined) req.inclusive_start = start;
    if (end !== undefined) req.exclusive_end = end;
    const res = await call("ListFetch", req);
    return res.has_missing ? null : res.found.values.map(s);
  };
  assert.deepEqual(await fetch(), ["z", "a", "b", "c", "d"]);
  assert.deepEqual(await fetch(1, -1), ["a", "b", "c"]);
  r = await call(
    "ListPopFront",
    new pb._ListPopFrontRequest({ list_name: name }),
  );
  assert.equal(s(r.found.front), "z");
  r = await call(
    "ListPopBack",
    new pb._ListPopBackRequest({ list_name: name }),
  );
  assert.equal(s(r.found.back), "d");
  await call(
    "ListRemove",
    new pb._ListRemoveRequest({
      list_name: name,
      all_elements_with_value: b("b"),
    }),
  );
  assert.deepEqual(await fetch(), ["a", "c"]);
  const retain = new pb._ListRetainRequest({ list_name: name });
  retain.inclusive_start = 1;
  await call("ListRetain", retain);
  assert.deepEqual(await fetch(), ["c"]);
  r = await call("ListLength", new pb._ListLengthRequest({ list_name: name }));
  assert.equal(r.found.length, 1);
  r = await call(
    "ListPopBack",
    new pb._ListPopBackRequest({ list_name: b("none") }),
  );
  assert.equal(r.has_missing, true);
});
Deno.test("grpc sorted-set methods: put, fetch by rank and by score, scores, rank, increment, remove, lengths, union", async () => {
  const call = caller(SORTED_SET_METHODS);
  const name = b("z");
  const Req = pb._SortedSetFetchRequest;
  await call(
    "SortedSetPut",
    new pb._SortedSetPutRequest({
      set_name: name,
      elements: [["a", 1], ["b", 2], ["c", 3], ["d", 4]].map(([v, sc]) =>
        new pb._SortedSetElement({ value: b(v as string), score: sc as number })
      ),
      ...ttl,
    }),
  );
  const values = (r: pb._SortedSetFetchResponse) =>
    r.found.values_with_scores.elements.map((e) => `${s(e.value)}=${e.score}`);
  const byIndex = new Req._ByIndex();
  byIndex.inclusive_start_index = 1;
  byIndex.exclusive_end_index = 3;
  let r = await call(
    "SortedSetFetch",
    new Req({
      set_name: name,
      order: Req.Order.ASCENDING,
      with_scores: true,
      by_index: byIndex,
    }),
  );
  assert.deepEqual(values(r), ["b=2", "c=3"]);
  const byScore = new Req._ByScore({ offset: 0, count: -1 });
  byScore.min_score = new Req._ByScore._Score({ score: 2, exclusive: true });
  byScore.max_score = new Req._ByScore._Score({ score: 4, exclusive: false });
  r = await call(
    "SortedSetFetch",
    new Req({
      set_name: name,
      order: Req.Order.DESCENDING,
      with_scores: true,
      by_score: byScore,
    }),
  );
  assert.deepEqual(values(r), ["d=4", "c=3"]);
  r = await call(
    "SortedSetGetScore",
    new pb._SortedSetGetScoreRequest({
      set_name: name,
      values: [b("b"), b("x")],
    }),
  );
  assert.deepEqual(
    r.found.elements.map((
      p: { result: number; score: number },
    ) => [p.result, p.score]),
    [[pb.ECacheResult.Hit, 2], [pb.ECacheResult.Miss, 0]],
  );
  r = await call(
    "SortedSetGetRank",
    new pb._SortedSetGetRankRequest({
      set_name: name,
      value: b("c"),
      order: Req.Order.DESCENDING,
    }),
  );
  assert.equal(r.element_rank.rank, 1);
  r = await call(
    "SortedSetIncrement",
    new pb._SortedSetIncrementRequest({
      set_name: name,
      value: b("a"),
      amount: 10,
      ...ttl,
    }),
  );
  assert.equal(r.score, 11);
  await call(
    "SortedSetRemove",
    new pb._SortedSetRemoveRequest({
      set_name: name,
      some: new pb._SortedSetRemoveRequest._Some({ values: [b("d")] }),
    }),
  );
  r = await call(
    "SortedSetLength",
    new pb._SortedSetLengthRequest({ set_name: name }),
  );
  assert.equal(r.found.length, 3);
  const lbs = new pb._SortedSetLengthByScoreRequest({ set_name: name });
  lbs.exclusive_min = 2;
  r = await call("SortedSetLengthByScore", lbs);
  assert.equal(r.found.length, 2);
  r = await call(
    "SortedSetUnionStore",
    new pb._SortedSetUnionStoreRequest({
      set_name: b("u"),
      sources: [
        new pb._SortedSetUnionStoreRequest._Source({
          set_name: name,
          weight: 2,
        }),
      ],
      aggregate: pb._SortedSetUnionStoreRequest.AggregateFunction.SUM,
      ttl_milliseconds: 60_000,
    }),
  );
  assert.equal(r.length, 3);
  r = await call(
    "SortedSetGetRank",
    new pb._SortedSetGetRankRequest({ set_name: b("none"), value: b("c") }),
  );
  assert.equal(r.element_rank.result, pb.ECacheResult.Miss);
  await assert.rejects(
    () => call("SortedSetFetch", new Req({ set_name: name })),
    KvoltError,
  );
});
