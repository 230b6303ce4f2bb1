// Collections and the shard's policies: a collection is one item for
// eviction, relocation survives its old copy being evicted or moved while the
// new one is reserved, type mismatches change nothing, the collection TTL
// rules, flush, and limits that leave the collection as it was.
import assert from "node:assert/strict";
import type { OpName, OpResult } from "../protocol/operations.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { ShardHost } from "./shard_host.ts";
import { assertKvoltError, bytes, enc, T0 } from "./_test_utils.ts";

async function host(budget: number, clock = { now: T0 }, limits = {}) {
  return await ShardHost.create({
    shards: 1,
    bytesPerShard: budget,
    sweepEveryMs: 0,
    now: () => clock.now,
    limits,
  });
}

const ttl = { ttlMs: 3_600_000 };
const list = (h: ShardHost, key: Uint8Array) => {
  const r = h.execute(1, "listFetch", { key });
  return r.type === "Hit" ? r.values : undefined;
};

Deno.test("relocation: a collection that outgrows half of a tiny shard keeps every element (the old copy sits at the ring's tail)", async () => {
  for (const kind of ["dictionary", "list", "set", "sortedSet"] as const) {
    const h = await host(64 * 1024);
    const model = new MemoryStore({ now: () => T0 });
    const key = enc(kind);
    let n = 0;
    for (let i = 0; i < 5000; i++) {
      const v = bytes(24, i);
      const write = (s: ShardHost | MemoryStore) => {
        if (kind === "dictionary") {
          s.execute(1, "dictionarySetField", {
            key,
            field: enc(`f${i}`),
            value: v,
            ...ttl,
          });
        } else if (kind === "list") {
          s.execute(1, "listPushBack", { key, value: v, ...ttl });
        } else if (kind === "set") {
          s.execute(1, "setAddElements", { key, elements: [v], ...ttl });
        } else {s.execute(1, "sortedSetPutElements", {
            key,
            elements: [{ value: v, score: i % 7 }],
            ...ttl,
          });}
      };
      try {
        write(h);
      } catch (err) {
        // the shard's largest item is reached: an error, nothing lost
        assert.equal(
          (err as { code?: string }).code,
          "LIMIT_EXCEEDED_ERROR",
          kind,
        );
        break;
      }
      write(model);
      n++;
    }
    assert.ok(n > 300, `${kind}: ${n} elements before the shard was full`);
    const fetch = (s: ShardHost | MemoryStore): OpResult<OpName> =>
      kind === "dictionary"
        ? s.execute(1, "dictionaryLength", { key })
        : kind === "list"
        ? s.execute(1, "listFetch", { key })
        : kind === "set"
        ? s.execute(1, "setLength", { key })
        : s.execute(1, "sortedSetFetchByRank", { key });
    assert.deepEqual(fetch(h), fetch(model), kind);
    if (kind === "dictionary") {
      const got = h.execute(1, "dictionaryGetFields", {
        key,
        fields: [enc("f0"), enc(`f${n - 1}`)],
      });
      assert.deepEqual(
        got,
        model.execute(1, "dictionaryGetFields", {
          key,
          fields: [enc("f0"), enc(`f${n - 1}`)],
        }),
      );
    }
    h.close();
  }
});

Deno.test("eviction: a collection is one item: under a tiny budget it is evicted whole or kept whole", async () => {
  const h = await host(32 * 1024);
  const lists = Array.from({ length: 6 }, (_, i) => enc(`list${i}`));
  const expected = lists.map((_, i) =>
    Array.from({ length: 40 }, (_, j) => bytes(10, i * 100 + j))
  );
  lists.forEach((key, i) =>
    h.execute(1, "listConcatenateBack", { key, values: expected[i]!, ...ttl })
  );
  for (let i = 0; i < 3000; i++) {
    h.set(1, enc(`scalar${i}`), bytes(50, i), 3_600_000);
    h.get(1, enc(`scalar${i}`)); // read once: promoted to the main ring, where the lists are
  }
  assert.ok(h.stats()[0]!.evictions > 0, "the budget forced evictions");
  let kept = 0;
  lists.forEach((key, i) => {
    const got = list(h, key);
    if (got !== undefined) {
      assert.deepEqual(got, expected[i], "a kept list is whole");
      kept++;
    }
  });
  assert.ok(kept < lists.length, "some lists were evicted");
  assert.ok(h.stats()[0]!.usedBytes <= 32 * 1024);
  h.close();
});

Deno.test("type mismatch: every collection op on another type is FAILED_PRECONDITION and changes nothing", async () => {
  const h = await host(1 << 20);
  const k = { d: enc("d"), l: enc("l"), s: enc("s"), z: enc("z"), x: enc("x") };
  h.execute(1, "dictionarySetField", {
    key: k.d,
    field: enc("f"),
    value: enc("v"),
    ...ttl,
  });
  h.execute(1, "listPushBack", { key: k.l, value: enc("v"), ...ttl });
  h.execute(1, "setAddElements", { key: k.s, elements: [enc("v")], ...ttl });
  h.execute(1, "sortedSetPutElements", {
    key: k.z,
    elements: [{ value: enc("v"), score: 1 }],
    ...ttl,
  });
  h.set(1, k.x, enc("12"), 3_600_000);
  const snapshot = () => [
    h.execute(1, "dictionaryFetch", { key: k.d }),
    h.execute(1, "listFetch", { key: k.l }),
    h.execute(1, "setFetch", { key: k.s }),
    h.execute(1, "sortedSetFetchByRank", { key: k.z }),
    h.get(1, k.x),
  ];
  const before = snapshot();
  const FP = "FAILED_PRECONDITION_ERROR";
  for (const key of [k.l, k.s, k.z, k.x]) {
    assertKvoltError(
      () =>
        h.execute(1, "dictionarySetField", {
          key,
          field: enc("f"),
          value: enc("w"),
          ...ttl,
        }),
      FP,
    );
    assertKvoltError(
      () => h.execute(1, "dictionaryRemoveFields", { key, fields: [enc("v")] }),
      FP,
    );
  }
  for (const key of [k.d, k.s, k.z, k.x]) {
    assertKvoltError(
      () => h.execute(1, "listPushFront", { key, value: enc("w"), ...ttl }),
      FP,
    );
    assertKvoltError(() => h.execute(1, "listPopBack", { key }), FP);
  }
  for (const key of [k.d, k.l, k.z, k.x]) {
    assertKvoltError(
      () =>
        h.execute(1, "setAddElements", { key, elements: [enc("w")], ...ttl }),
      FP,
    );
    assertKvoltError(() => h.execute(1, "setPop", { key, count: 1 }), FP);
  }
  for (const key of [k.d, k.l, k.s, k.x]) {
    assertKvoltError(
      () =>
        h.execute(1, "sortedSetIncrementScore", {
          key,
          value: enc("v"),
          amount: 1,
          ...ttl,
        }),
      FP,
    );
    assertKvoltError(
      () =>
        h.execute(1, "sortedSetRemoveElements", { key, values: [enc("v")] }),
      FP,
    );
  }
  for (const key of [k.d, k.l, k.s, k.z]) {
    assertKvoltError(() => h.execute(1, "get", { key }), FP);
    assertKvoltError(
      () => h.execute(1, "increment", { key, amount: 1, ttlMs: 1000 }),
      FP,
    );
    assert.deepEqual(h.execute(1, "getBatch", { keys: [key] }).results, [{
      type: "Miss",
    }]);
  }
  assert.deepEqual(snapshot(), before);
  // scalar set and delete replace and remove any type
  h.set(1, k.d, enc("now a scalar"), 1000);
  assert.deepEqual(h.execute(1, "itemGetType", { key: k.d }), {
    type: "Hit",
    itemType: "SCALAR",
  });
  h.delete(1, k.l);
  assert.deepEqual(h.execute(1, "listLength", { key: k.l }), { type: "Miss" });
  h.close();
});

Deno.test("ttl: refreshTtl resets the TTL on every write, false only on creation; reads and removes never touch it", async () => {
  const clock = { now: T0 };
  const h = await host(1 << 20, clock);
  const key = enc("d");
  const remaining = () => h.execute(1, "itemGetTtl", { key });
  h.execute(1, "dictionarySetField", {
    key,
    field: enc("a"),
    value: enc("1"),
    ttlMs: 10_000,
    refreshTtl: false,
  });
  clock.now += 4000;
  h.execute(1, "dictionarySetField", {
    key,
    field: enc("b"),
    value: enc("2"),
    ttlMs: 10_000,
    refreshTtl: false,
  });
  assert.deepEqual(remaining(), { type: "Hit", remainingTtlMs: 6000 });
  h.execute(1, "dictionarySetField", {
    key,
    field: enc("c"),
    value: enc("3"),
    ttlMs: 10_000,
  });
  assert.deepEqual(remaining(), { type: "Hit", remainingTtlMs: 10_000 });
  clock.now += 1000;
  h.execute(1, "dictionaryFetch", { key });
  h.execute(1, "dictionaryRemoveFields", { key, fields: [enc("c")] });
  assert.deepEqual(remaining(), { type: "Hit", remainingTtlMs: 9000 });
  assert.deepEqual(h.execute(1, "increaseTtl", { key, ttlMs: 5000 }), {
    type: "NotSet",
  });
  assert.deepEqual(h.execute(1, "decreaseTtl", { key, ttlMs: 5000 }), {
    type: "Set",
  });
  assert.deepEqual(remaining(), { type: "Hit", remainingTtlMs: 5000 });
  clock.now += 5000;
  assert.deepEqual(h.execute(1, "dictionaryLength", { key }), { type: "Miss" });
  assert.deepEqual(h.execute(1, "updateTtl", { key, ttlMs: 5000 }), {
    type: "Miss",
  });
  h.close();
});

Deno.test("flush removes a cache's collections and leaves other caches' alone", async () => {
  const h = await host(1 << 20);
  for (const id of [1, 2]) {
    h.execute(id, "setAddElements", {
      key: enc("s"),
      elements: [enc("a")],
      ...ttl,
    });
    h.execute(id, "listPushBack", { key: enc("l"), value: enc("a"), ...ttl });
  }
  h.flush(1);
  assert.deepEqual(h.execute(1, "setLength", { key: enc("s") }), {
    type: "Miss",
  });
  assert.deepEqual(h.execute(1, "listLength", { key: enc("l") }), {
    type: "Miss",
  });
  assert.deepEqual(h.execute(2, "setLength", { key: enc("s") }), {
    type: "Hit",
    length: 1,
  });
  h.close();
});

Deno.test("limits: passing maxItemBytes or maxCollectionLength is LIMIT_EXCEEDED and leaves the collection as it was", async () => {
  const h = await host(1 << 20, { now: T0 }, {
    maxItemBytes: 200,
    maxCollectionLength: 5,
  });
  const key = enc("k");
  h.execute(1, "listConcatenateBack", {
    key,
    values: [enc("a"), enc("b"), enc("c")],
    ...ttl,
  });
  const L = ["LIMIT_EXCEEDED_ERROR", "item_size_limit_exceeded"] as const;
  assertKvoltError(
    () =>
      h.execute(1, "listConcatenateBack", {
        key,
        values: [enc("d"), enc("e"), enc("f")],
        ...ttl,
      }),
    ...L,
  );
  assertKvoltError(
    () =>
      h.execute(1, "listPushFront", {
        key,
        value: new Uint8Array(197),
        ...ttl,
      }),
    ...L,
  );
  assert.deepEqual(list(h, key), [enc("a"), enc("b"), enc("c")]);
  // truncation applies before the limits are checked
  h.execute(1, "listPushFront", {
    key,
    value: new Uint8Array(190),
    truncateBackToSize: 1,
    ...ttl,
  });
  assert.deepEqual(list(h, key), [new Uint8Array(190)]);
  const d = enc("d");
  const fields = Array.from(
    { length: 6 },
    (_, i) => ({ field: enc(`${i}`), value: enc("v") }),
  );
  assertKvoltError(
    () => h.execute(1, "dictionarySetFields", { key: d, fields, ...ttl }),
    ...L,
  );
  assert.deepEqual(h.execute(1, "dictionaryLength", { key: d }), {
    type: "Miss",
  });
  h.close();
});

Deno.test("compaction: tombstones and garbage do not pile up; removing most elements shrinks the item", async () => {
  const h = await host(4 << 20);
  const d = enc("d");
  const bytesNow = () => h.stats()[0]!.itemBytes;
  // churn: fields come and go, the live count stays at 50
  for (let i = 0; i < 20_000; i++) {
    h.execute(1, "dictionarySetField", {
      key: d,
      field: enc(`f${i}`),
      value: bytes(16, i),
      ...ttl,
    });
    if (i >= 50) {
      h.execute(1, "dictionaryRemoveFields", {
        key: d,
        fields: [enc(`f${i - 50}`)],
      });
    }
  }
  assert.deepEqual(h.execute(1, "dictionaryLength", { key: d }), {
    type: "Hit",
    length: 50,
  });
  assert.ok(bytesNow() < 16 * 1024, `50 fields in ${bytesNow()} bytes`);
  // a big set loses all but one element: its blob is compacted
  const s = enc("s");
  const elements = Array.from({ length: 5000 }, (_, i) => enc(`element-${i}`));
  h.execute(1, "setAddElements", { key: s, elements, ...ttl });
  const big = bytesNow();
  h.execute(1, "setRemoveElements", { key: s, elements: elements.slice(1) });
  assert.ok(
    bytesNow() < big / 4,
    `after removes: ${bytesNow()} of ${big} bytes`,
  );
  assert.deepEqual(h.execute(1, "setFetch", { key: s }), {
    type: "Hit",
    elements: [elements[0]],
  });
  // a queue: push back, pop front, forever; the list stays small
  const q = enc("q");
  for (let i = 0; i < 20_000; i++) {
    h.execute(1, "listPushBack", { key: q, value: bytes(20, i), ...ttl });
    if (i >= 10) h.execute(1, "listPopFront", { key: q });
  }
  assert.deepEqual(list(h, q)?.length, 10);
  assert.ok(bytesNow() < 24 * 1024, `queue of 10: ${bytesNow()} bytes in all`);
  h.close();
});
