/**
 * Builds the Wasm core: AssemblyScript in store-wasm/assembly/ ->
 * store-wasm/build/kvolt_core.wasm. No imports (`--use abort=`), so the module
 * instantiates from bytes with an empty import object.
 *
 * @module
 */
import asc from "assemblyscript/asc";
import { ASC_FLAGS } from "../store-wasm/asc_flags.ts";

const root = new URL("../store-wasm/", import.meta.url);
const out = new URL("build/kvolt_core.wasm", root);
await Deno.mkdir(new URL("build/", root), { recursive: true });

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
