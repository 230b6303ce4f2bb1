/**
 * The ABI has one source: the AssemblyScript constants. `_abi.ts` mirrors
 * them by name for the TS side; this test reads the assembly sources and
 * fails when any mirrored value differs (offsets, status codes, item types,
 * op flags, and the op numbers of `coll`'s switch).
 */
import assert from "node:assert/strict";
import { Flag, H, ITEM_TYPES, Op, SCRATCH_SIZE, Status } from "./_abi.ts";

const read = (file: string) =>
  Deno.readTextFileSync(new URL(`./assembly/${file}`, import.meta.url));

/** `export const NAME: type = value;` constants of a source, by name. */
function constants(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /export const (\w+): \w+ = (-?(?:0x[0-9a-f]+|\d+));/gi;
  for (const m of text.matchAll(re)) out.set(m[1]!, Number(m[2]!));
  return out;
}

Deno.test("abi: header offsets, scratch size and status codes match assembly/layout.ts", () => {
  const layout = constants(read("layout.ts"));
  assert.equal(SCRATCH_SIZE, layout.get("SCRATCH_SIZE"));
  for (const [name, offset] of Object.entries(H)) {
    assert.equal(offset, layout.get(`H_${name}`), `H.${name}`);
  }
  for (const [name, code] of Object.entries(Status)) {
    assert.equal(code, layout.get(`ST_${name}`), `Status.${name}`);
  }
});

Deno.test("abi: item types and op flags match assembly/item.ts and collection.ts", () => {
  const item = constants(read("item.ts"));
  ITEM_TYPES.forEach((name, code) =>
    assert.equal(item.get(`T_${name}`), code, `ITEM_TYPES[${code}]`)
  );
  const flags = constants(read("collection.ts"));
  const names: Record<keyof typeof Flag, string> = {
    REFRESH: "F_REFRESH",
    FRONT: "F_FRONT",
    MIN_EXCLUSIVE: "F_MIN_EX",
    MAX_EXCLUSIVE: "F_MAX_EX",
  };
  for (const [name, bit] of Object.entries(Flag)) {
    assert.equal(bit, flags.get(names[name as keyof typeof Flag]), name);
  }
});

Deno.test("abi: every op number of _abi.ts is one case of coll's switch, and no other", () => {
  const text = read("collection_exports.ts");
  const cases = [...text.matchAll(/case (\d+):\n\s+return (\w+)\(/g)]
    .map((m) => [Number(m[1]), m[2]!] as const);
  assert.deepEqual(
    cases.map(([n]) => n).sort((a, b) => a - b),
    Object.values(Op).sort((a, b) => a - b),
  );
  // each family's numbers go to that family's functions
  const family = (name: string) =>
    name.startsWith("DICT")
      ? /^dict/
      : name.startsWith("SET")
      ? /^(dict|set)/
      : name.startsWith("LIST")
      ? /^list/
      : name.startsWith("ZSET")
      ? /^zset/
      : /^coll/;
  const byNumber = new Map(cases);
  for (const [name, n] of Object.entries(Op)) {
    assert.match(byNumber.get(n)!, family(name), `Op.${name} = ${n}`);
  }
});
