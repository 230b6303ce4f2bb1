import assert from "node:assert/strict";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { MemoryStore } from "../../protocol/memory_store.ts";
import { KvoltError } from "../../protocol/errors.ts";
import { DICTIONARY_METHODS } from "./dictionary.ts";
import type { GrpcMethods, Message } from "./method.ts";
import { SET_METHODS } from "./set.ts";

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

/** One call as the wire carries it: serialized request in, serialized response out. */
function caller(methods: GrpcMethods) {
  const store = new MemoryStore();
  // deno-lint-ignore no-explicit-any
  return async (name: string, request: Message): Promise<any> => {
    const m = methods[name]!;
    const d = definition[name]!;
    const args = m.args(d.requestDeserialize(request.serialize()));
    const result = await store.execute(1, m.op, args);
    return d.responseDeserialize(m.response(result).serialize());
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
