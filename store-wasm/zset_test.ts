import assert from "node:assert/strict";
import fc from "fast-check";
import { compareBytes } from "../protocol/bytes.ts";
import { type Elem, ZsetModel, ZsetWasm } from "./_zset_harness.ts";
import { bytes, rng } from "./_test_utils.ts";

const NEED_ROOM = -1;
const REGION = 24 << 20;

/**
 * The blob of one sorted set and the caller's side of the NEED_ROOM protocol:
 * on NEED_ROOM it checks nothing changed, compacts into the other region with
 * room for the operation, and retries.
 */
class Holder {
  b: number;
  region = 0;
  /** Whether write() checks that NEED_ROOM left the bytes as they were. */
  verify = true;

  constructor(readonly z: ZsetWasm, cap: number, readonly slack = 0) {
    this.b = z.arena;
    z.ex.init(this.b, cap);
  }

  #other(shift: number): number {
    this.region ^= 1;
    return this.z.arena + this.region * REGION + shift;
  }

  /** Compacts into the other region, with `extra` bytes of room. */
  compact(extra: number, shift = 0): void {
    const { ex } = this.z;
    const size = ex.compactSize(this.b);
    const dst = this.#other(shift);
    ex.compact(this.b, dst, size + extra);
    assert.equal(ex.used(dst), size);
    assert.equal(ex.compactSize(dst), size);
    assert.equal(ex.garbage(dst), 0);
    this.b = dst;
  }

  /** Copies the blob's bytes elsewhere: offsets must be relative. */
  move(shift: number): void {
    const cap = this.z.view.getUint32(this.b, true);
    const dst = this.#other(shift);
    this.z.mem.copyWithin(dst, this.b, this.b + cap);
    this.b = dst;
  }

  write(vlen: number, op: (b: number) => number): number {
    const before = this.verify ? this.z.snapshot(this.b) : undefined;
    const r = op(this.b);
    if (r !== NEED_ROOM) return r;
    if (before) assertSameBytes(this.z.snapshot(this.b), before);
    this.compact(this.z.ex.roomFor(this.b, vlen) + this.slack, this.b % 7);
    const again = op(this.b);
    assert.notEqual(again, NEED_ROOM, "NEED_ROOM after compaction with room");
    return again;
  }
}

function assertSameBytes(a: Uint8Array, b: Uint8Array): void {
  assert.equal(a.length, b.length);
  const i = a.findIndex((x, k) => x !== b[k]);
  assert.equal(i, -1, `blob changed at byte ${i}`);
}

/** Every query of the whole set against the model. */
function assertMatches(z: ZsetWasm, b: number, m: ZsetModel): void {
  assert.equal(z.ex.check(b), 0, "broken invariant");
  const n = m.elems.length;
  assert.equal(z.ex.count(b), n);
  assert.equal(z.ex.logical(b), m.logical);
  assert.deepEqual(z.range(b, 0, n, false), m.elems);
  assert.deepEqual(z.range(b, 0, n + 3, true), m.range(0, n, true));
  for (const [i, e] of m.elems.entries()) {
    assert.equal(z.rank(b, e.value, false), i);
    assert.equal(z.rank(b, e.value, true), n - 1 - i);
    assert.ok(Object.is(z.score(b, e.value), e.score));
  }
}

type Op =
  | { k: "put"; v: Uint8Array; s: number }
  | { k: "inc"; v: Uint8Array; a: number }
  | { k: "remove"; v: Uint8Array }
  | { k: "rank"; v: Uint8Array; desc: boolean }
  | { k: "score"; v: Uint8Array }
  | {
    k: "byScore";
    min: number;
    minEx: boolean;
    max: number;
    maxEx: boolean;
    desc: boolean;
  }
  | { k: "byRank"; lo: number; hi: number; desc: boolean }
  | { k: "compact"; shift: number }
  | { k: "move"; shift: number };

const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 3, min: 0, max: 3 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40, min: 0, max: 1 }) },
);
const scoreArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.5, -1e308, 1e308, 5e-324) },
);
const boundArb = fc.oneof(
  { weight: 4, arbitrary: scoreArb },
  { weight: 1, arbitrary: fc.constantFrom(-Infinity, Infinity) },
);
const rankArb = fc.integer({ min: 0, max: 90 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ k: fc.constant("put"), v: valueArb, s: scoreArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("inc"), v: valueArb, a: scoreArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("remove"), v: valueArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("rank"),
      v: valueArb,
      desc: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("score"), v: valueArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("byScore"),
      min: boundArb,
      minEx: fc.boolean(),
      max: boundArb,
      maxEx: fc.boolean(),
      desc: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("byRank"),
      lo: rankArb,
      hi: rankArb,
      desc: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("compact"), shift: fc.nat(7) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("move"), shift: fc.nat(7) }),
  },
) as fc.Arbitrary<Op>;

function step(z: ZsetWasm, h: Holder, m: ZsetModel, op: Op): void {
  switch (op.k) {
    case "put": {
      const r = h.write(op.v.length, (b) => z.put(b, op.v, op.s));
      assert.equal(r, m.put(op.v, op.s));
      break;
    }
    case "inc": {
      const next = (m.score(op.v) ?? 0) + op.a;
      const added = m.indexOf(op.v) < 0 ? 1 : 0;
      let out = NaN;
      const r = h.write(op.v.length, (b) => {
        const [r, s] = z.increment(b, op.v, op.a);
        out = s;
        return r;
      });
      if (Number.isFinite(next)) {
        assert.equal(r, added);
        assert.ok(Object.is(out, next), `increment gave ${out}, not ${next}`);
        m.put(op.v, next);
      } else {
        assert.equal(r, z.notFinite);
        assert.ok(Number.isNaN(out), "out untouched");
      }
      break;
    }
    case "remove":
      assert.equal(z.remove(h.b, op.v), m.remove(op.v));
      break;
    case "rank":
      assert.equal(z.rank(h.b, op.v, op.desc), m.rank(op.v, op.desc));
      break;
    case "score":
      assert.ok(Object.is(z.score(h.b, op.v), m.score(op.v)));
      break;
    case "byScore": {
      const want = m.scoreRange(op.min, op.minEx, op.max, op.maxEx);
      const [lo, hi] = z.scoreRange(h.b, op.min, op.minEx, op.max, op.maxEx);
      assert.deepEqual([lo, hi], want);
      assert.deepEqual(z.range(h.b, lo, hi, op.desc), m.range(lo, hi, op.desc));
      break;
    }
    case "byRank":
      assert.deepEqual(
        z.range(h.b, op.lo, op.hi, op.desc),
        m.range(op.lo, op.hi, op.desc),
      );
      break;
    case "compact":
      h.compact(op.shift * 3, op.shift);
      break;
    case "move":
      h.move(op.shift);
      break;
  }
  assert.equal(z.ex.check(h.b), 0, `broken invariant after ${op.k}`);
  assert.equal(z.ex.count(h.b), m.elems.length);
}

Deno.test("zset: random operations match a sorted-array model", async () => {
  const z = await ZsetWasm.create();
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 50, maxLength: 400, size: "max" }),
      fc.nat(40),
      (ops, slack) => {
        const m = new ZsetModel();
        const h = new Holder(z, z.header, slack);
        for (const op of ops) step(z, h, m, op);
        assertMatches(z, h.b, m);
      },
    ),
    { seed: 20240611, numRuns: 60 },
  );
});

Deno.test("zset: increment to a non-finite score changes nothing", async () => {
  const z = await ZsetWasm.create();
  const h = new Holder(z, 4096);
  const v = new Uint8Array([1, 2]);
  assert.equal(z.put(h.b, v, 1e308), 1);
  const before = z.snapshot(h.b);
  const [r, out] = z.increment(h.b, v, 1e308);
  assert.equal(r, z.notFinite);
  assert.ok(Number.isNaN(out), "out untouched");
  assertSameBytes(z.snapshot(h.b), before);
  assert.deepEqual(z.increment(h.b, new Uint8Array([9]), -2.5), [1, -2.5]);
  assert.deepEqual(z.increment(h.b, v, -1e308), [0, 0]);
  assert.ok(Object.is(z.put(h.b, v, -0), 0));
  assert.ok(Object.is(z.score(h.b, v), -0), "-0 is stored as given");
});

Deno.test("zset: a compact copy or a byte copy keeps working anywhere", async () => {
  const z = await ZsetWasm.create();
  const m = new ZsetModel();
  const h = new Holder(z, 1 << 20);
  const next = rng(7);
  for (let i = 0; i < 6000; i++) {
    const k = Math.floor(next() * 2500);
    const v = bytes(1 + (k % 13), k);
    const s = Math.floor(next() * 50);
    if (next() < 0.2) assert.equal(z.remove(h.b, v), m.remove(v));
    else assert.equal(h.write(v.length, (b) => z.put(b, v, s)), m.put(v, s));
    if (i === 2000) h.compact(64 << 10, 3);
    if (i === 4000) h.move(5);
  }
  assert.ok(z.ex.garbage(h.b) > 0, "removals left garbage");
  assertMatches(z, h.b, m);
  h.compact(0, 1);
  assertMatches(z, h.b, m);
  h.move(6);
  assertMatches(z, h.b, m);
  for (const e of m.elems.slice(0, 500)) {
    assert.equal(
      z.put(h.b, e.value, -e.score),
      0,
      "score changes need no room",
    );
    m.put(e.value, -e.score);
  }
  assertMatches(z, h.b, m);
});

Deno.test("zset: NEED_ROOM leaves the structure unchanged", async () => {
  const z = await ZsetWasm.create();
  const m = new ZsetModel();
  const h = new Holder(z, z.header + 2000);
  let full = false;
  for (let i = 0; !full; i++) {
    const v = bytes(1 + (i % 9), i);
    const s = i % 4;
    const before = z.snapshot(h.b);
    const r = z.put(h.b, v, s);
    if (r === NEED_ROOM) {
      full = true;
      assertSameBytes(z.snapshot(h.b), before);
      assert.deepEqual(z.increment(h.b, v, 1)[0], NEED_ROOM);
      assertSameBytes(z.snapshot(h.b), before);
    } else {
      assert.equal(r, m.put(v, s));
    }
  }
  assert.ok(m.elems.length > 10, `only ${m.elems.length} fit`);
  assertMatches(z, h.b, m);
  for (const [min, max] of [[0, 1], [1, 1], [-Infinity, 2], [3, Infinity]]) {
    const want = m.scoreRange(min!, false, max!, true);
    assert.deepEqual(z.scoreRange(h.b, min!, false, max!, true), want);
  }
  // Updating the score of a present value always fits.
  const first = m.elems[0]!.value;
  assert.deepEqual(z.increment(h.b, first, 10), [0, m.elems[0]!.score + 10]);
  m.put(first, m.elems[0]!.score + 10);
  assertMatches(z, h.b, m);
});

Deno.test("zset: twenty thousand elements with many ties", async () => {
  const z = await ZsetWasm.create();
  const m = new ZsetModel();
  const h = new Holder(z, z.header);
  h.verify = false;
  const next = rng(99);
  const all = new Map<string, Elem>();
  for (let i = 0; i < 20000; i++) {
    const value = bytes(1 + Math.floor(next() * 24), i);
    const score = Math.floor(next() * 100);
    const added = all.has(value.join()) ? 0 : 1;
    all.set(value.join(), { value, score });
    assert.equal(h.write(value.length, (b) => z.put(b, value, score)), added);
  }
  m.elems = [...all.values()].sort((a, b) =>
    a.score - b.score || compareBytes(a.value, b.value)
  );
  assertMatches(z, h.b, m);
  assert.deepEqual(
    z.scoreRange(h.b, 10, true, 20, false),
    m.scoreRange(10, true, 20, false),
  );
});
