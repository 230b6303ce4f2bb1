import assert from "node:assert/strict";
import { ShardHost } from "../store-wasm/shard_host.ts";
import {
  checkSame,
  measure,
  rankRate,
  runCore,
  runJs,
  TYPES,
} from "./collections_bench.ts";
import { coreSides, JsSortedSet, tag } from "./_collection_sides.ts";
import { makeData, sortedSetPhases } from "./_collection_workloads.ts";

const sizes = { elements: 1200, queries: 300 };

Deno.test("collections bench: core and JS answer alike at a tiny size", async () => {
  const data = makeData(sizes);
  for (const type of TYPES) {
    const js = runJs(type, data);
    const core = await runCore(type, data);
    checkSame(type, core, js);
    assert.deepEqual(core.names, js.names);
    assert.equal(core.ops[0], sizes.elements, type);
    assert.equal(core.rates.length, core.names.length);
    assert.ok(core.bytesPerElement > 0, type);
    for (const d of core.digests) assert.ok(d >= 0, `${type}: a miss`);
  }
});

Deno.test("collections bench: digests count what each phase did", async () => {
  const data = makeData(sizes);
  const byName = async (type: (typeof TYPES)[number]) => {
    const run = await runCore(type, data);
    return Object.fromEntries(run.names.map((n, i) => [n, run.digests[i]!]));
  };
  const lists = data.groupKeys.length;
  const list = await byName("list");
  // pushes return lengths 1..n/lists on each list; pops return every value
  const per = sizes.elements / lists;
  assert.equal(list.pushBack, lists * per * (per + 1) / 2);
  assert.equal(list.popFront, data.values.reduce((s, v) => s + tag(v), 0));
  // list and range reads fetch 10 values each: digest >= 10 per query
  assert.ok(list.fetch! >= 10 * sizes.queries);
  // contains: even queries ask for a member, odd ones for an absent element
  assert.equal((await byName("set")).contains, sizes.queries / 2);
  const zset = await byName("sortedSet");
  assert.ok(zset.fetchByRank! >= 10 * sizes.queries);
});

Deno.test("collections bench: a baseline that answers wrong is caught", async () => {
  class OffByOne extends JsSortedSet {
    override getRank(key: Uint8Array, value: Uint8Array): number {
      return super.getRank(key, value) + 1;
    }
  }
  const data = makeData({ elements: 50, queries: 20 });
  const host = await ShardHost.create({ shards: 2, sweepEveryMs: 0 });
  try {
    const core = sortedSetPhases(coreSides(host).sortedSet, data);
    const js = sortedSetPhases(new OffByOne(), data);
    const run = (phases: typeof core) => ({
      names: phases.map((p) => p.name),
      ops: phases.map((p) => p.ops),
      rates: [],
      digests: phases.map((p) => p.run()),
      bytesPerElement: 0,
    });
    assert.throws(
      () => checkSame("sortedSet", run(core), run(js)),
      /sortedSet\.getRank: the core and the JS baseline disagree/,
    );
  } finally {
    host.close();
  }
});

Deno.test("collections bench: getRank scaling and the report's shape", async () => {
  assert.ok(await rankRate(300, 100) > 0);
  const report = await measure({ elements: 100, queries: 50 }, 1, [50, 100]);
  assert.equal(Object.keys(report.ops_per_s).length, 13);
  assert.deepEqual(Object.keys(report.bytes_per_element), [...TYPES]);
  assert.deepEqual(
    Object.keys(report.sorted_set_get_rank_ops_per_s),
    ["50", "100"],
  );
  assert.ok(report.bytes_per_element.list!.core_live > 0);
  for (const [name, figure] of Object.entries(report.ops_per_s)) {
    assert.ok(figure.core > 0 && figure.js > 0, name);
  }
});
