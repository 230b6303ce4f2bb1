// Ownership of collection results: every call writes its arguments straight
// into the shard's memory through one reused CollCall, and every result that
// holds bytes is views of one fresh copy per call. These tests check that no
// result aliases the core's memory or another call's result: results read
// before either is used stay distinct, a result never changes after later
// calls, and writing into a result changes nothing else.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { OpArgs, OpName } from "../protocol/operations.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { ShardHost } from "./shard_host.ts";
import { bytes, enc, MiB } from "./_test_utils.ts";

const ttl = { ttlMs: 3_600_000 };

async function oneShard(budget = 4 * MiB): Promise<ShardHost> {
  return await ShardHost.create({
    shards: 1,
    bytesPerShard: budget,
    sweepEveryMs: 0,
  });
}

/** A deep copy of a result: every byte array as a plain array. */
function snapshot(r: unknown): unknown {
  if (r instanceof Uint8Array) return { bytes: [...r] };
  if (Array.isArray(r)) return r.map(snapshot);
  if (r !== null && typeof r === "object") {
    return Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, snapshot(v)]),
    );
  }
  return r;
}

/** Every byte array in a result. */
function arrays(r: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (r instanceof Uint8Array) out.push(r);
  else if (Array.isArray(r)) { for (const x of r) arrays(x, out); }
  else if (r !== null && typeof r === "object") {
    for (const x of Object.values(r)) arrays(x, out);
  }
  return out;
}

Deno.test("results: two lookups read before either is used stay distinct", async () => {
  const host = await oneShard();
  host.execute(1, "dictionarySetField", {
    key: enc("a"),
    field: enc("f"),
    value: enc("first"),
    ...ttl,
  });
  host.execute(1, "dictionarySetField", {
    key: enc("b"),
    field: enc("f"),
    value: enc("other"),
    ...ttl,
  });
  const a = host.execute(1, "dictionaryGetField", {
    key: enc("a"),
    field: enc("f"),
  });
  const b = host.execute(1, "dictionaryGetField", {
    key: enc("b"),
    field: enc("f"),
  });
  const p = host.execute(1, "listPushBack", {
    key: enc("l"),
    value: enc("x"),
    ...ttl,
  });
  const pop1 = host.execute(1, "listPopFront", { key: enc("l") });
  host.execute(1, "listPushBack", { key: enc("l"), value: enc("y"), ...ttl });
  const pop2 = host.execute(1, "listPopFront", { key: enc("l") });
  assert.deepEqual(a, { type: "Hit", value: enc("first") });
  assert.deepEqual(b, { type: "Hit", value: enc("other") });
  assert.deepEqual(p, { type: "Success", length: 1 });
  assert.deepEqual(pop1, { type: "Hit", value: enc("x") });
  assert.deepEqual(pop2, { type: "Hit", value: enc("y") });
  assert.notEqual(
    (a as { value: Uint8Array }).value.buffer,
    (b as { value: Uint8Array }).value.buffer,
  );
  host.close();
});

Deno.test("results: writing into a result changes neither the store nor other results", async () => {
  const host = await oneShard();
  const key = enc("d");
  for (let i = 0; i < 5; i++) {
    host.execute(1, "dictionarySetField", {
      key,
      field: enc(`f${i}`),
      value: enc(`value ${i}`),
      ...ttl,
    });
  }
  const r = host.execute(1, "dictionaryFetch", { key });
  assert.equal(r.type, "Hit");
  const fields = r.type === "Hit" ? r.fields : [];
  const before = snapshot(fields);
  fields[0]!.value.fill(0xee);
  fields[0]!.field.fill(0xee);
  // the neighbours in the same copy keep their bytes
  assert.deepEqual(snapshot(fields.slice(1)), (before as unknown[]).slice(1));
  // and the store keeps its own
  const again = host.execute(1, "dictionaryFetch", { key });
  assert.deepEqual(snapshot(again), { type: "Hit", fields: before });
  host.close();
});

Deno.test("results: no result is a view of the core's memory", async () => {
  const host = await oneShard(16 * MiB);
  const key = enc("z");
  const elements = Array.from({ length: 50 }, (_, i) => ({
    value: bytes(10 + i, i),
    score: i,
  }));
  host.execute(1, "sortedSetPutElements", { key, elements, ...ttl });
  host.execute(1, "listConcatenateBack", {
    key: enc("l"),
    values: elements.map((e) => e.value),
    ...ttl,
  });
  const results = [
    host.execute(1, "sortedSetFetchByRank", { key }),
    host.execute(1, "sortedSetFetchByScore", { key, minScore: 10 }),
    host.execute(1, "listFetch", { key: enc("l") }),
    host.execute(1, "listPopBack", { key: enc("l") }),
  ];
  for (const r of results) {
    const found = arrays(r);
    assert.ok(found.length > 0);
    for (const a of found) {
      // a view of one result's copy: far smaller than the shard's memory
      assert.ok(a.buffer.byteLength < 4096, `${a.buffer.byteLength}`);
    }
  }
  host.close();
});

Deno.test("results: arguments past the scratch region grow memory; scalars still work", async () => {
  const host = await oneShard(8 * MiB);
  const key = enc("big");
  host.set(1, enc("s"), enc("scalar"), 60_000);
  const before = host.stats()[0]!.memoryBytes;
  // 30 x 100 KiB: the payload goes to the extension region, which grows
  // the memory and detaches every view made before
  const fields = Array.from({ length: 30 }, (_, i) => ({
    field: enc(`f${i}`),
    value: bytes(100 * 1024, i),
  }));
  host.execute(1, "dictionarySetFields", { key, fields, ...ttl });
  assert.ok(host.stats()[0]!.memoryBytes > before);
  // the scalar path shares the refreshed views
  assert.deepEqual(host.get(1, enc("s")), enc("scalar"));
  host.set(1, enc("t"), enc("other"), 60_000);
  assert.deepEqual(host.get(1, enc("t")), enc("other"));
  const r = host.execute(1, "dictionaryFetch", { key });
  assert.equal(r.type === "Hit" ? r.fields.length : 0, 30);
  const got = host.execute(1, "dictionaryGetFields", {
    key,
    fields: [enc("f1"), enc("nope"), enc("f29")],
  });
  assert.deepEqual(got, {
    type: "Hit",
    results: [
      { type: "Hit", value: bytes(100 * 1024, 1) },
      { type: "Miss" },
      { type: "Hit", value: bytes(100 * 1024, 29) },
    ],
  });
  host.close();
});

Deno.test("results: a key too long with its cache prefix is refused before anything runs", async () => {
  const host = await oneShard();
  const key = new Uint8Array(65535 - 3);
  assert.throws(
    () =>
      host.execute(1, "dictionarySetField", {
        key,
        field: enc("f"),
        value: enc("v"),
        ...ttl,
      }),
    (e) => e instanceof KvoltError && e.code === ErrorCode.INVALID_ARGUMENT,
  );
  // the shard still answers
  host.execute(1, "setAddElements", {
    key: enc("s"),
    elements: [enc("e")],
    ...ttl,
  });
  assert.deepEqual(
    host.execute(1, "setContainsElements", {
      key: enc("s"),
      elements: [enc("e"), enc("x")],
    }),
    { type: "Hit", contains: [true, false] },
  );
  host.close();
});

type Step = { op: OpName; args: Record<string, unknown> };

const small = fc.uint8Array({ minLength: 0, maxLength: 12 });
const member = fc.constantFrom("m1", "m2", "m3", "m4").map(enc);
/** Two keys per type, so that most calls find what they look for. */
const keyOf = (type: string) =>
  fc.constantFrom("1", "2").map((k) => enc(type + k));
const dict = keyOf("d");
const list = keyOf("l");
const set = keyOf("s");
const zset = keyOf("z");
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ key: dict, field: member, value: small }).map((a) => ({
    op: "dictionarySetField" as const,
    args: { ...a, ...ttl },
  })),
  fc.record({ key: dict, field: member }).map((a) => ({
    op: "dictionaryGetField" as const,
    args: a,
  })),
  fc.record({ key: dict, fields: fc.array(member, { maxLength: 3 }) }).map(
    (a) => ({ op: "dictionaryGetFields" as const, args: a }),
  ),
  dict.map((key) => ({ op: "dictionaryFetch" as const, args: { key } })),
  fc.record({ key: list, value: small }).map((a) => ({
    op: "listPushBack" as const,
    args: { ...a, ...ttl },
  })),
  list.map((key) => ({ op: "listPopFront" as const, args: { key } })),
  list.map((key) => ({ op: "listFetch" as const, args: { key } })),
  fc.record({ key: set, elements: fc.array(member, { maxLength: 3 }) }).map(
    (a) => ({ op: "setAddElements" as const, args: { ...a, ...ttl } }),
  ),
  set.map((key) => ({ op: "setFetch" as const, args: { key } })),
  fc.record({ key: set, limit: fc.nat(4) }).map((a) => ({
    op: "setSample" as const,
    args: a,
  })),
  fc.record({ key: zset, value: member, score: fc.integer() }).map((a) => ({
    op: "sortedSetPutElements" as const,
    args: {
      key: a.key,
      elements: [{ value: a.value, score: a.score }],
      ...ttl,
    },
  })),
  zset.map((key) => ({ op: "sortedSetFetchByRank" as const, args: { key } })),
  zset.map((key) => ({
    op: "sortedSetFetchByScore" as const,
    args: { key, count: 3 },
  })),
  fc.record({ key: zset, values: fc.array(member, { maxLength: 3 }) }).map(
    (a) => ({ op: "sortedSetGetScores" as const, args: a }),
  ),
);

Deno.test("results: no result changes after later calls (random sequences)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { maxLength: 60 }), async (steps) => {
      const host = await oneShard();
      const kept: { result: unknown; seen: unknown; i: number }[] = [];
      steps.forEach((step, i) => {
        try {
          const result = host.execute(
            1,
            step.op,
            step.args as OpArgs<OpName>,
          );
          kept.push({ result, seen: snapshot(result), i });
        } catch (err) {
          if (!(err instanceof KvoltError)) throw err; // wrong type: fine
        }
      });
      for (const k of kept) {
        assert.deepEqual(snapshot(k.result), k.seen, `step ${k.i}`);
      }
      host.close();
    }),
    { seed: 20261127, numRuns: 150 },
  );
});
