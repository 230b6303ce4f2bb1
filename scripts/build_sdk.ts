/**
 * `deno task build:sdk`: bundles the SDK (`mod.ts`) into one ES module for
 * Node >= 20, `dist/sdk/kvolt.mjs` (or the path given as the first argument).
 *
 * - `@gomomento/sdk-core` is CommonJS and requires Node's `buffer`; the bundle
 *   starts with a `require` made by `node:module`'s `createRequire`, which
 *   esbuild's require shim picks up.
 * - `@bokuweb/zstd-wasm` stays external (it loads its `.wasm` from its own
 *   folder): install it beside the bundle (`npm i @bokuweb/zstd-wasm`). It is
 *   only imported when a value is compressed and the runtime has no native
 *   zstd.
 *
 * Browsers: bundle `mod.ts` with the app's bundler, as for Momento's web SDK
 * (with a `buffer` polyfill).
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url);
const NODE_PRELUDE =
  'import { createRequire as __kvoltCreateRequire } from "node:module";\n' +
  "const require = __kvoltCreateRequire(import.meta.url);\n";

/**
 * Bundles `mod.ts` for Node into `outFile`.
 *
 * @param outFile path of the bundle to write
 * @throws when `deno bundle` fails
 */
export async function buildSdk(outFile: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--external",
      "@bokuweb/zstd-wasm",
      "-o",
      outFile,
      "mod.ts",
    ],
    cwd: ROOT,
    stdin: "null",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `Cannot bundle the SDK: deno bundle exited ${out.code}: ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  const code = await Deno.readTextFile(outFile);
  await Deno.writeTextFile(outFile, NODE_PRELUDE + code);
}

if (import.meta.main) {
  const outFile = Deno.args[0] ??
    new URL("dist/sdk/kvolt.mjs", ROOT).pathname;
  await Deno.mkdir(new URL(".", `file://${outFile}`), { recursive: true });
  await buildSdk(outFile);
  console.log(`build:sdk: wrote ${outFile}`);
}
