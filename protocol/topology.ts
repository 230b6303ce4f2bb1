/**
 * The topology's wire form: what the control service publishes
 * (`GET /v1/topology`) and every node follows. The nodes, and the owners of
 * every slot (primary first).
 *
 * Slots are runs of equal owners, `[first, last, [i, j]]` with `i`, `j`
 * indexes into `nodes`: placement keeps runs long, so a topology of 16384
 * slots is a few KiB, not 16384 lists.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";
import { SLOT_COUNT } from "./slots.ts";
import type { CacheInfo } from "./store.ts";

/**
 * A node was asked for a slot it does not own: its topology (`version`) is
 * newer than the caller's. The caller follows to that version and retries;
 * a client that sees it (no retry left) sees SERVER_UNAVAILABLE.
 */
export class MovedError extends KvoltError {
  /** The answering node's topology version. */
  readonly version: number;

  /** @param version the answering node's topology version */
  constructor(version: number) {
    super(
      ErrorCode.SERVER_UNAVAILABLE,
      `The slot moved: topology version ${version}; try again`,
    );
    this.name = "MovedError";
    this.version = version;
  }
}

/** A node as it registers. */
export interface NodeInfo {
  /** Stable id, chosen by the node (kept across its restarts). */
  id: string;
  /** Availability zone. */
  az: string;
  /** Bytes it may hold; 0 for a pure gateway. */
  capacity: number;
  /** `host:port` of its peer protocol. */
  peer: string;
  /** Base URL of its public API. */
  url: string;
}

/** A node as the cluster knows it. */
export interface NodeState extends NodeInfo {
  alive: boolean;
}

/** A run of slots with the same owners: first, last (inclusive), owner indexes. */
export type SlotRun = [number, number, number[]];

/** The topology as published. */
export interface Topology {
  /** Bumped at every change; 0 before the first placement. */
  version: number;
  /** Owners wanted per slot. */
  replicas: number;
  nodes: NodeState[];
  slots: SlotRun[];
  /**
   * Nodes receiving each slot (a move in progress, `peer/slot_mover.ts`):
   * the slot's primary copies its items to them and forwards its writes;
   * each becomes an owner once the control service has its report. Absent
   * when no slot is moving.
   */
  pending?: SlotRun[];
  /** The caches, cluster-wide (a node's cache registry follows them). */
  caches?: CacheInfo[];
  /** The public key tokens are verified with (JWK, Ed25519). */
  publicKey?: JsonWebKey;
  /** Ids of revoked tokens: every node refuses them. */
  revoked?: string[];
  /** How often nodes heartbeat, ms: a third of the failure timeout. */
  heartbeatMs?: number;
}

/**
 * Slot owners as runs of node indexes.
 *
 * @param owners owner ids per slot, primary first
 * @param nodes the nodes the indexes point into
 */
export function encodeSlots(
  owners: readonly (readonly string[])[],
  nodes: readonly NodeInfo[],
): SlotRun[] {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const runs: SlotRun[] = [];
  for (let s = 0; s < owners.length; s++) {
    const ids = owners[s]!.map((id) => index.get(id)!);
    const last = runs[runs.length - 1];
    if (last !== undefined && sameList(last[2], ids)) last[1] = s;
    else runs.push([s, s, ids]);
  }
  return runs;
}

/**
 * Owner ids per slot from runs.
 *
 * @throws RangeError when the runs do not cover every slot once, or name a
 * node that is not in `nodes`
 */
export function decodeSlots(
  runs: readonly SlotRun[],
  nodes: readonly { id: string }[],
): string[][] {
  const owners: string[][] = [];
  for (const [first, last, ids] of runs) {
    if (first !== owners.length || last < first || last >= SLOT_COUNT) {
      throw new RangeError(`bad slot run [${first}, ${last}]`);
    }
    const names = ids.map((i) => {
      const node = nodes[i];
      if (node === undefined) throw new RangeError(`no node ${i}`);
      return node.id;
    });
    for (let s = first; s <= last; s++) owners.push(names);
  }
  if (owners.length !== SLOT_COUNT) {
    throw new RangeError(`slot runs cover ${owners.length} slots`);
  }
  return owners;
}

/** Whether two lists hold the same items in the same order. */
export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
