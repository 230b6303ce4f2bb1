/**
 * The Node suite of `deno task test`: bundles the SDK for Node (into a temp
 * dir under `dist/`, so Node finds `@bokuweb/zstd-wasm` in the project's
 * `node_modules`), then runs `node --test` (TAP output) on `tests/node/`
 * with that bundle, and exits with Node's exit code. Without `node` on PATH
 * it reports one skipped test.
 *
 * @module
 */

import { buildSdk } from "../../scripts/build_sdk.ts";

const ROOT = new URL("../..", import.meta.url);
const SUITES = ["tests/node/sdk_session.mjs"];

async function hasNode(): Promise<boolean> {
  try {
    const out = await new Deno.Command("node", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  if (!await hasNode()) {
    console.log(
      "# node not found: Node suite skipped\n# pass 0\n# fail 0\n# skipped 1",
    );
    return 0;
  }
  const distDir = new URL("dist/", ROOT).pathname;
  await Deno.mkdir(distDir, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: distDir, prefix: "sdk-node-" });
  try {
    const bundle = `${dir}/kvolt.mjs`;
    await buildSdk(bundle);
    const { code } = await new Deno.Command("node", {
      args: ["--test", "--test-reporter=tap", ...SUITES],
      cwd: ROOT,
      env: { KVOLT_SDK_BUNDLE: bundle, DENO_EXEC_PATH: Deno.execPath() },
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    return code;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main());
