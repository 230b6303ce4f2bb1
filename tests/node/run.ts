/**
 * The Node suite of `deno task test`: builds the SDK npm package
 * (`buildSdkPackage`), packs it with `npm pack`, installs the tarball with
 * npm into a fresh Node project in a temp dir outside the repository (so its
 * dependencies, zstd included, come from the package's own manifest), then
 * runs `node --test` (TAP output) on `tests/node/` with the installed
 * package, and exits with Node's exit code. Without `node` on PATH
 * it reports one skipped test.
 *
 * @module
 */

import { buildSdkPackage } from "../../scripts/build_sdk.ts";

const ROOT = new URL("../..", import.meta.url);
const SUITES = [
  "tests/node/sdk_session.mjs",
  "tests/node/sdk_types.mjs",
  "tests/node/sdk_browser.mjs",
];
/** Drives Debian's chromium in the browser test (tests/node/sdk_browser.mjs). */
const PLAYWRIGHT = "playwright-core@1.65.2";

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

/** Runs npm in `cwd`; throws with its output when it fails. */
async function npm(cwd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("npm", {
    args,
    cwd,
    stdin: "null",
  }).output();
  if (!out.success) {
    throw new Error(
      `npm ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

async function main(): Promise<number> {
  if (!await hasNode()) {
    console.log(
      "# node not found: Node suite skipped\n# pass 0\n# fail 0\n# skipped 1",
    );
    return 0;
  }
  const dir = await Deno.makeTempDir({ prefix: "kvolt-sdk-node-" });
  try {
    const pkg = `${dir}/pkg`;
    const project = `${dir}/project`;
    await buildSdkPackage(pkg);
    await npm(pkg, ["pack", "--silent"]);
    const tarball = [...Deno.readDirSync(pkg)].find((e) =>
      e.name.endsWith(".tgz")
    );
    if (!tarball) throw new Error("npm pack wrote no tarball");
    await Deno.mkdir(project);
    await Deno.writeTextFile(
      `${project}/package.json`,
      JSON.stringify({
        name: "kvolt-node-user",
        private: true,
        type: "module",
      }),
    );
    await npm(project, [
      "install",
      "--no-audit",
      "--no-fund",
      `${pkg}/${tarball.name}`,
      PLAYWRIGHT,
    ]);
    const bundle = `${project}/node_modules/@kvolt/kvolt/kvolt.mjs`;
    const { code } = await new Deno.Command("node", {
      args: ["--test", "--test-reporter=tap", ...SUITES],
      cwd: ROOT,
      env: {
        KVOLT_SDK_BUNDLE: bundle,
        KVOLT_SDK_PROJECT: project,
        DENO_EXEC_PATH: Deno.execPath(),
      },
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
