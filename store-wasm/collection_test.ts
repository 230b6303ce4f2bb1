// The core's collections, one structure at a time, through ShardHost (one
// shard): long random sequences on a few keys, so that blobs grow and
// relocate many times, tables fill with tombstones and get compacted, lists
// wrap around their circular arrays; every result is compared with the
// reference model. Policies (eviction, TTL, flush, limits): collection_policy_test.ts.
import assert from "node:assert/strict";
import type { OpArgs, OpName } from "../protocol/operations.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { KvoltError } from "../protocol/errors.ts";
import { ShardHost } from "./shard_host.ts";
import { bytes, enc, MiB, rng, T0 } from "./_test_utils.ts";

type Step = { op: OpName; args: Record<string, unknown> };

/** Runs steps on a one-shard host and the model; every outcome must agree. */
async function agree(
  steps: Iterable<Step>,
  budget = 4 * MiB,
  canonical: (op: string, r: unknown) => unknown = (_, r) => r,
): Promise<ShardHost> {
  const clock = { now: T0 };
  const host = await ShardHost.create({
    shards: 1,
    bytesPerShard: budget,
    sweepEveryMs: 0,
    now: () => clock.now,
  });
  const model = new MemoryStore({ now: () => clock.now });
  const run = (s: DataStoreLike, step: Step) => {
    try {
      return canonical(step.op, s.execute(1, step.op, step.args as never));
    } catch (err) {
      if (err instanceof KvoltError) return err.code;
      throw err;
    }
  };
  let i = 0;
  for (const step of steps) {
    assert.deepEqual(
      run(host, step),
      run(model, step),
      `step ${i++} ${step.op}`,
    );
  }
  return host;
}

interface DataStoreLike {
  execute(id: number, op: OpName, args: OpArgs<OpName>): unknown;
}

const hex = (b: Uint8Array) => [...b].join(",");
const ttl = { ttlMs: 3_600_000 };

function sortFetch(op: string, r: unknown): unknown {
  const x = r as {
    type: string;
    fields?: { field: Uint8Array }[];
    elements?: Uint8Array[];
  };
  if (x.type !== "Hit") return r;
  if (op === "dictionaryFetch" && x.fields) {
    return [...x.fields].sort((a, b) => hex(a.field) < hex(b.field) ? -1 : 1);
  }
  if (op === "setFetch" && x.elements) {
    return [...x.elements].sort((a, b) => hex(a) < hex(b) ? -1 : 1);
  }
  return r;
}

Deno.test("dictionary: 6000 random writes, overwrites with new sizes and removes on 3 keys match the model", async () => {
  const r = rng(11);
  const keys = [enc("d1"), enc("d2"), enc("d3")];
  const field = () => enc(`f${Math.floor(r() * 700)}`);
  const value = () => bytes(Math.floor(r() * 40), Math.floor(r() * 1e6));
  function* steps(): Generator<Step> {
    for (let i = 0; i < 6000; i++) {
      const key = keys[Math.floor(r() * keys.length)]!;
      const x = r();
      if (x < 0.5) {
        yield {
          op: "dictionarySetField",
          args: { key, field: field(), value: value(), ...ttl },
        };
      } else if (x < 0.6) {
        const fields = Array.from(
          { length: 8 },
          () => ({ field: field(), value: value() }),
        );
        yield { op: "dictionarySetFields", args: { key, fields, ...ttl } };
      } else if (x < 0.8) {
        const fields = Array.from({ length: 1 + Math.floor(r() * 30) }, field);
        yield { op: "dictionaryRemoveFields", args: { key, fields } };
      } else if (x < 0.9) {
        yield {
          op: "dictionaryGetFields",
          args: { key, fields: [field(), field()] },
        };
      } else if (x < 0.95) {
        yield {
          op: "dictionaryIncrement",
          args: { key, field: enc("n"), amount: 3, ...ttl },
        };
      } else {
        yield { op: "dictionaryLength", args: { key } };
        yield { op: "dictionaryFetch", args: { key } };
      }
    }
  }
  const host = await agree(steps(), 4 * MiB, sortFetch);
  assert.equal(host.stats()[0]!.evictions, 0);
  host.close();
});

Deno.test("set: random adds, removes, pops and contains on 2 keys match the model", async () => {
  const r = rng(12);
  const keys = [enc("s1"), enc("s2")];
  const el = () => enc(`e${Math.floor(r() * 900)}`);
  function* steps(): Generator<Step> {
    for (let i = 0; i < 5000; i++) {
      const key = keys[Math.floor(r() * keys.length)]!;
      const x = r();
      if (x < 0.45) {
        const elements = Array.from({ length: 1 + Math.floor(r() * 12) }, el);
        yield { op: "setAddElements", args: { key, elements, ...ttl } };
      } else if (x < 0.75) {
        const elements = Array.from({ length: 1 + Math.floor(r() * 20) }, el);
        yield { op: "setRemoveElements", args: { key, elements } };
      } else if (x < 0.9) {
        yield {
          op: "setContainsElements",
          args: { key, elements: [el(), el(), el()] },
        };
      } else {
        yield { op: "setLength", args: { key } };
        yield { op: "setFetch", args: { key } };
      }
    }
  }
  const host = await agree(steps(), 4 * MiB, sortFetch);
  host.close();
});

Deno.test("list: pushes and pops at both ends wrap the circular array; slices, retain and remove match the model", async () => {
  const r = rng(13);
  const key = enc("l");
  const value = () => bytes(Math.floor(r() * 30), Math.floor(r() * 50));
  const idx = () => r() < 0.3 ? undefined : Math.floor(r() * 40) - 20;
  function* steps(): Generator<Step> {
    for (let i = 0; i < 8000; i++) {
      const x = r();
      if (x < 0.25) {
        yield { op: "listPushBack", args: { key, value: value(), ...ttl } };
      } else if (x < 0.45) {
        yield { op: "listPushFront", args: { key, value: value(), ...ttl } };
      } else if (x < 0.5) {
        const values = Array.from({ length: Math.floor(r() * 9) }, value);
        const op = r() < 0.5 ? "listConcatenateFront" : "listConcatenateBack";
        const t = r() < 0.3 ? Math.floor(r() * 300) : undefined;
        yield {
          op,
          args: {
            key,
            values,
            ...ttl,
            [
              op === "listConcatenateFront"
                ? "truncateBackToSize"
                : "truncateFrontToSize"
            ]: t,
          },
        };
      } else if (x < 0.68) yield { op: "listPopFront", args: { key } };
      else if (x < 0.85) yield { op: "listPopBack", args: { key } };
      else if (x < 0.95) {
        yield {
          op: "listFetch",
          args: { key, startIndex: idx(), endIndex: idx() },
        };
      } else if (x < 0.97) {
        yield { op: "listRemoveValue", args: { key, value: value() } };
      } else if (x < 0.98) {
        yield {
          op: "listRetain",
          args: { key, startIndex: idx(), endIndex: idx() },
        };
      } else yield { op: "listLength", args: { key } };
    }
    yield { op: "listFetch", args: { key } };
  }
  const host = await agree(steps());
  host.close();
});

Deno.test("sorted set: puts, increments, removes, ranks and ranges on 2 keys match the model", async () => {
  const r = rng(14);
  const keys = [enc("z1"), enc("z2")];
  const v = () => enc(`m${Math.floor(r() * 500)}`);
  const score = () => Math.floor(r() * 20) - 10 + (r() < 0.3 ? 0.5 : 0);
  function* steps(): Generator<Step> {
    for (let i = 0; i < 5000; i++) {
      const key = keys[Math.floor(r() * keys.length)]!;
      const x = r();
      if (x < 0.35) {
        const elements = Array.from(
          { length: 1 + Math.floor(r() * 10) },
          () => ({ value: v(), score: score() }),
        );
        yield { op: "sortedSetPutElements", args: { key, elements, ...ttl } };
      } else if (x < 0.45) {
        yield {
          op: "sortedSetIncrementScore",
          args: { key, value: v(), amount: score(), ...ttl },
        };
      } else if (x < 0.6) {
        const values = Array.from({ length: 1 + Math.floor(r() * 15) }, v);
        yield { op: "sortedSetRemoveElements", args: { key, values } };
      } else if (x < 0.7) {
        yield {
          op: "sortedSetGetRank",
          args: { key, value: v(), order: r() < 0.5 ? "ASC" : "DESC" },
        };
      } else if (x < 0.8) {
        const a = Math.floor(r() * 30) - 15;
        yield {
          op: "sortedSetFetchByRank",
          args: {
            key,
            startRank: a,
            endRank: a + 10,
            order: r() < 0.5 ? "ASC" : "DESC",
          },
        };
      } else if (x < 0.9) {
        const min = score();
        yield {
          op: "sortedSetFetchByScore",
          args: {
            key,
            minScore: min,
            maxScore: min + 4,
            minExclusive: r() < 0.5,
            offset: Math.floor(r() * 3),
            count: 5,
            order: r() < 0.5 ? "ASC" : "DESC",
          },
        };
      } else if (x < 0.95) {
        yield { op: "sortedSetGetScores", args: { key, values: [v(), v()] } };
      } else {
        yield {
          op: "sortedSetLengthByScore",
          args: { key, minScore: score(), maxScore: 5 },
        };
        yield { op: "sortedSetLength", args: { key } };
      }
    }
    yield { op: "sortedSetFetchByRank", args: { key: keys[0]! } };
  }
  const host = await agree(steps());
  host.close();
});

Deno.test("large transfers: a ~5 MiB dictionary written in one call and fetched whole, past the 64 KiB scratch", async () => {
  const host = await ShardHost.create({
    shards: 1,
    bytesPerShard: 32 * MiB,
    sweepEveryMs: 0,
  });
  const key = enc("big");
  const fields = Array.from(
    { length: 2500 },
    (_, i) => ({ field: enc(`field-${i}`), value: bytes(2000, i) }),
  );
  host.execute(1, "dictionarySetFields", { key, fields, ...ttl });
  const got = host.execute(1, "dictionaryFetch", { key });
  assert.equal(got.type, "Hit");
  if (got.type !== "Hit") return;
  assert.equal(got.fields.length, 2500);
  const byName = new Map(
    got.fields.map((f) => [new TextDecoder().decode(f.field), f.value]),
  );
  for (let i = 0; i < 2500; i += 97) {
    assert.deepEqual(byName.get(`field-${i}`), bytes(2000, i));
  }
  // scalars still work after the instance's memory grew
  host.set(1, enc("k"), enc("v"), 60_000);
  assert.deepEqual(host.get(1, enc("k")), enc("v"));
  host.close();
});
