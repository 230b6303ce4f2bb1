import assert from "node:assert/strict";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { MemoryStore } from "../../protocol/memory_store.ts";
import { KvoltError } from "../../protocol/errors.ts";
import { DICTIONARY_METHODS } from "./dictionary.ts";
import { type GrpcMethods, type Message, methodFor } from "./method.ts";
import { LIST_METHODS } from "./list.ts";
import { SCALAR_METHODS } from "./scalars.ts";
import { SET_METHODS } from "./set.ts";
import { SORTED_SET_METHODS } from "./sorted_set.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const b = (s: string) => te.encode(s);
const s = (u: Uint8Array) => td.decode(u);
const definition = pb.UnimplementedScsService.definition as unknown as Record<
  string,
  {
    requestDeserialize(b: Uint8Array): unknown;
    responseDeserialize(b: Uint8Array): unknown;
  }
>;

/** One call as the wire carries it (a stream: the list of its messages): serialized request in, serialized response out. */
function caller(methods: GrpcMethods) {
  const store = new MemoryStore();
  // deno-lint-ignore no-explicit-any
  return async (name: string, request: Message): Promise<any> => {
    const d = definition[name]!;
    const decoded = d.requestDeserialize(request.serialize());
    const m = methodFor(methods[name]!, decoded);
    const args = m.args(decoded);
    const result = await store.execute(1, m.op, args);
    const out = m.response(result, args);
    return Array.isArray(out)
      ? out.map((o) => d.responseDeserialize(o.serialize()))
      : d.responseDeserialize(out.serialize());
  };
}

const ttl = { ttl_milliseconds: 60_000, refresh_ttl: true };

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

Deno.test("grpc scalar methods: get, set, conditionals, hashes, increment, TTLs, type, existence, batches", async () => {
  const call = caller(SCALAR_METHODS);
  const C = pb._SetIfRequest;
  const common = await import("@gomomento/generated-types/dist/common.js");
  const c = common.common;
  let r = await call("Get", new pb._GetRequest({ cache_key: b("k") }));
  assert.equal(r.result, pb.ECacheResult.Miss);
  r = await call(
    "Set",
    new pb._SetRequest({
      cache_key: b("k"),
      cache_body: b("v1"),
      ttl_milliseconds: 60_000,
    }),
  );
  assert.equal(r.result, pb.ECacheResult.Ok);
  r = await call("Get", new pb._GetRequest({ cache_key: b("k") }));
  assert.deepEqual([r.result, s(r.cache_body)], [pb.ECacheResult.Hit, "v1"]);
  const setIf = (cond: Record<string, unknown>) =>
    call(
      "SetIf",
      new C({
        cache_key: b("k"),
        cache_body: b("v2"),
        ttl_milliseconds: 60_000,
        ...cond,
      }),
    );
  r = await setIf({ absent: new c.Absent() });
  assert.equal(r.has_not_stored, true);
  r = await setIf({ equal: new c.Equal({ value_to_check: b("v1") }) });
  assert.equal(r.has_stored, true);
  r = await call(
    "SetIfNotExists",
    new pb._SetIfNotExistsRequest({
      cache_key: b("k"),
      cache_body: b("x"),
      ttl_milliseconds: 1000,
    }),
  );
  assert.equal(r.has_not_stored, true);
  r = await call(
    "GetWithHash",
    new pb._GetWithHashRequest({ cache_key: b("k") }),
  );
  const hash = r.found.hash;
  assert.equal(s(r.found.value), "v2");
  r = await call(
    "SetIfHash",
    new pb._SetIfHashRequest({
      cache_key: b("k"),
      cache_body: b("v3"),
      ttl_milliseconds: 60_000,
      present_and_hash_equal: new c.PresentAndHashEqual({
        hash_to_check: hash,
      }),
    }),
  );
  assert.equal(r.has_stored, true);
  assert.equal(r.stored.new_hash.length, 8);
  r = await call(
    "Increment",
    new pb._IncrementRequest({
      cache_key: b("n"),
      amount: 5,
      ttl_milliseconds: 60_000,
    }),
  );
  assert.equal(r.value, 5);
  r = await call(
    "UpdateTtl",
    new pb._UpdateTtlRequest({
      cache_key: b("n"),
      increase_to_milliseconds: 120_000,
    }),
  );
  assert.equal(r.has_set, true);
  r = await call(
    "UpdateTtl",
    new pb._UpdateTtlRequest({
      cache_key: b("n"),
      increase_to_milliseconds: 1_000,
    }),
  );
  assert.equal(r.has_not_set, true);
  r = await call(
    "UpdateTtl",
    new pb._UpdateTtlRequest({
      cache_key: b("none"),
      overwrite_to_milliseconds: 1_000,
    }),
  );
  assert.equal(r.has_missing, true);
  r = await call(
    "ItemGetTtl",
    new pb._ItemGetTtlRequest({ cache_key: b("n") }),
  );
  assert.ok(
    r.found.remaining_ttl_millis > 60_000 &&
      r.found.remaining_ttl_millis <= 120_000,
  );
  r = await call(
    "ItemGetType",
    new pb._ItemGetTypeRequest({ cache_key: b("n") }),
  );
  assert.equal(r.found.item_type, pb._ItemGetTypeResponse.ItemType.SCALAR);
  r = await call(
    "KeysExist",
    new pb._KeysExistRequest({ cache_keys: [b("k"), b("none")] }),
  );
  assert.deepEqual(r.exists, [true, false]);
  r = await call(
    "SetBatch",
    new pb._SetBatchRequest({
      items: ["a", "b"].map((k) =>
        new pb._SetRequest({
          cache_key: b(k),
          cache_body: b(k + k),
          ttl_milliseconds: 60_000,
        })
      ),
    }),
  );
  assert.equal(r.length, 2);
  r = await call(
    "GetBatch",
    new pb._GetBatchRequest({
      items: ["a", "x", "b"].map((k) =>
        new pb._GetRequest({ cache_key: b(k) })
      ),
    }),
  );
  assert.deepEqual(r.map((g: pb._GetResponse) => [g.result, s(g.cache_body)]), [
    [pb.ECacheResult.Hit, "aa"],
    [pb.ECacheResult.Miss, ""],
    [pb.ECacheResult.Hit, "bb"],
  ]);
  await call("Delete", new pb._DeleteRequest({ cache_key: b("k") }));
  r = await call("Get", new pb._GetRequest({ cache_key: b("k") }));
  assert.equal(r.result, pb.ECacheResult.Miss);
  await assert.rejects(
    () =>
      call(
        "SetIf",
        new C({ cache_key: b("k"), cache_body: b("v"), ttl_milliseconds: 1 }),
      ),
    KvoltError,
  );
  await assert.rejects(
    () =>
      call(
        "Set",
        new pb._SetRequest({ cache_key: b("k"), cache_body: b("v") }),
      ),
    /ttl_milliseconds/,
  );
});
