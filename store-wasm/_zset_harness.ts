/**
 * Test harness of the sorted-set structure (assembly/zset.ts): compiles the
 * test entry (assembly/zset_test_entry.ts) to build/zset_test.wasm, wraps its
 * exports with Uint8Array values, and a plain JS model to compare with.
 *
 * @module
 */
import { compareBytes } from "../protocol/bytes.ts";
import asc from "assemblyscript/asc";
import { ASC_FLAGS } from "./asc_flags.ts";

/** A sorted-set element. */
export interface Elem {
  value: Uint8Array;
  score: number;
}

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  headerSize(): number;
  notFinite(): number;
  init(b: number, cap: number): void;
  compactSize(b: number): number;
  compact(src: number, dst: number, cap: number): void;
  roomFor(b: number, vlen: number): number;
  garbage(b: number): number;
  used(b: number): number;
  count(b: number): number;
  logical(b: number): number;
  put(b: number, v: number, vlen: number, score: number): number;
  increment(
    b: number,
    v: number,
    vlen: number,
    amount: number,
    out: number,
  ): number;
  remove(b: number, v: number, vlen: number): number;
  score(b: number, v: number, vlen: number, out: number): number;
  rank(b: number, v: number, vlen: number, desc: boolean): number;
  scoreRange(
    b: number,
    min: number,
    minEx: boolean,
    max: number,
    maxEx: boolean,
    out: number,
  ): void;
  writeRange(
    b: number,
    lo: number,
    hi: number,
    desc: boolean,
    out: number,
  ): number;
  check(b: number): number;
  levels(b: number): number;
  levelCount(b: number, i: number): number;
}

const ROOT = new URL("./", import.meta.url);
const WASM = new URL("build/zset_test.wasm", ROOT);
const MiB = 1 << 20;

/**
 * Compiles the test entry with the core's flags (see scripts/build_wasm.ts).
 * The binary is taken from the compiler in memory, then written to
 * build/zset_test.wasm atomically, so concurrent runs never read a torn file.
 */
async function compile(): Promise<Uint8Array<ArrayBuffer>> {
  let wasm: Uint8Array<ArrayBuffer> | undefined;
  const { error, stderr } = await asc.main([
    new URL("assembly/zset_test_entry.ts", ROOT).pathname,
    "-o",
    WASM.pathname,
    ...ASC_FLAGS,
  ], {
    writeFile(name, contents) {
      if (name.endsWith(".wasm") && typeof contents !== "string") {
        wasm = new Uint8Array(contents);
      }
    },
  });
  if (error || wasm === undefined) {
    throw new Error(`Cannot compile the zset test module: ${stderr}`);
  }
  await Deno.mkdir(new URL("build/", ROOT), { recursive: true });
  const tmp = `${WASM.pathname}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, wasm);
  await Deno.rename(tmp, WASM);
  return wasm;
}

let module: Promise<WebAssembly.Module> | undefined;

/**
 * One instance of the test module: values go to `val`, results come from
 * `out` (16 MiB), blobs live from `arena` on (48 MiB). Memory never grows
 * after creation, so views stay valid.
 */
export class ZsetWasm {
  readonly ex: Exports;
  readonly val: number;
  readonly out: number;
  readonly arena: number;
  readonly notFinite: number;
  readonly header: number;

  private constructor(ex: Exports) {
    this.ex = ex;
    this.val = (ex.heapBase() + 63) & ~63;
    this.out = this.val + MiB;
    this.arena = this.out + 16 * MiB;
    const need = this.arena + 48 * MiB - ex.memory.buffer.byteLength;
    if (need > 0) ex.memory.grow(Math.ceil(need / 65536));
    this.notFinite = ex.notFinite();
    this.header = ex.headerSize();
  }

  /** A fresh instance (the module is compiled once per process). */
  static async create(): Promise<ZsetWasm> {
    module ??= compile().then((bytes) => WebAssembly.compile(bytes));
    const instance = await WebAssembly.instantiate(await module, {});
    return new ZsetWasm(instance.exports as unknown as Exports);
  }

  /** The whole memory. */
  get mem(): Uint8Array {
    return new Uint8Array(this.ex.memory.buffer);
  }

  get view(): DataView {
    return new DataView(this.ex.memory.buffer);
  }

  #v(v: Uint8Array): number {
    this.mem.set(v, this.val);
    return this.val;
  }

  put(b: number, v: Uint8Array, score: number): number {
    return this.ex.put(b, this.#v(v), v.length, score);
  }

  increment(b: number, v: Uint8Array, amount: number): [number, number] {
    this.view.setFloat64(this.out, NaN, true);
    const r = this.ex.increment(b, this.#v(v), v.length, amount, this.out);
    return [r, this.view.getFloat64(this.out, true)];
  }

  remove(b: number, v: Uint8Array): boolean {
    return this.ex.remove(b, this.#v(v), v.length) !== 0;
  }

  score(b: number, v: Uint8Array): number | undefined {
    const found = this.ex.score(b, this.#v(v), v.length, this.out) !== 0;
    return found ? this.view.getFloat64(this.out, true) : undefined;
  }

  rank(b: number, v: Uint8Array, desc: boolean): number {
    return this.ex.rank(b, this.#v(v), v.length, desc);
  }

  scoreRange(
    b: number,
    min: number,
    minEx: boolean,
    max: number,
    maxEx: boolean,
  ): [number, number] {
    this.ex.scoreRange(b, min, minEx, max, maxEx, this.out);
    const dv = this.view;
    return [dv.getUint32(this.out, true), dv.getUint32(this.out + 4, true)];
  }

  /** Decodes zsetWriteRange's output; checks its byte count too. */
  range(b: number, lo: number, hi: number, desc: boolean): Elem[] {
    const n = this.ex.writeRange(b, lo, hi, desc, this.out);
    const dv = this.view;
    const elems: Elem[] = [];
    let p = this.out;
    while (p < this.out + n) {
      const score = dv.getFloat64(p, true);
      const vlen = dv.getUint32(p + 8, true);
      elems.push({ score, value: this.mem.slice(p + 12, p + 12 + vlen) });
      p += 12 + vlen;
    }
    if (p !== this.out + n) throw new Error(`Bad range output: ${n} bytes`);
    return elems;
  }

  /** A copy of the blob's bytes (its whole capacity). */
  snapshot(b: number): Uint8Array {
    return this.mem.slice(b, b + this.view.getUint32(b, true));
  }
}

function compareElems(a: Elem, b: Elem): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return compareBytes(a.value, b.value);
}

/** The reference: an array sorted by (score, value bytes). */
export class ZsetModel {
  elems: Elem[] = [];

  indexOf(v: Uint8Array): number {
    return this.elems.findIndex((e) => compareBytes(e.value, v) === 0);
  }

  put(v: Uint8Array, score: number): number {
    const i = this.indexOf(v);
    if (i >= 0) this.elems.splice(i, 1);
    const e = { value: v.slice(), score };
    let at = this.elems.findIndex((x) => compareElems(x, e) > 0);
    if (at < 0) at = this.elems.length;
    this.elems.splice(at, 0, e);
    return i >= 0 ? 0 : 1;
  }

  remove(v: Uint8Array): boolean {
    const i = this.indexOf(v);
    if (i >= 0) this.elems.splice(i, 1);
    return i >= 0;
  }

  score(v: Uint8Array): number | undefined {
    return this.elems[this.indexOf(v)]?.score;
  }

  rank(v: Uint8Array, desc: boolean): number {
    const i = this.indexOf(v);
    return i < 0 ? -1 : desc ? this.elems.length - 1 - i : i;
  }

  scoreRange(
    min: number,
    minEx: boolean,
    max: number,
    maxEx: boolean,
  ): [number, number] {
    const inside = (s: number) =>
      (minEx ? s > min : s >= min) && (maxEx ? s < max : s <= max);
    const lo = this.elems.findIndex((e) => inside(e.score));
    if (lo < 0) {
      const below = this.elems.filter((e) =>
        minEx ? e.score <= min : e.score < min
      );
      return [below.length, below.length];
    }
    let hi = lo;
    while (hi < this.elems.length && inside(this.elems[hi]!.score)) hi++;
    return [lo, hi];
  }

  range(lo: number, hi: number, desc: boolean): Elem[] {
    const s = this.elems.slice(lo, Math.min(hi, this.elems.length));
    return desc ? s.reverse() : s;
  }

  get logical(): number {
    return this.elems.reduce((n, e) => n + e.value.length + 8, 0);
  }
}
