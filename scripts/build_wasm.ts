/**
 * Builds the Wasm core: AssemblyScript in store-wasm/assembly/ ->
 * store-wasm/build/kvolt_core.wasm. No imports (`--use abort=`), so the module
 * instantiates from bytes with an empty import object.
 *
 * Skipped when the build is up to date: `build/kvolt_core.stamp` holds a
 * SHA-256 of every source file, the compiler flags and this script, and a
 * build whose stamp matches is kept (a restart of `serve` then takes no
 * compile: 7.6 s before). `--force` builds anyway.
 *
 * @module
 */
import { ASC_FLAGS } from "../store-wasm/asc_flags.ts";

const root = new URL("../store-wasm/", import.meta.url);
const out = new URL("build/kvolt_core.wasm", root);
const stampFile = new URL("build/kvolt_core.stamp", root);
await Deno.mkdir(new URL("build/", root), { recursive: true });

/** A digest of what the build depends on. */
async function sourceStamp(): Promise<string> {
  const parts: string[] = [JSON.stringify(ASC_FLAGS)];
  const dir = new URL("assembly/", root);
  const names = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) names.push(entry.name);
  }
  for (const name of names.sort()) {
    parts.push(name, await Deno.readTextFile(new URL(name, dir)));
  }
  parts.push(await Deno.readTextFile(new URL(import.meta.url)));
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(parts.join("\0")),
  );
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

const stamp = await sourceStamp();
const built = await Deno.readTextFile(stampFile).catch(() => "");
const exists = await Deno.stat(out).then(() => true, () => false);
if (!Deno.args.includes("--force") && exists && built.trim() === stamp) {
  Deno.exit(0);
}
// The compiler is loaded only when a build is needed (it takes seconds).
const { default: asc } = await import("assemblyscript/asc");

const { error, stderr } = await asc.main([
  new URL("assembly/index.ts", root).pathname,
  "-o",
  out.pathname,
  ...ASC_FLAGS,
]);
if (error) {
  console.error(stderr.toString());
  console.error(`build:wasm failed: ${error.message}`);
  Deno.exit(1);
}
await Deno.writeTextFile(stampFile, stamp + "\n");
