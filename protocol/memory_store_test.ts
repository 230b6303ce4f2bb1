/**
 * The reference model, part 1: scalars, operations on items of every type
 * (existence, TTL, type), expiry, type rules and scalar limits. These tests pin
 * the semantics the Wasm-backed store and the gateway follow.
 */
import assert from "node:assert/strict";
import { b, fixture, str, throwsKvolt } from "./_memory_test_utils.ts";
import { MemoryStore } from "./memory_store.ts";
import type { OpName } from "./operations.ts";
import { valueHash } from "./value_hash.ts";

const TTL = 60_000;
const FP = "FAILED_PRECONDITION_ERROR";

Deno.test("get, set, delete: values, caches, flush and byte ownership", () => {
  const { store, run } = fixture();
  assert.deepEqual(run("get", { key: b("k") }), { type: "Miss" });
  assert.deepEqual(run("set", { key: b("k"), value: b("v"), ttlMs: TTL }), {
    type: "Success",
  });
  assert.deepEqual(run("get", { key: b("k") }), { type: "Hit", value: b("v") });
  // caches are namespaces
  assert.equal(store.get(2, b("k")), undefined);
  store.set(2, b("k"), b("other"), TTL);
  assert.equal(str(store.get(1, b("k"))!), "v");
  // an empty key and an empty value are items like any other
  store.set(1, new Uint8Array(0), new Uint8Array(0), TTL);
  assert.deepEqual(store.get(1, new Uint8Array(0)), new Uint8Array(0));
  // the store copies on the way in and out
  const value = b("abc");
  store.set(1, b("own"), value, TTL);
  value[0] = 0;
  const read = store.get(1, b("own"))!;
  read[1] = 0;
  assert.equal(str(store.get(1, b("own"))!), "abc");
  // delete: any key, also a missing one
  assert.deepEqual(run("delete", { key: b("k") }), { type: "Success" });
  assert.deepEqual(run("delete", { key: b("missing") }), { type: "Success" });
  assert.equal(store.get(1, b("k")), undefined);
  // flush empties one cache only
  store.flush(1);
  assert.equal(store.get(1, b("own")), undefined);
  assert.equal(str(store.get(2, b("k"))!), "other");
});

Deno.test("expiry: an item is gone when ttlMs has elapsed, everywhere", () => {
  const { run, advance } = fixture();
  run("set", { key: b("k"), value: b("v"), ttlMs: 100 });
  run("listPushBack", { key: b("l"), value: b("x"), ttlMs: 100 });
  advance(99);
  assert.equal(run("get", { key: b("k") }).type, "Hit");
  assert.deepEqual(run("itemGetTtl", { key: b("k") }), {
    type: "Hit",
    remainingTtlMs: 1,
  });
  advance(1);
  assert.deepEqual(run("get", { key: b("k") }), { type: "Miss" });
  assert.deepEqual(run("keyExists", { key: b("k") }), {
    type: "Success",
    exists: false,
  });
  assert.deepEqual(run("itemGetTtl", { key: b("l") }), { type: "Miss" });
  assert.deepEqual(run("listLength", { key: b("l") }), { type: "Miss" });
  // an expired item counts as absent for conditional sets and collections
  assert.deepEqual(
    run("setIfAbsent", { key: b("k"), value: b("new"), ttlMs: TTL }),
    { type: "Stored" },
  );
  assert.deepEqual(
    run("listPushBack", { key: b("l"), value: b("y"), ttlMs: TTL }),
    { type: "Success", length: 1 },
  );
});

Deno.test("conditional sets: each condition against absent, equal, different and collection", () => {
  type Case = [OpName, Record<string, Uint8Array>];
  const cases: Case[] = [
    ["setIfAbsent", {}],
    ["setIfPresent", {}],
    ["setIfEqual", { equal: b("old") }],
    ["setIfNotEqual", { notEqual: b("old") }],
    ["setIfPresentAndNotEqual", { notEqual: b("old") }],
    ["setIfAbsentOrEqual", { equal: b("old") }],
    ["setIfPresentAndHashEqual", { hashEqual: valueHash(b("old")) }],
    ["setIfPresentAndHashNotEqual", { hashNotEqual: valueHash(b("old")) }],
    ["setIfAbsentOrHashEqual", { hashEqual: valueHash(b("old")) }],
    ["setIfAbsentOrHashNotEqual", { hashNotEqual: valueHash(b("old")) }],
  ];
  // expected Stored for: [absent, holds "old", holds "other", holds a set]
  const expected: Record<string, boolean[]> = {
    setIfAbsent: [true, false, false, false],
    setIfPresent: [false, true, true, true],
    setIfEqual: [false, true, false, false],
    setIfNotEqual: [true, false, true, true],
    setIfPresentAndNotEqual: [false, false, true, true],
    setIfAbsentOrEqual: [true, true, false, false],
    setIfPresentAndHashEqual: [false, true, false, false],
    setIfPresentAndHashNotEqual: [false, false, true, true],
    setIfAbsentOrHashEqual: [true, true, false, false],
    setIfAbsentOrHashNotEqual: [true, false, true, true],
  };
  for (const [op, condition] of cases) {
    for (const [state, want] of expected[op]!.entries()) {
      const { store, run } = fixture();
      if (state === 1) run("set", { key: b("k"), value: b("old"), ttlMs: TTL });
      if (state === 2) {
        run("set", { key: b("k"), value: b("other"), ttlMs: TTL });
      }
      if (state === 3) {
        run("setAddElements", { key: b("k"), elements: [b("e")], ttlMs: TTL });
      }
      const args = { key: b("k"), value: b("new"), ttlMs: TTL, ...condition };
      // deno-lint-ignore no-explicit-any
      const result = store.execute(1, op, args as any) as { type: string };
      const label = `${op} in state ${state}`;
      assert.equal(result.type, want ? "Stored" : "NotStored", label);
      if (op.includes("Hash") && want) {
        assert.deepEqual(result, { type: "Stored", hash: valueHash(b("new")) });
      }
      const type = run("itemGetType", { key: b("k") });
      if (want) assert.equal(str(store.get(1, b("k"))!), "new", label);
      else if (state === 3) {
        assert.deepEqual(type, { type: "Hit", itemType: "SET" }, label);
      } else if (state === 0) assert.equal(type.type, "Miss", label);
      else assert.notEqual(str(store.get(1, b("k"))!), "new", label);
    }
  }
});

Deno.test("getWithHash and setWithHash: the hash is valueHash of the value", () => {
  const { run } = fixture();
  assert.deepEqual(run("getWithHash", { key: b("k") }), { type: "Miss" });
  assert.deepEqual(
    run("setWithHash", { key: b("k"), value: b("v1"), ttlMs: TTL }),
    { type: "Stored", hash: valueHash(b("v1")) },
  );
  assert.deepEqual(run("getWithHash", { key: b("k") }), {
    type: "Hit",
    value: b("v1"),
    hash: valueHash(b("v1")),
  });
  // optimistic concurrency: the first writer with the read hash wins
  const { hash } = run("getWithHash", { key: b("k") }) as { hash: Uint8Array };
  const write = (value: string) =>
    run("setIfPresentAndHashEqual", {
      key: b("k"),
      value: b(value),
      hashEqual: hash,
      ttlMs: TTL,
    }).type;
  assert.equal(write("A"), "Stored");
  assert.equal(write("B"), "NotStored");
});

Deno.test("increment: int64 text, the TTL given applies each time, errors change nothing", () => {
  const { store, run, advance } = fixture();
  const inc = (key: string, amount: number) =>
    run("increment", { key: b(key), amount, ttlMs: 1000 });
  assert.deepEqual(inc("n", 5), { type: "Success", value: 5 });
  advance(400);
  assert.deepEqual(inc("n", -7), { type: "Success", value: -2 });
  assert.equal(str(store.get(1, b("n"))!), "-2");
  // the TTL given applies to the result, as for a set (Momento)
  assert.deepEqual(run("itemGetTtl", { key: b("n") }), {
    type: "Hit",
    remainingTtlMs: 1000,
  });
  assert.deepEqual(inc("zero", 0), { type: "Success", value: 0 });
  // accepted text: optional sign, ASCII digits, leading zeros
  for (const [text, want] of [["+5", 6], ["-5", -4], ["007", 8]] as const) {
    run("set", { key: b("t"), value: b(text), ttlMs: TTL });
    assert.deepEqual(inc("t", 1), { type: "Success", value: want }, text);
  }
  // rejected text, overflow: FAILED_PRECONDITION_ERROR, value unchanged
  for (const text of ["1.5", " 1", "1 ", "", "-", "abc", "0x10", "1e3"]) {
    run("set", { key: b("t"), value: b(text), ttlMs: TTL });
    throwsKvolt(() => inc("t", 1), FP);
    assert.equal(str(store.get(1, b("t"))!), text);
  }
  run("set", { key: b("max"), value: b("9223372036854775806"), ttlMs: TTL });
  inc("max", 1);
  assert.equal(str(store.get(1, b("max"))!), "9223372036854775807");
  throwsKvolt(() => inc("max", 1), FP);
  assert.equal(str(store.get(1, b("max"))!), "9223372036854775807");
  run("set", { key: b("min"), value: b("-9223372036854775808"), ttlMs: TTL });
  throwsKvolt(() => inc("min", -1), FP);
  run("set", { key: b("big"), value: b("9223372036854775808"), ttlMs: TTL });
  throwsKvolt(() => inc("big", -1), FP);
  // a collection is not a counter; a fractional amount is a bad argument
  run("setAddElements", { key: b("s"), elements: [b("1")], ttlMs: TTL });
  throwsKvolt(() => inc("s", 1), FP);
  throwsKvolt(() => inc("n", 1.5), "INVALID_ARGUMENT_ERROR");
  assert.equal(str(store.get(1, b("n"))!), "-2");
  // an item set with a long TTL, then incremented with a short one, is gone
  // at the short one
  run("set", { key: b("long"), value: b("1"), ttlMs: 3_600_000 });
  run("increment", { key: b("long"), amount: 1, ttlMs: 1000 });
  advance(1001);
  assert.equal(store.get(1, b("long")), undefined, "gone at the new TTL");
});

Deno.test("keyExists, keysExist, itemGetType: every item type", () => {
  const { run } = fixture();
  run("set", { key: b("scalar"), value: b("v"), ttlMs: TTL });
  run("dictionarySetField", {
    key: b("dict"),
    field: b("f"),
    value: b("v"),
    ttlMs: TTL,
  });
  run("listPushBack", { key: b("list"), value: b("v"), ttlMs: TTL });
  run("setAddElements", { key: b("set"), elements: [b("v")], ttlMs: TTL });
  run("sortedSetPutElements", {
    key: b("zset"),
    elements: [{ value: b("v"), score: 1 }],
    ttlMs: TTL,
  });
  const names = ["scalar", "dict", "list", "set", "zset"];
  const types = ["SCALAR", "DICTIONARY", "LIST", "SET", "SORTED_SET"];
  for (const [i, name] of names.entries()) {
    assert.deepEqual(run("itemGetType", { key: b(name) }), {
      type: "Hit",
      itemType: types[i],
    });
    assert.deepEqual(run("keyExists", { key: b(name) }), {
      type: "Success",
      exists: true,
    });
  }
  assert.deepEqual(run("itemGetType", { key: b("none") }), { type: "Miss" });
  assert.deepEqual(
    run("keysExist", { keys: [b("none"), b("list"), b("scalar"), b("none")] }),
    { type: "Success", exists: [false, true, true, false] },
  );
  assert.deepEqual(run("keysExist", { keys: [] }), {
    type: "Success",
    exists: [],
  });
});

Deno.test("updateTtl, increaseTtl, decreaseTtl: Set, NotSet, Miss on every type", () => {
  const { run, advance } = fixture();
  run("set", { key: b("k"), value: b("v"), ttlMs: 1000 });
  run("listPushBack", { key: b("l"), value: b("v"), ttlMs: 1000 });
  const remaining = (key: string) => run("itemGetTtl", { key: b(key) });
  for (const key of ["k", "l"]) {
    const change = (
      op: "updateTtl" | "increaseTtl" | "decreaseTtl",
      ms: number,
    ) => run(op, { key: b(key), ttlMs: ms }).type;
    assert.equal(change("increaseTtl", 1000), "NotSet", "equal is not longer");
    assert.equal(change("decreaseTtl", 1000), "NotSet", "equal is not shorter");
    assert.equal(change("increaseTtl", 500), "NotSet");
    assert.equal(change("decreaseTtl", 5000), "NotSet");
    assert.deepEqual(remaining(key), { type: "Hit", remainingTtlMs: 1000 });
    assert.equal(change("increaseTtl", 5000), "Set");
    assert.deepEqual(remaining(key), { type: "Hit", remainingTtlMs: 5000 });
    assert.equal(change("decreaseTtl", 2000), "Set");
    assert.deepEqual(remaining(key), { type: "Hit", remainingTtlMs: 2000 });
    assert.equal(change("updateTtl", 3000), "Set");
    assert.equal(change("updateTtl", 10), "Set", "update may shorten");
    assert.deepEqual(remaining(key), { type: "Hit", remainingTtlMs: 10 });
  }
  for (const op of ["updateTtl", "increaseTtl", "decreaseTtl"] as const) {
    assert.deepEqual(run(op, { key: b("none"), ttlMs: 10 }), { type: "Miss" });
  }
  advance(10);
  assert.deepEqual(run("updateTtl", { key: b("k"), ttlMs: 10 }), {
    type: "Miss",
  });
});

Deno.test("getBatch and setBatch: one result per key, all or nothing", () => {
  const { store, run } = fixture({ maxItemBytes: 10 });
  assert.deepEqual(
    run("setBatch", {
      items: [
        { key: b("a"), value: b("1"), ttlMs: TTL },
        { key: b("b"), value: b("2"), ttlMs: 10 },
        { key: b("a"), value: b("3"), ttlMs: TTL },
      ],
    }),
    { type: "Success" },
  );
  run("listPushBack", { key: b("l"), value: b("x"), ttlMs: TTL });
  assert.deepEqual(
    run("getBatch", { keys: [b("a"), b("none"), b("b"), b("l"), b("a")] }),
    {
      type: "Success",
      results: [
        { type: "Hit", value: b("3") },
        { type: "Miss" },
        { type: "Hit", value: b("2") },
        { type: "Miss" }, // a collection is a Miss in a batch
        { type: "Hit", value: b("3") },
      ],
    },
  );
  throwsKvolt(
    () =>
      run("setBatch", {
        items: [
          { key: b("c"), value: b("fits"), ttlMs: TTL },
          { key: b("d"), value: b("far too large"), ttlMs: TTL },
        ],
      }),
    "LIMIT_EXCEEDED_ERROR",
    "item_size_limit_exceeded",
  );
  assert.equal(store.get(1, b("c")), undefined);
});

Deno.test("type rules: scalar writes replace any type, reads of a collection fail", () => {
  const { store, run } = fixture();
  const secret = b("secret-key-name");
  run("dictionarySetField", {
    key: secret,
    field: b("f"),
    value: b("v"),
    ttlMs: TTL,
  });
  const err = throwsKvolt(() => run("get", { key: secret }), FP);
  assert.equal(
    err.message,
    "Cannot run get: the key holds a DICTIONARY, not a SCALAR",
  );
  assert.ok(!err.message.includes("secret"));
  throwsKvolt(() => store.get(1, secret), FP);
  throwsKvolt(() => run("getWithHash", { key: secret }), FP);
  // a collection op on another collection type fails and changes nothing
  const listOp = () =>
    run("listPushBack", { key: secret, value: b("x"), ttlMs: 1 });
  const e2 = throwsKvolt(listOp, FP);
  assert.equal(
    e2.message,
    "Cannot run listPushBack: the key holds a DICTIONARY, not a LIST",
  );
  throwsKvolt(() => run("listLength", { key: secret }), FP);
  throwsKvolt(
    () => run("setRemoveElements", { key: secret, elements: [] }),
    FP,
  );
  assert.deepEqual(run("dictionaryLength", { key: secret }), {
    type: "Hit",
    length: 1,
  });
  assert.deepEqual(run("itemGetTtl", { key: secret }), {
    type: "Hit",
    remainingTtlMs: TTL,
  });
  // a scalar blocks collection ops too
  run("set", { key: b("s"), value: b("v"), ttlMs: TTL });
  throwsKvolt(() => run("setFetch", { key: b("s") }), FP);
  // set replaces the dictionary; delete removes any type
  run("set", { key: secret, value: b("v"), ttlMs: TTL });
  assert.equal(str(store.get(1, secret)!), "v");
  run("sortedSetPutElements", {
    key: b("z"),
    elements: [{ value: b("v"), score: 1 }],
    ttlMs: TTL,
  });
  store.delete(1, b("z"));
  assert.deepEqual(run("itemGetType", { key: b("z") }), { type: "Miss" });
});

Deno.test("scalar limits: key + value over maxItemBytes is refused, nothing changed", () => {
  const { store, run } = fixture({ maxItemBytes: 8 });
  store.set(1, b("key"), b("12345"), TTL); // exactly 8 bytes
  const tooBig = { key: b("key"), value: b("123456"), ttlMs: TTL };
  for (
    const op of ["set", "setWithHash", "setIfPresent", "setIfAbsent"] as const
  ) {
    const err = throwsKvolt(
      () => run(op, tooBig),
      "LIMIT_EXCEEDED_ERROR",
      "item_size_limit_exceeded",
    );
    assert.match(err.message, /8-byte limit: received 9 bytes$/);
  }
  throwsKvolt(
    () => store.set(1, b("key"), b("123456"), TTL),
    "LIMIT_EXCEEDED_ERROR",
  );
  assert.equal(str(store.get(1, b("key"))!), "12345");
  assert.equal(store.limits.maxItemBytes, 8);
  assert.equal(new MemoryStore().limits.maxItemBytes, 5 * 1024 * 1024);
  // increment's result counts too
  run("set", { key: b("n"), value: b("99999"), ttlMs: TTL }); // 1 + 5 bytes
  run("increment", { key: b("n"), amount: 1, ttlMs: TTL }); // 100000: 7 bytes
  throwsKvolt(
    () => run("increment", { key: b("n"), amount: 9_900_000, ttlMs: TTL }),
    "LIMIT_EXCEEDED_ERROR",
  );
  assert.equal(str(store.get(1, b("n"))!), "100000");
});
