/**
 * Placement: which nodes own each slot of the keyspace (`protocol/slots.ts`),
 * as a pure function of the membership, the replica count and the previous
 * placement. Written by hand: it is the cluster's edge (how much data a join
 * or a leave moves, and how even the load is), and it must be deterministic
 * so that any control service computes the same answer.
 *
 * Rules, in order of priority:
 * 1. Every slot has `min(replicas, eligible nodes)` distinct owners; the
 *    first is the primary. Nodes of capacity 0 (pure gateways) own nothing.
 * 2. When there are at least as many AZs as owners per slot, a slot's owners
 *    sit in different AZs.
 * 3. Load follows capacity: each node's share of all (slot, owner) pairs is
 *    its quota, capacity-proportional (largest remainder), water-filled so
 *    that no AZ gets more than one owner of every slot when rule 2 applies.
 * 4. Moves are as few as possible: an owner keeps a slot unless it left or
 *    holds more than its quota; only the excess moves, to nodes under quota.
 *    A primary stays primary while it owns the slot.
 *
 * @module
 */

import { SLOT_COUNT } from "../protocol/slots.ts";

/** A node as placement sees it. */
export interface Member {
  /** Stable node id. */
  id: string;
  /** Availability zone. */
  az: string;
  /** Bytes it may hold; 0 for a pure gateway. */
  capacity: number;
}

/** Owners of every slot: `owners[slot]` lists node ids, primary first. */
export interface Placement {
  owners: string[][];
}

/** What a placement change cost. */
export interface PlacementReport {
  /** (slot, owner) pairs in the new placement that were not in the old. */
  moved: number;
  /** The fewest pairs any placement meeting the quotas must add. */
  ideal: number;
}

/**
 * Places every slot.
 *
 * @param members the nodes of the cluster
 * @param replicas owners per slot wanted (1 = no replica)
 * @param previous the placement in force, if any
 * @returns the new placement
 *
 * @example Three nodes in two AZs, two owners a slot
 * ```ts
 * import { place } from "./placement.ts";
 * const p = place([
 *   { id: "a", az: "az1", capacity: 1 },
 *   { id: "b", az: "az2", capacity: 1 },
 *   { id: "c", az: "az2", capacity: 2 },
 * ], 2);
 * const owners = p.owners[0]!;
 * if (owners.length !== 2 || owners[0] === owners[1]) throw new Error();
 * ```
 */
export function place(
  members: readonly Member[],
  replicas: number,
  previous?: Placement,
): Placement {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new RangeError(
      `Cannot place slots: replicas must be a positive integer: received ${replicas}`,
    );
  }
  const nodes = members.filter((m) => m.capacity > 0)
    .sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const owners: string[][] = Array.from({ length: SLOT_COUNT }, () => []);
  if (nodes.length === 0) return { owners };
  const perSlot = Math.min(replicas, nodes.length);
  const azs = new Set(nodes.map((n) => n.az));
  const distinctAz = azs.size >= perSlot;
  const quota = quotas(nodes, perSlot, distinctAz);
  const byId = new Map(nodes.map((n, i) => [n.id, i]));
  const count = new Array<number>(nodes.length).fill(0);

  // 1. keep what may be kept: live owners, one per AZ when required
  for (let s = 0; s < SLOT_COUNT; s++) {
    const kept = owners[s]!;
    const seenAz = new Set<string>();
    for (const id of previous?.owners[s] ?? []) {
      const i = byId.get(id);
      if (i === undefined || kept.length === perSlot) continue;
      const az = nodes[i]!.az;
      if (kept.includes(id) || (distinctAz && seenAz.has(az))) continue;
      seenAz.add(az);
      kept.push(id);
      count[i]!++;
    }
  }
  // 2. shed the excess of nodes over quota: one owner a slot per sweep
  //    (so vacancies spread), replicas before primaries, first only where a
  //    node under quota could take the place (its AZ free in the slot)
  const needy = nodes.map((_, i) => i).filter((i) => count[i]! < quota[i]!);
  const fits = (list: readonly string[], drop: number) =>
    needy.some((n) => {
      const { id, az } = nodes[n]!;
      if (list.includes(id)) return false;
      if (!distinctAz) return true;
      return !list.some((o, k) => k !== drop && nodes[byId.get(o)!]!.az === az);
    });
  for (const strict of [true, false]) {
    for (let progress = true; progress;) {
      progress = false;
      for (let s = SLOT_COUNT - 1; s >= 0; s--) {
        const list = owners[s]!;
        for (let k = list.length - 1; k >= 0; k--) {
          const i = byId.get(list[k]!)!;
          if (count[i]! <= quota[i]! || (strict && !fits(list, k))) continue;
          list.splice(k, 1);
          count[i]!--;
          progress = true;
          break;
        }
      }
    }
  }
  // 3. fill every slot up to perSlot owners from the nodes furthest under
  //    quota, keeping AZs distinct when required
  for (let s = 0; s < SLOT_COUNT; s++) {
    const list = owners[s]!;
    while (list.length < perSlot) {
      const i = pick(nodes, list, count, quota, distinctAz, byId);
      list.push(nodes[i]!.id);
      count[i]!++;
    }
  }
  return { owners };
}

/**
 * The node that takes one more owner of a slot: among nodes not owning it
 * (and, when required, in an AZ it has no owner in), the one furthest under
 * its quota; the AZ rule is dropped only when no node satisfies it.
 */
function pick(
  nodes: readonly Member[],
  list: readonly string[],
  count: readonly number[],
  quota: readonly number[],
  distinctAz: boolean,
  byId: ReadonlyMap<string, number>,
): number {
  const usedAz = new Set(list.map((id) => nodes[byId.get(id)!]!.az));
  for (const strictAz of distinctAz ? [true, false] : [false]) {
    let best = -1;
    let bestRoom = -Infinity;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (list.includes(node.id)) continue;
      if (strictAz && usedAz.has(node.az)) continue;
      // room relative to the quota, so large nodes fill as fast as small
      const room = (quota[i]! - count[i]!) / Math.max(quota[i]!, 1);
      if (room > bestRoom) {
        best = i;
        bestRoom = room;
      }
    }
    if (best >= 0) return best;
  }
  throw new Error("unreachable: fewer nodes than owners per slot");
}

/**
 * Each node's quota of (slot, owner) pairs: `SLOT_COUNT * perSlot` split by
 * capacity with the largest remainder. When AZs must be distinct, an AZ can
 * hold at most one owner of each slot, so AZs over `SLOT_COUNT` are capped and
 * the rest is split over the others (water-filling).
 *
 * @param nodes eligible nodes, sorted by id
 * @param perSlot owners per slot
 * @param distinctAz whether a slot's owners sit in different AZs
 * @returns the quota of each node, in the order of `nodes`
 */
export function quotas(
  nodes: readonly Member[],
  perSlot: number,
  distinctAz: boolean,
): number[] {
  const total = SLOT_COUNT * perSlot;
  // AZs first (each holds at most one owner of a slot when they must be
  // distinct), then the nodes of each AZ (a node owns a slot at most once)
  const azOf = (n: Member) => distinctAz ? n.az : "";
  const groups = [...new Set(nodes.map(azOf))];
  const groupShare = waterfill(
    groups.map((g) =>
      nodes.filter((n) => azOf(n) === g).reduce((s, n) => s + n.capacity, 0)
    ),
    total,
    distinctAz ? SLOT_COUNT : Infinity,
  );
  const exact = new Array<number>(nodes.length).fill(0);
  groups.forEach((g, k) => {
    const members = nodes.map((n, i) => [n, i] as const).filter(([n]) =>
      azOf(n) === g
    );
    const shares = waterfill(
      members.map(([n]) => n.capacity),
      groupShare[k]!,
      SLOT_COUNT,
    );
    members.forEach(([, i], m) => exact[i] = shares[m]!);
  });
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) {
    out[order[k]![1]]!++;
  }
  return out;
}

/**
 * `total` split in proportion to `weights`, no share above `cap`: capped
 * shares are set to `cap` and the rest is split again over the others.
 */
function waterfill(
  weights: readonly number[],
  total: number,
  cap: number,
): number[] {
  const out = new Array<number>(weights.length).fill(0);
  let open = weights.map((_, i) => i);
  let left = total;
  while (open.length > 0) {
    const sum = open.reduce((s, i) => s + weights[i]!, 0);
    const capped = open.filter((i) => (left * weights[i]!) / sum > cap);
    if (capped.length === 0) {
      for (const i of open) out[i] = (left * weights[i]!) / sum;
      break;
    }
    for (const i of capped) out[i] = cap;
    left -= capped.length * cap;
    open = open.filter((i) => !capped.includes(i));
  }
  return out;
}

/**
 * What going from `before` to `after` moved, against the fewest moves any
 * placement meeting the new quotas needs.
 *
 * @param before the old placement (or none: everything is new)
 * @param after the new placement
 * @param members the membership `after` was computed for
 * @param replicas owners per slot wanted
 * @returns moved and ideal (slot, owner) pairs
 */
export function placementReport(
  before: Placement | undefined,
  after: Placement,
  members: readonly Member[],
  replicas: number,
): PlacementReport {
  let moved = 0;
  const held = new Map<string, number>();
  for (let s = 0; s < SLOT_COUNT; s++) {
    const old = new Set(before?.owners[s] ?? []);
    for (const id of after.owners[s]!) if (!old.has(id)) moved++;
    for (const id of old) held.set(id, (held.get(id) ?? 0) + 1);
  }
  const nodes = members.filter((m) => m.capacity > 0)
    .sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (nodes.length === 0) return { moved, ideal: 0 };
  const perSlot = Math.min(replicas, nodes.length);
  const distinctAz = new Set(nodes.map((n) => n.az)).size >= perSlot;
  const quota = quotas(nodes, perSlot, distinctAz);
  let ideal = 0;
  nodes.forEach((n, i) => {
    ideal += Math.max(0, quota[i]! - (held.get(n.id) ?? 0));
  });
  return { moved, ideal };
}
