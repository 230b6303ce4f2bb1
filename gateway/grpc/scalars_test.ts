import assert from "node:assert/strict";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { KvoltError } from "../../protocol/errors.ts";
import { b, caller, s } from "./_methods_test_utils.ts";
import { SCALAR_METHODS } from "./scalars.ts";

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
