/**
 * Membership (liveness, registration checks) and the compact slot encoding
 * of the topology.
 */

import assert from "node:assert/strict";
import { SLOT_COUNT } from "../protocol/slots.ts";
import { Membership, parseNodeInfo } from "./membership.ts";
import { decodeSlots, encodeSlots } from "../protocol/topology.ts";
import { node } from "./_cluster_test_utils.ts";

Deno.test("membership: a node silent for longer than the timeout is dead until it heartbeats", () => {
  const m = new Membership(3_000);
  assert.equal(m.register(node("a", "az1"), 0), true);
  assert.equal(m.register(node("a", "az1"), 10), false); // same, alive
  assert.equal(m.nodes(3_010)[0]!.alive, true);
  assert.equal(m.nodes(3_011)[0]!.alive, false);
  assert.equal(m.heartbeat("a", 5_000), true); // came back
  assert.equal(m.heartbeat("a", 5_500), false);
  assert.equal(m.heartbeat("zz", 5_500), undefined);
  assert.equal(m.leave("a"), true);
  assert.deepEqual(m.nodes(5_500), []);
});

Deno.test("membership: registrations are checked field by field", () => {
  assert.deepEqual(parseNodeInfo(node("a", "az1")), node("a", "az1"));
  for (
    const [bad, field] of [
      [{ ...node("a", "z"), id: "a b" }, "id"],
      [{ ...node("a", "z"), capacity: -1 }, "capacity"],
      [{ ...node("a", "z"), capacity: 1.5 }, "capacity"],
      [{ ...node("a", "z"), az: "" }, "az"],
      [{ ...node("a", "z"), peer: 7 }, "peer"],
    ] as const
  ) {
    assert.throws(() => parseNodeInfo(bad), new RegExp(`^TypeError: ${field}`));
  }
  assert.throws(() => parseNodeInfo(null), TypeError);
});

Deno.test("topology: slot runs round-trip and are compact", () => {
  const nodes = [node("a", "1"), node("b", "2"), node("c", "3")];
  const owners = Array.from(
    { length: SLOT_COUNT },
    (_, s) => s < 5000 ? ["a", "b"] : s < 11000 ? ["b", "c"] : ["c", "a"],
  );
  const runs = encodeSlots(owners, nodes);
  assert.equal(runs.length, 3);
  assert.deepEqual(decodeSlots(runs, nodes), owners);
  assert.throws(() => decodeSlots(runs.slice(1), nodes), RangeError);
  assert.throws(
    () => decodeSlots([[0, SLOT_COUNT - 1, [9]]], nodes),
    RangeError,
  );
});
