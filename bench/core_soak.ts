/**
 * `deno run -A bench/core_soak.ts [seconds] [seed] [maxBudget]`: a soak of
 * the Wasm core, bounded in time. Random shards (budgets from 4 KiB to
 * `maxBudget`, default 300 KB) take random sets, gets, deletes, batch gets,
 * prefix removals, clock advances and sweeps, each checked against the
 * reference model by the eviction tests' oracle (`_checked_shard.ts`): a value
 * returned is exactly the model's, a new item is readable, memory and used
 * bytes stay within bounds. Stops by itself; exits 1 on the first violation,
 * naming the seed and operation to replay.
 *
 * @module
 */
import { Checked } from "../store-wasm/_checked_shard.ts";
import { rng } from "../store-wasm/_test_utils.ts";

const seconds = Number(Deno.args[0] ?? 60);
let seed = Number(Deno.args[1] ?? 1);
const maxBudget = Number(Deno.args[2] ?? 300_000);

function keyTable(r: () => number, n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const len = r() < 0.95
      ? 2 + Math.floor(r() * 12)
      : 256 + Math.floor(r() * 40);
    const k = new Uint8Array(len);
    for (let j = 0; j < len; j++) {
      k[j] = [0, 1, 0x61, 0xff][Math.floor(r() * 4)]!;
    }
    k[0] = i & 255;
    k[1] = i >> 8;
    return k;
  });
}

async function run(r: () => number): Promise<number> {
  const budget = 4096 + Math.floor(r() * (maxBudget - 4096));
  const c = await Checked.create(budget);
  const keys = keyTable(r, 5 + Math.floor(r() * budget / 100));
  const pick = () => keys[Math.floor(r() * r() * keys.length)]!; // skewed
  const n = 2000 + Math.floor(r() * 8000);
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.45) {
      const size = r() < 0.9
        ? Math.floor(r() * 200)
        : Math.floor(r() * budget * 1.1);
      const ttl = r() < 0.3 ? 1 + Math.floor(r() * 100) : undefined;
      c.set(pick(), new Uint8Array(size).fill(i & 255), ttl, r() < 0.5);
    } else if (x < 0.8) c.get(pick());
    else if (x < 0.88) c.delete(pick());
    else if (x < 0.93) {
      c.getMany(Array.from({ length: 1 + Math.floor(r() * 40) }, pick));
    } else if (x < 0.94) c.removePrefix(pick().subarray(0, 1));
    else if (x < 0.97) {
      c.now += Math.floor(r() * 60);
      if (r() < 0.3) c.shard.sweep(1 + Math.floor(r() * 64));
    } else c.bounds();
  }
  return n;
}

const deadline = Date.now() + seconds * 1000;
let runs = 0;
let ops = 0;
while (Date.now() < deadline) {
  try {
    ops += await run(rng(seed));
  } catch (err) {
    console.error(`core soak: violation with seed ${seed}:`, err);
    Deno.exit(1);
  }
  seed++;
  runs++;
}
console.log(JSON.stringify({ seconds, runs, ops, next_seed: seed }));
