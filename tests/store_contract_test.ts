// The store contract: random sequences of operations of every family, run
// against the Wasm-backed ShardHost (small shards, so collections relocate
// often; budgets large enough that nothing is evicted) and the reference
// model MemoryStore, with the same clock; every result and every error must
// agree. Fetches compare order-insensitively; setSample and setPop must
// return the right number of distinct elements of the set (the model then
// removes exactly what the Wasm store popped, so both stay equal).
import assert from "node:assert/strict";
import fc from "fast-check";
import type { StoreLimits } from "../protocol/data_store.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { rng } from "../store-wasm/_test_utils.ts";
import { type Command, command } from "./_contract_commands.ts";
import { canonical, type Outcome, outcomeOf } from "./_outcomes.ts";

const CACHE = 7;
const T0 = 1_700_000_000_000;

function run(
  store: MemoryStore | ShardHost,
  c: Exclude<Command, { op: "advance" }>,
): Outcome {
  return outcomeOf(() => store.execute(CACHE, c.op, c.args as never));
}

const hex = (b: Uint8Array) =>
  [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** setSample/setPop: the count and membership, checked against the model's set before. */
function checkTake(
  c: { op: "setSample" | "setPop"; args: { key: Uint8Array } },
  want: number,
  before: Outcome,
  got: Outcome,
  model: MemoryStore,
): void {
  if ("error" in before || "error" in got) {
    assert.deepEqual(
      "error" in got ? got.error : "ok",
      "error" in before ? before.error : "ok",
    );
    return;
  }
  const set = before.ok as { type: string; elements?: Uint8Array[] };
  const r = got.ok as { type: string; elements?: Uint8Array[] };
  assert.equal(r.type, set.type, c.op);
  if (set.elements === undefined) return;
  const members = new Set(set.elements.map(hex));
  const picked = r.elements!.map(hex);
  assert.equal(picked.length, Math.min(want, members.size), `${c.op} count`);
  assert.equal(new Set(picked).size, picked.length, `${c.op} distinct`);
  for (const p of picked) assert.ok(members.has(p), `${c.op} picked a member`);
  if (c.op === "setPop") {
    model.execute(CACHE, "setRemoveElements", {
      key: c.args.key,
      elements: r.elements!,
    });
  }
}

async function check(commands: Command[], limits: Partial<StoreLimits>) {
  const clock = { now: T0 };
  const now = () => clock.now;
  const host = await ShardHost.create({
    shards: 2,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
    now,
    limits,
    random: rng(1),
  });
  const model = new MemoryStore({ now, limits, random: rng(2) });
  try {
    for (const [i, c] of commands.entries()) {
      if (c.op === "advance") {
        clock.now += c.ms;
        continue;
      }
      const where = `step ${i}: ${c.op}`;
      if (c.op === "setSample" || c.op === "setPop") {
        const before = run(model, {
          op: "setFetch",
          args: { key: c.args.key },
        });
        const got = run(host, c);
        const want = c.op === "setSample" ? c.args.limit : c.args.count;
        checkTake(c, want, before, got, model);
        continue;
      }
      const expected = canonical(c.op, run(model, c));
      const actual = canonical(c.op, run(host, c));
      assert.deepEqual(actual, expected, where);
    }
    for (const s of host.stats()) {
      assert.equal(s.evictions, 0, "nothing evicted");
    }
  } finally {
    host.close();
  }
}

Deno.test("contract: ShardHost agrees with MemoryStore on random operations of every family", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(command, { minLength: 1, maxLength: 120, size: "max" }),
      (cmds) => check(cmds, { maxItemBytes: 400, maxCollectionLength: 24 }),
    ),
    { seed: Number(Deno.env.get("CONTRACT_SEED") ?? 20261127), numRuns: 600 },
  );
});

Deno.test("contract: agreement with default limits, long sequences (collections grow and relocate)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(command, { minLength: 20, maxLength: 800, size: "max" }),
      (cmds) => check(cmds, {}),
    ),
    { seed: Number(Deno.env.get("CONTRACT_SEED") ?? 42), numRuns: 80 },
  );
});
