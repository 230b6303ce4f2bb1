/**
 * The work of `bench/collections_bench.ts`: seeded data and, per collection
 * type, the phases (a name, an operation count and a loop) that run the same
 * operations against either side (`_collection_sides.ts`). The first phase of
 * each type fills it; the bench measures memory after it.
 *
 * @module
 */
import { rng } from "../store-wasm/_test_utils.ts";
import type {
  DictionarySide,
  ListSide,
  SetSide,
  SortedSetSide,
} from "./_collection_sides.ts";

/** How much work a run does. */
export interface Sizes {
  /** Elements per collection type: fields, list values, set elements, sorted-set members. */
  elements: number;
  /** Operations in each read phase. */
  queries: number;
}

/** One timed loop: `run` returns a digest of every result it saw. */
export interface Phase {
  name: string;
  ops: number;
  run(): number;
}

/** Fields per dictionary. */
export const FIELDS = 10;
/** Values per list and elements per set. */
export const PER_COLLECTION = 1000;
/** Elements per range read (list fetch, fetchByRank, fetchByScore). */
export const RANGE = 10;
const VALUE_BYTES = 32;
const te = new TextEncoder();

/** The seeded inputs of a run: the same bytes for both sides. */
export interface Data {
  sizes: Sizes;
  /** `elements` distinct 32-byte values (index LE in the first 4 bytes). */
  values: Uint8Array[];
  /** `elements` distinct 12-byte members (set elements, sorted-set values). */
  members: Uint8Array[];
  /** Members no set holds. */
  absent: Uint8Array[];
  /** Random scores in [0, 1), one per member. */
  scores: Float64Array;
  dictKeys: Uint8Array[];
  fields: Uint8Array[];
  /** Keys of lists and of sets. */
  groupKeys: Uint8Array[];
  zsetKey: Uint8Array;
  /** `queries` random numbers in [0, 1) for each read phase to draw from. */
  draws: Float64Array;
}

function randomBytes(out: Uint8Array, rand: () => number): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
}

function indexed(n: number, size: number, rand: () => number): Uint8Array[] {
  const buf = new Uint8Array(n * size);
  randomBytes(buf, rand);
  const dv = new DataView(buf.buffer);
  const out: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    dv.setUint32(i * size, i, true);
    out[i] = buf.subarray(i * size, (i + 1) * size);
  }
  return out;
}

/** Builds a run's inputs from `seed`. */
export function makeData(sizes: Sizes, seed = 42): Data {
  const rand = rng(seed);
  const n = sizes.elements;
  const groups = Math.max(1, Math.ceil(n / PER_COLLECTION));
  const absent = indexed(n, 12, rand);
  for (const a of absent) a[4] = 0xff; // members below have a[4] < 0xff
  const members = indexed(n, 12, rand);
  for (const m of members) m[4] = m[4]! % 0xff;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = rand();
  const draws = new Float64Array(sizes.queries * 2);
  for (let i = 0; i < draws.length; i++) draws[i] = rand();
  return {
    sizes,
    values: indexed(n, VALUE_BYTES, rand),
    members,
    absent,
    scores,
    dictKeys: Array.from(
      { length: Math.max(1, Math.ceil(n / FIELDS)) },
      (_, i) => te.encode(`dict:${i}`),
    ),
    fields: Array.from({ length: FIELDS }, (_, i) => te.encode(`field${i}`)),
    groupKeys: Array.from({ length: groups }, (_, i) => te.encode(`grp:${i}`)),
    zsetKey: te.encode("leaderboard"),
    draws,
  };
}

/** The j-th draw as an integer in [0, n). */
function pick(d: Data, j: number, n: number): number {
  return Math.floor(d.draws[j % d.draws.length]! * n);
}

/** setField of every field of every dictionary, getField, fetch. */
export function dictionaryPhases(side: DictionarySide, d: Data): Phase[] {
  const n = d.sizes.elements;
  const q = d.sizes.queries;
  const dicts = d.dictKeys.length;
  return [{
    name: "setField",
    ops: n,
    run() {
      for (let i = 0; i < n; i++) {
        side.setField(
          d.dictKeys[Math.floor(i / FIELDS)]!,
          d.fields[i % FIELDS]!,
          d.values[i]!,
        );
      }
      return n;
    },
  }, {
    name: "getField",
    ops: q,
    run() {
      let sum = 0;
      for (let j = 0; j < q; j++) {
        const i = pick(d, j, n);
        sum += side.getField(
          d.dictKeys[Math.floor(i / FIELDS)]!,
          d.fields[i % FIELDS]!,
        );
      }
      return sum;
    },
  }, {
    name: "fetch",
    ops: q,
    run() {
      let sum = 0;
      for (let j = 0; j < q; j++) {
        sum += side.fetch(d.dictKeys[pick(d, j + q, dicts)]!);
      }
      return sum;
    },
  }];
}

/** pushBack round-robin over the lists, fetch of 10, popFront of all. */
export function listPhases(side: ListSide, d: Data): Phase[] {
  const n = d.sizes.elements;
  const q = d.sizes.queries;
  const lists = d.groupKeys.length;
  const shortest = Math.floor(n / lists);
  return [{
    name: "pushBack",
    ops: n,
    run() {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += side.pushBack(d.groupKeys[i % lists]!, d.values[i]!);
      }
      return sum;
    },
  }, {
    name: "fetch",
    ops: q,
    run() {
      let sum = 0;
      for (let j = 0; j < q; j++) {
        const start = pick(d, j, Math.max(1, shortest - RANGE));
        sum += side.fetch(
          d.groupKeys[pick(d, j + q, lists)]!,
          start,
          start + RANGE,
        );
      }
      return sum;
    },
  }, {
    name: "popFront",
    ops: n,
    run() {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += side.popFront(d.groupKeys[i % lists]!);
      return sum;
    },
  }];
}

/** add round-robin over the sets; contains, half of them absent. */
export function setPhases(side: SetSide, d: Data): Phase[] {
  const n = d.sizes.elements;
  const q = d.sizes.queries;
  const sets = d.groupKeys.length;
  return [{
    name: "add",
    ops: n,
    run() {
      for (let i = 0; i < n; i++) {
        side.add(d.groupKeys[i % sets]!, d.members[i]!);
      }
      return n;
    },
  }, {
    name: "contains",
    ops: q,
    run() {
      let sum = 0;
      for (let j = 0; j < q; j++) {
        const i = pick(d, j, n);
        const element = j % 2 === 0 ? d.members[i]! : d.absent[i]!;
        sum += side.contains(d.groupKeys[i % sets]!, element);
      }
      return sum;
    },
  }];
}

/** put of every member (random scores), the reads, incrementScore. */
export function sortedSetPhases(side: SortedSetSide, d: Data): Phase[] {
  const n = d.sizes.elements;
  const q = d.sizes.queries;
  const key = d.zsetKey;
  const phase = (name: string, op: (j: number) => number, ops = q): Phase => ({
    name,
    ops,
    run() {
      let sum = 0;
      for (let j = 0; j < ops; j++) sum += op(j);
      return sum;
    },
  });
  return [
    {
      name: "put",
      ops: n,
      run() {
        for (let i = 0; i < n; i++) side.put(key, d.members[i]!, d.scores[i]!);
        return n;
      },
    },
    phase("getRank", (j) => side.getRank(key, d.members[pick(d, j, n)]!)),
    phase("fetchByRank", (j) => {
      const start = pick(d, j, Math.max(1, n - RANGE));
      return side.fetchByRank(key, start, start + RANGE);
    }),
    phase("fetchByScore", (j) => side.fetchByScore(key, d.draws[j]!, RANGE)),
    // a tenth of the queries: the JS baseline moves O(n) members per increment
    phase(
      "incrementScore",
      (j) =>
        side.incrementScore(key, d.members[pick(d, j + q, n)]!, d.draws[j]!),
      Math.ceil(q / 10),
    ),
  ];
}
