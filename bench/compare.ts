/**
 * `deno task bench:compare --rev REV [--runs N] -- <bench:task> [flags]`:
 * runs one benchmark task in this checkout and in a worktree of `REV` (made
 * under `/tmp`, its Wasm core built there), alternating, `N` times each
 * (default 2), and prints every number both last JSON lines share with its
 * mean on each side and the ratio (this / REV: above 1 is better for a rate,
 * worse for a time). The way to show a
 * change keeps the figures of the code before it: same machine, same run.
 *
 * Example: `deno task bench:compare --rev 8b9ccfd -- bench:core`.
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    rev: { type: "string" },
    runs: { type: "string", default: "2" },
  },
  allowPositionals: true,
});
const [task, ...flags] = positionals;
if (!values.rev || !task) {
  console.error(
    "usage: deno task bench:compare --rev REV [--runs N] -- <bench:task> [flags]",
  );
  Deno.exit(2);
}
const root = new URL("..", import.meta.url).pathname;
const tree = `/tmp/kvolt-compare-${values.rev}`;

async function sh(cwd: string, cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return text;
}

try {
  await Deno.stat(tree);
} catch {
  await sh(root, "git", ["worktree", "add", "--detach", tree, values.rev]);
}
await sh(tree, Deno.execPath(), ["task", "build:wasm"]);

/** The numbers of a JSON object, flattened to dotted names. */
function numbers(value: unknown, prefix = "", out = new Map<string, number>()) {
  if (typeof value === "number") out.set(prefix, value);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      numbers(v, prefix ? `${prefix}.${k}` : k, out);
    }
  }
  return out;
}

async function once(cwd: string): Promise<Map<string, number>> {
  const text = await sh(cwd, Deno.execPath(), ["task", task!, ...flags]);
  const last = text.trim().split("\n").at(-1)!;
  return numbers(JSON.parse(last));
}

const sides = {
  this: [] as Map<string, number>[],
  rev: [] as Map<string, number>[],
};
for (let i = 0; i < Number(values.runs); i++) {
  console.error(`run ${i + 1}: ${values.rev}`);
  sides.rev.push(await once(tree));
  console.error(`run ${i + 1}: this checkout`);
  sides.this.push(await once(root));
}
/** The mean over the runs: neutral for rates (higher is better) and times. */
const mean = (runs: Map<string, number>[], name: string) =>
  runs.reduce((sum, r) => sum + (r.get(name) ?? NaN), 0) / runs.length;
const rows: Record<string, { rev: number; this: number; ratio: number }> = {};
for (const name of sides.this[0]!.keys()) {
  if (!sides.rev[0]!.has(name)) continue;
  const rev = mean(sides.rev, name);
  const mine = mean(sides.this, name);
  rows[name] = { rev, this: mine, ratio: +(mine / rev).toFixed(3) };
}
console.table(rows);
console.log(
  JSON.stringify({ rev: values.rev, task, runs: Number(values.runs), rows }),
);
