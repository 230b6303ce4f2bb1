import assert from "node:assert/strict";
import fc from "fast-check";
import { SLOT_COUNT } from "../protocol/slots.ts";
import {
  type Member,
  place,
  type Placement,
  placementReport,
  quotas,
} from "./placement.ts";

const node = fc.record({
  az: fc.constantFrom("az1", "az2", "az3"),
  capacity: fc.constantFrom(0, 1, 1, 2, 4),
});

type Step = { join: { az: string; capacity: number } } | { leave: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  node.map((join) => ({ join })),
  fc.nat().map((leave) => ({ leave })),
);

/** Checks every rule of placement.ts on one placement. */
function checkRules(p: Placement, members: Member[], replicas: number) {
  const nodes = members.filter((m) => m.capacity > 0);
  const perSlot = Math.min(replicas, nodes.length);
  const azOf = new Map(nodes.map((n) => [n.id, n.az]));
  const distinctAz = new Set(azOf.values()).size >= perSlot;
  const count = new Map<string, number>();
  for (let s = 0; s < SLOT_COUNT; s++) {
    const owners = p.owners[s]!;
    assert.equal(owners.length, perSlot, `slot ${s} owners`);
    assert.equal(new Set(owners).size, owners.length, "distinct owners");
    for (const id of owners) {
      assert.ok(azOf.has(id), "owners are live nodes with capacity");
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    if (distinctAz) {
      assert.equal(
        new Set(owners.map((id) => azOf.get(id))).size,
        owners.length,
        `slot ${s}: owners in distinct AZs`,
      );
    }
  }
  if (nodes.length === 0) return;
  const sorted = [...nodes].sort((a, b) => a.id < b.id ? -1 : 1);
  const quota = quotas(sorted, perSlot, distinctAz);
  sorted.forEach((n, i) => {
    // load follows the quotas within 10%
    assert.ok(
      (count.get(n.id) ?? 0) <= Math.ceil(quota[i]! * 1.1),
      `node ${n.id}: ${count.get(n.id)} pairs, quota ${quota[i]}`,
    );
  });
}

Deno.test("placement: random memberships, joins and leaves keep every rule and move little", () => {
  fc.assert(
    fc.property(
      fc.array(node, { minLength: 1, maxLength: 6 }),
      fc.array(step, { maxLength: 5 }),
      fc.integer({ min: 1, max: 3 }),
      (initial, steps, replicas) => {
        let next = 0;
        let members: Member[] = initial.map((n) => ({
          ...n,
          id: `n${next++}`,
        }));
        let p = place(members, replicas);
        checkRules(p, members, replicas);
        for (const s of steps) {
          if ("join" in s) {
            members = [...members, { ...s.join, id: `n${next++}` }];
          } else if (members.length > 1) {
            members = members.filter((_, i) => i !== s.leave % members.length);
          }
          const before = p;
          p = place(members, replicas, before);
          checkRules(p, members, replicas);
          const { moved, ideal } = placementReport(
            before,
            p,
            members,
            replicas,
          );
          assert.ok(
            moved <= Math.ceil(ideal * 1.1) + 64,
            `moved ${moved} against an ideal ${ideal}`,
          );
          assert.deepEqual(
            place(members, replicas, before),
            p,
            "deterministic",
          );
        }
      },
    ),
    { numRuns: 30, seed: 20261205 },
  );
});

Deno.test("placement: a join into a balanced cluster moves exactly its quota", () => {
  const members: Member[] = ["a", "b", "c"].map((id, i) => ({
    id,
    az: `az${i}`,
    capacity: 1,
  }));
  const before = place(members, 2);
  const joined = [...members, { id: "d", az: "az0", capacity: 1 }];
  const after = place(joined, 2, before);
  const report = placementReport(before, after, joined, 2);
  assert.equal(report.ideal, (SLOT_COUNT * 2) / 4);
  assert.equal(report.moved, report.ideal);
  // primaries spread over the nodes too
  const primaries = new Map<string, number>();
  for (const owners of after.owners) {
    primaries.set(owners[0]!, (primaries.get(owners[0]!) ?? 0) + 1);
  }
  for (const n of primaries.values()) assert.ok(n > SLOT_COUNT / 8);
});

Deno.test("placement: pure gateways own nothing; no nodes, no owners", () => {
  const p = place([{ id: "g", az: "az1", capacity: 0 }], 2);
  assert.ok(p.owners.every((o) => o.length === 0));
  assert.throws(() => place([], 0), RangeError);
});
