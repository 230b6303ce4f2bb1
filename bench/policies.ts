/**
 * Reference eviction policies over a byte budget, for `bench:policies`:
 * S3-FIFO and ARC beside `replay.ts`'s exact LRU, each charging every item its
 * key text + value bytes plus a fixed `overhead`. They answer one question the
 * Wasm core cannot: what hit ratio would a store reach with this policy if it
 * paid only `overhead` bytes an item? (kvolt pays its item header, index slot
 * and ghost share.)
 *
 * Both keep their queues in `Map`s, whose insertion order is the queue order
 * (delete + set moves a key to the back). They are models for measuring, not
 * code the store runs.
 *
 * @module
 */
import type { Trace } from "./replay.ts";

/** What a policy replay reports. */
export interface PolicyReplay {
  hits: number;
  /** Items resident at the end. */
  items: number;
}

/**
 * A queue of key ids with the bytes each is charged, oldest first (a Map's
 * insertion order), and their total.
 */
class Queue {
  readonly #items = new Map<number, number>();
  bytes = 0;

  get size(): number {
    return this.#items.size;
  }

  /** The bytes k is charged, or undefined when k is not here. */
  get(k: number): number | undefined {
    return this.#items.get(k);
  }

  /** Adds k as the newest. */
  push(k: number, bytes: number): void {
    this.#items.set(k, bytes);
    this.bytes += bytes;
  }

  /** Takes k out; its bytes, or undefined when k was not here. */
  remove(k: number): number | undefined {
    const bytes = this.#items.get(k);
    if (bytes !== undefined) {
      this.#items.delete(k);
      this.bytes -= bytes;
    }
    return bytes;
  }

  /** The oldest key; the queue is not empty. */
  oldest(): number {
    return this.#items.keys().next().value!;
  }

  /** Moves k (here) to the newest end. */
  touch(k: number): void {
    const bytes = this.#items.get(k)!;
    this.#items.delete(k);
    this.#items.set(k, bytes);
  }

  /** Moves the oldest key to the newest end of `to` (which may be this). */
  moveOldestTo(to: Queue): number {
    const k = this.oldest();
    to.push(k, this.remove(k)!);
    return k;
  }
}

/** Every key's text length, by id. */
function keyLengths(trace: Trace): Uint32Array {
  return Uint32Array.from(trace.names, (k) => k.length);
}

/**
 * S3-FIFO (Yang et al., SOSP 2023) in bytes: new keys enter a small FIFO of
 * 10% of the budget; its oldest key moves to the main FIFO if it was read
 * while there, else leaves and its id goes to a ghost FIFO (remembering as
 * many bytes of items as main can hold). A key the ghost remembers enters
 * main directly. Main's oldest key is reinserted while its 2-bit counter is
 * above zero (the counter drops by one each time), else evicted.
 */
export function s3fifoReplay(
  trace: Trace,
  budget: number,
  overhead = 0,
): PolicyReplay {
  const keyLen = keyLengths(trace);
  const freq = new Uint8Array(trace.names.length);
  const small = new Queue();
  const main = new Queue();
  const ghost = new Queue();
  const smallTarget = budget / 10;
  let hits = 0;

  const evictMain = (): void => {
    for (;;) {
      const k = main.oldest();
      if (freq[k] === 0) {
        main.remove(k);
        return;
      }
      freq[k]!--;
      main.touch(k);
    }
  };
  const evictSmall = (): void => {
    const k = small.oldest();
    if (freq[k]! > 0) {
      freq[k] = 0;
      small.moveOldestTo(main);
      return;
    }
    small.moveOldestTo(ghost);
    while (ghost.bytes > budget - smallTarget) ghost.remove(ghost.oldest());
  };

  const { ids, sizes } = trace;
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i]!;
    if (small.get(k) !== undefined || main.get(k) !== undefined) {
      hits++;
      if (freq[k]! < 3) freq[k]!++;
      continue;
    }
    const bytes = keyLen[k]! + sizes[i]! + overhead;
    if (bytes > budget) continue;
    while (small.bytes + main.bytes + bytes > budget) {
      if (small.bytes > smallTarget || main.size === 0) evictSmall();
      else evictMain();
    }
    freq[k] = 0;
    if (ghost.remove(k) !== undefined) main.push(k, bytes);
    else small.push(k, bytes);
  }
  return { hits, items: small.size + main.size };
}

/**
 * ARC (Megiddo and Modha, FAST 2003) in bytes: T1 holds keys seen once
 * recently, T2 keys seen at least twice, B1 and B2 the keys they evicted. A
 * miss found in B1 grows T1's target `p` (recency was short of room), one
 * found in B2 shrinks it, by the item's bytes times the other ghost's
 * advantage in length. T1 + B1 hold at most the budget, all four at most
 * twice it.
 */
export function arcReplay(
  trace: Trace,
  budget: number,
  overhead = 0,
): PolicyReplay {
  const keyLen = keyLengths(trace);
  const t1 = new Queue();
  const t2 = new Queue();
  const b1 = new Queue();
  const b2 = new Queue();
  let p = 0;
  let hits = 0;

  /** Moves LRU items of T1 or T2 to their ghosts until `bytes` more fit. */
  const replace = (bytes: number, foundInB2: boolean): void => {
    while (t1.bytes + t2.bytes + bytes > budget) {
      const fromT1 = t1.size > 0 &&
        (t1.bytes > p || (foundInB2 && t1.bytes >= p) || t2.size === 0);
      if (fromT1) t1.moveOldestTo(b1);
      else t2.moveOldestTo(b2);
    }
  };

  const { ids, sizes } = trace;
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i]!;
    const inT1 = t1.remove(k);
    if (inT1 !== undefined) {
      hits++;
      t2.push(k, inT1);
      continue;
    }
    if (t2.get(k) !== undefined) {
      hits++;
      t2.touch(k);
      continue;
    }
    const bytes = keyLen[k]! + sizes[i]! + overhead;
    if (bytes > budget) continue;
    if (b1.get(k) !== undefined) {
      p = Math.min(budget, p + bytes * Math.max(1, b2.size / b1.size));
      b1.remove(k);
      replace(bytes, false);
      t2.push(k, bytes);
    } else if (b2.get(k) !== undefined) {
      p = Math.max(0, p - bytes * Math.max(1, b1.size / b2.size));
      b2.remove(k);
      replace(bytes, true);
      t2.push(k, bytes);
    } else {
      replace(bytes, false);
      t1.push(k, bytes);
    }
    while (t1.bytes + b1.bytes > budget && b1.size > 0) b1.remove(b1.oldest());
    while (
      t1.bytes + t2.bytes + b1.bytes + b2.bytes > 2 * budget && b2.size > 0
    ) b2.remove(b2.oldest());
  }
  return { hits, items: t1.size + t2.size };
}

/**
 * W-TinyLFU (Einziger, Friedman and Manes, 2017; Caffeine's policy) in bytes,
 * with a window of `windowPct` percent of the budget: new keys enter a window
 * LRU; a key leaving it enters the main space (a segmented LRU, 80% of it
 * protected) only if it has been requested more often than the key main
 * would evict for it. Frequencies are exact per-key counters of 4 bits
 * (what a count-min sketch approximates from above), all halved every ten
 * budgets' worth of requests (in items of the trace's mean size), so this is
 * the policy at its best. Caffeine moves the window by hill climbing; the
 * bench replays several fixed windows and keeps the best in hindsight.
 */
export function wtinylfuReplay(
  trace: Trace,
  budget: number,
  overhead = 0,
  windowPct = 1,
): PolicyReplay {
  const keyLen = keyLengths(trace);
  const { ids, sizes } = trace;
  const freq = new Uint8Array(trace.names.length);
  const window = new Queue();
  const probation = new Queue();
  const prot = new Queue();
  const windowTarget = budget * windowPct / 100;
  const protTarget = (budget - windowTarget) * 0.8;
  let hits = 0;
  const meanItem = trace.footprint / trace.names.length + overhead;
  const sample = Math.max(16, Math.round(10 * budget / meanItem));
  let samples = 0;

  /** Main's next victim: probation's oldest, else protected's. */
  const victim = (): Queue | undefined =>
    probation.size > 0 ? probation : prot.size > 0 ? prot : undefined;
  const total = () => window.bytes + probation.bytes + prot.bytes;

  for (let i = 0; i < ids.length; i++) {
    const k = ids[i]!;
    if (freq[k]! < 15) freq[k]!++;
    if (++samples >= sample) {
      samples = 0;
      for (let j = 0; j < freq.length; j++) freq[j]! >>= 1;
    }
    if (window.get(k) !== undefined) {
      hits++;
      window.touch(k);
      continue;
    }
    const inProbation = probation.remove(k);
    if (inProbation !== undefined) {
      hits++;
      prot.push(k, inProbation);
      while (prot.bytes > protTarget && prot.size > 1) {
        prot.moveOldestTo(probation);
      }
      continue;
    }
    if (prot.get(k) !== undefined) {
      hits++;
      prot.touch(k);
      continue;
    }
    const bytes = keyLen[k]! + sizes[i]! + overhead;
    if (bytes > budget) continue;
    window.push(k, bytes);
    while (window.bytes > windowTarget && window.size > 0) {
      const c = window.oldest();
      const cb = window.remove(c)!;
      // the candidate enters main if it fits, or if it is wanted more often
      // than what main would evict for it
      const v = victim();
      if (
        total() + cb > budget && v !== undefined &&
        freq[c]! <= freq[v.oldest()]!
      ) {
        continue;
      }
      for (let w = v; total() + cb > budget && w !== undefined; w = victim()) {
        w.remove(w.oldest());
      }
      probation.push(c, cb);
    }
    while (total() > budget) {
      const w = victim() ?? window;
      w.remove(w.oldest());
    }
  }
  return { hits, items: window.size + probation.size + prot.size };
}
