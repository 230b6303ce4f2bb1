/**
 * The layering rules of ARCHITECTURE.md, checked (part of `deno task check`):
 * every relative import of a source file must go to a folder its own folder
 * may import. Tests (`*_test.ts`, and the `_…test…` helpers beside them) may
 * wire anything together, but nothing else may import them, nor `tests/`,
 * `bench/` or `scripts/`.
 *
 * Prints each broken rule as `file -> import: rule` and exits 1 when any is
 * broken.
 *
 * @module
 */

/** What each top-level folder may import, besides itself. */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // contracts every part shares: the catalogue, errors, the store contract
  protocol: [],
  // the Wasm core and its host: knows nothing of HTTP
  "store-wasm": ["protocol"],
  // the control service's state
  control: ["protocol"],
  // the gateway depends on the contracts only, never on a store or control
  gateway: ["protocol"],
  // transports of the peer protocol: stores elsewhere
  peer: ["protocol", "store-wasm"],
  // the SDK runs in browsers and Node: contracts only
  client: ["protocol"],
  "mod.ts": ["client", "protocol"],
  // the wiring of a process
  cli: ["protocol", "store-wasm", "control", "gateway", "peer"],
  "main.ts": [
    "cli",
    "protocol",
    "store-wasm",
    "control",
    "gateway",
    "peer",
    "deno.json",
  ],
  // tools and tests may use anything
  bench: ["*"],
  scripts: ["*"],
  tests: ["*"],
};

/** Test-only helpers whose names do not say so. */
const TEST_HELPERS = new Set([
  // the eviction tests' oracle, also driven by the core soak (bench/)
  "store-wasm/_checked_shard.ts",
]);

/** True for test files and test-only helpers. */
export function isTestFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.endsWith("_test.ts") || TEST_HELPERS.has(path) ||
    (name.startsWith("_") && name.includes("test"));
}

/** The top-level folder (or root file) of a path relative to the root. */
function layerOf(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? path : path.slice(0, slash);
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s*(?:type\s+)?(?:[^"';]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Relative specifiers imported by a source text (comments skipped). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const code = text.split("\n").filter((line) => !/^\s*(\*|\/\/)/.test(line))
    .join("\n");
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined && spec.startsWith(".")) found.push(spec);
  }
  return found;
}

/**
 * The broken rules of one file's imports.
 *
 * @param file path relative to the root
 * @param imports its relative specifiers
 * @returns one message per broken rule
 *
 * @example
 * ```ts
 * import { violations } from "./check_layers.ts";
 * const broken = violations("gateway/app.ts", ["../store-wasm/shard.ts"]);
 * if (broken.length !== 1) throw new Error("not caught");
 * ```
 */
export function violations(file: string, imports: readonly string[]): string[] {
  const from = layerOf(file);
  const allowed = LAYERS[from];
  const out: string[] = [];
  for (const spec of imports) {
    const target = new URL(spec, `file:///root/${file}`).pathname.slice(
      "/root/".length,
    );
    const to = layerOf(target);
    if (isTestFile(target) && !isTestFile(file) && allowed?.[0] !== "*") {
      out.push(`${file} -> ${spec}: only tests import test helpers`);
      continue;
    }
    if (to === from || isTestFile(file)) continue;
    if (allowed === undefined) {
      out.push(`${file} -> ${spec}: ${from} is not a known layer`);
    } else if (allowed[0] !== "*" && !allowed.includes(to)) {
      out.push(
        `${file} -> ${spec}: ${from} may import ${
          allowed.length ? allowed.join(", ") : "only itself"
        }, not ${to}`,
      );
    }
  }
  return out;
}

async function* sources(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      if (
        entry.name === "node_modules" || entry.name === "dist" ||
        entry.name.startsWith(".") || path === "store-wasm/assembly"
      ) continue;
      yield* sources(new URL(`${entry.name}/`, dir), `${path}/`);
    } else if (entry.name.endsWith(".ts") || entry.name.endsWith(".mjs")) {
      yield path;
    }
  }
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const broken: string[] = [];
  let files = 0;
  for await (const file of sources(root)) {
    files++;
    const text = await Deno.readTextFile(new URL(file, root));
    broken.push(...violations(file, importsOf(text)));
  }
  for (const line of broken) console.error(line);
  console.log(
    `layers: ${files} files, ${broken.length} broken rule${
      broken.length === 1 ? "" : "s"
    }`,
  );
  if (broken.length > 0) Deno.exit(1);
}
