/**
 * The two sides of `bench/collections_bench.ts`, one pair per collection
 * type: the Wasm core through `ShardHost.execute` (the gateway's path), and a
 * plain JS structure doing the same work in the same process.
 *
 * Both sides take the same byte arguments (as the gateway has them after
 * parsing a request). The JS side turns keys, fields and members into strings
 * (one char per byte) to key its Maps and keeps a copy of each value it stores
 * (a cache does not keep the caller's buffer). Every read folds its result into
 * a number, the same way on both sides ({@linkcode tag}), so the bench can
 * check that both sides answered alike and neither can skip the work.
 *
 * @module
 */
import type { ShardHost } from "../store-wasm/shard_host.ts";

/** The cache id every core call uses. */
export const CACHE = 1;
/** The TTL of every write: an hour, so nothing expires during a run. */
export const TTL = 3_600_000;

/** A value's fingerprint: its length and its first three bytes. */
export function tag(v: Uint8Array): number {
  return v.length + (v[0] ?? 0) + (v[1] ?? 0) * 256 + (v[2] ?? 0) * 65536;
}

/** Bytes as a string, one char per byte (short keys only). */
export function text(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Dictionary operations; reads return a digest of their result. */
export interface DictionarySide {
  setField(key: Uint8Array, field: Uint8Array, value: Uint8Array): void;
  /** tag of the value, or -1 on a miss. */
  getField(key: Uint8Array, field: Uint8Array): number;
  /** Fields fetched + the sum of their values' tags, or -1 on a miss. */
  fetch(key: Uint8Array): number;
}

/** List operations; reads return a digest of their result. */
export interface ListSide {
  /** The new length. */
  pushBack(key: Uint8Array, value: Uint8Array): number;
  /** tag of the value, or -1 on a miss. */
  popFront(key: Uint8Array): number;
  /** Values fetched + the sum of their tags, or -1 on a miss. */
  fetch(key: Uint8Array, start: number, end: number): number;
}

/** Set operations. */
export interface SetSide {
  add(key: Uint8Array, element: Uint8Array): void;
  /** 1 when the set holds the element, else 0 (-1: no set). */
  contains(key: Uint8Array, element: Uint8Array): number;
}

/** Sorted-set operations; reads return a digest of their result. */
export interface SortedSetSide {
  put(key: Uint8Array, value: Uint8Array, score: number): void;
  /** The ascending rank, or -1 on a miss. */
  getRank(key: Uint8Array, value: Uint8Array): number;
  /** Elements fetched + the sum of their values' tags, or -1 on a miss. */
  fetchByRank(key: Uint8Array, start: number, end: number): number;
  /** The same digest, of the first `count` elements with a score >= min. */
  fetchByScore(key: Uint8Array, min: number, count: number): number;
  /** The new score. */
  incrementScore(key: Uint8Array, value: Uint8Array, amount: number): number;
}

/** The four collection types through `ShardHost.execute`. */
export function coreSides(host: ShardHost): {
  dictionary: DictionarySide;
  list: ListSide;
  set: SetSide;
  sortedSet: SortedSetSide;
} {
  const ttl = { ttlMs: TTL };
  return {
    dictionary: {
      setField(key, field, value) {
        host.execute(CACHE, "dictionarySetField", {
          key,
          field,
          value,
          ...ttl,
        });
      },
      getField(key, field) {
        const r = host.execute(CACHE, "dictionaryGetField", { key, field });
        return r.type === "Hit" ? tag(r.value) : -1;
      },
      fetch(key) {
        const r = host.execute(CACHE, "dictionaryFetch", { key });
        if (r.type !== "Hit") return -1;
        let d = r.fields.length;
        for (const f of r.fields) d += tag(f.value);
        return d;
      },
    },
    list: {
      pushBack(key, value) {
        return host.execute(CACHE, "listPushBack", { key, value, ...ttl })
          .length;
      },
      popFront(key) {
        const r = host.execute(CACHE, "listPopFront", { key });
        return r.type === "Hit" ? tag(r.value) : -1;
      },
      fetch(key, startIndex, endIndex) {
        const r = host.execute(CACHE, "listFetch", {
          key,
          startIndex,
          endIndex,
        });
        return r.type === "Hit" ? digest(r.values) : -1;
      },
    },
    set: {
      add(key, element) {
        host.execute(CACHE, "setAddElements", {
          key,
          elements: [element],
          ...ttl,
        });
      },
      contains(key, element) {
        const r = host.execute(CACHE, "setContainsElements", {
          key,
          elements: [element],
        });
        return r.type === "Hit" ? (r.contains[0] ? 1 : 0) : -1;
      },
    },
    sortedSet: {
      put(key, value, score) {
        host.execute(CACHE, "sortedSetPutElements", {
          key,
          elements: [{ value, score }],
          ...ttl,
        });
      },
      getRank(key, value) {
        const r = host.execute(CACHE, "sortedSetGetRank", { key, value });
        return r.type === "Hit" ? r.rank : -1;
      },
      fetchByRank(key, startRank, endRank) {
        const r = host.execute(CACHE, "sortedSetFetchByRank", {
          key,
          startRank,
          endRank,
        });
        return r.type === "Hit" ? scoredDigest(r.elements) : -1;
      },
      fetchByScore(key, minScore, count) {
        const r = host.execute(CACHE, "sortedSetFetchByScore", {
          key,
          minScore,
          count,
        });
        return r.type === "Hit" ? scoredDigest(r.elements) : -1;
      },
      incrementScore(key, value, amount) {
        return host.execute(CACHE, "sortedSetIncrementScore", {
          key,
          value,
          amount,
          ...ttl,
        }).score;
      },
    },
  };
}

function digest(values: readonly Uint8Array[]): number {
  let d = values.length;
  for (const v of values) d += tag(v);
  return d;
}

function scoredDigest(elements: readonly { value: Uint8Array }[]): number {
  let d = elements.length;
  for (const e of elements) d += tag(e.value);
  return d;
}

/** The dictionary baseline: `Map<string, Map<string, Uint8Array>>`. */
export class JsDictionary implements DictionarySide {
  readonly #dicts = new Map<string, Map<string, Uint8Array>>();
  setField(key: Uint8Array, field: Uint8Array, value: Uint8Array): void {
    const k = text(key);
    let dict = this.#dicts.get(k);
    if (dict === undefined) this.#dicts.set(k, dict = new Map());
    dict.set(text(field), value.slice());
  }
  getField(key: Uint8Array, field: Uint8Array): number {
    const v = this.#dicts.get(text(key))?.get(text(field));
    return v === undefined ? -1 : tag(v);
  }
  fetch(key: Uint8Array): number {
    const dict = this.#dicts.get(text(key));
    if (dict === undefined) return -1;
    let d = dict.size;
    for (const v of dict.values()) d += tag(v);
    return d;
  }
}

interface Deque {
  items: (Uint8Array | undefined)[];
  head: number;
}

/** The list baseline: a JS array used as a deque with a head index. */
export class JsList implements ListSide {
  readonly #lists = new Map<string, Deque>();
  pushBack(key: Uint8Array, value: Uint8Array): number {
    const k = text(key);
    let list = this.#lists.get(k);
    if (list === undefined) this.#lists.set(k, list = { items: [], head: 0 });
    list.items.push(value.slice());
    return list.items.length - list.head;
  }
  popFront(key: Uint8Array): number {
    const k = text(key);
    const list = this.#lists.get(k);
    if (list === undefined) return -1;
    const v = list.items[list.head]!;
    list.items[list.head++] = undefined;
    if (list.head === list.items.length) this.#lists.delete(k);
    else if (list.head >= 1024 && list.head * 2 >= list.items.length) {
      list.items = list.items.slice(list.head); // keep pops O(1) amortized
      list.head = 0;
    }
    return tag(v);
  }
  fetch(key: Uint8Array, start: number, end: number): number {
    const list = this.#lists.get(text(key));
    if (list === undefined) return -1;
    const to = Math.min(list.head + end, list.items.length);
    let d = 0;
    for (let i = list.head + start; i < to; i++) d += 1 + tag(list.items[i]!);
    return d;
  }
}

/** The set baseline: `Map<string, Set<string>>`. */
export class JsSet implements SetSide {
  readonly #sets = new Map<string, Set<string>>();
  add(key: Uint8Array, element: Uint8Array): void {
    const k = text(key);
    let set = this.#sets.get(k);
    if (set === undefined) this.#sets.set(k, set = new Set());
    set.add(text(element));
  }
  contains(key: Uint8Array, element: Uint8Array): number {
    const set = this.#sets.get(text(key));
    if (set === undefined) return -1;
    return set.has(text(element)) ? 1 : 0;
  }
}

interface Member {
  value: string;
  bytes: Uint8Array;
  score: number;
}

interface Sorted {
  /** By score, ties by value (one char per byte: byte order). */
  order: Member[];
  /** Value -> member (its score). */
  scores: Map<string, Member>;
}

/** First index whose member is not below (score, value). */
function lowerBound(order: Member[], score: number, value: string): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = order[mid]!;
    if (m.score < score || (m.score === score && m.value < value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sorted-set baseline: a sorted array with binary-search insertion
 * (`splice`, O(n) moves per put) and a Map from value to member for scores.
 */
export class JsSortedSet implements SortedSetSide {
  readonly #sets = new Map<string, Sorted>();
  put(key: Uint8Array, value: Uint8Array, score: number): void {
    const k = text(key);
    let set = this.#sets.get(k);
    if (set === undefined) {
      this.#sets.set(k, set = { order: [], scores: new Map() });
    }
    this.#place(set, text(value), value, score);
  }
  #place(set: Sorted, v: string, bytes: Uint8Array, score: number): void {
    let m = set.scores.get(v);
    if (m !== undefined) {
      if (m.score === score) return;
      set.order.splice(lowerBound(set.order, m.score, v), 1);
      m.score = score;
    } else {
      m = { value: v, bytes: bytes.slice(), score };
      set.scores.set(v, m);
    }
    set.order.splice(lowerBound(set.order, score, v), 0, m);
  }
  getRank(key: Uint8Array, value: Uint8Array): number {
    const set = this.#sets.get(text(key));
    const m = set?.scores.get(text(value));
    return m === undefined ? -1 : lowerBound(set!.order, m.score, m.value);
  }
  fetchByRank(key: Uint8Array, start: number, end: number): number {
    const set = this.#sets.get(text(key));
    return set === undefined ? -1 : this.#digest(set.order, start, end);
  }
  fetchByScore(key: Uint8Array, min: number, count: number): number {
    const set = this.#sets.get(text(key));
    if (set === undefined) return -1;
    const from = lowerBound(set.order, min, "");
    return this.#digest(set.order, from, from + count);
  }
  #digest(order: Member[], start: number, end: number): number {
    let d = 0;
    for (let i = start; i < Math.min(end, order.length); i++) {
      d += 1 + tag(order[i]!.bytes);
    }
    return d;
  }
  incrementScore(key: Uint8Array, value: Uint8Array, amount: number): number {
    const k = text(key);
    const set = this.#sets.get(k);
    const v = text(value);
    const score = (set?.scores.get(v)?.score ?? 0) + amount;
    if (set === undefined) this.put(key, value, score);
    else this.#place(set, v, value, score);
    return score;
  }
}
