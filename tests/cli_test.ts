/**
 * The command line's small promises: the version, the replay usage, and a
 * Wasm build that is skipped when up to date.
 */

import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { MAIN, runToExit } from "./_server.ts";

Deno.test("kvolt --version and kvolt version print deno.json's version", async () => {
  for (const arg of ["--version", "version"]) {
    const { code, stdout } = await runToExit(Deno.execPath(), [
      "run",
      "-A",
      MAIN,
      arg,
    ]);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), `kvolt ${denoJson.version}`);
  }
});

Deno.test("replay without arguments prints its usage, not a stack trace", async () => {
  const replay = new URL("../bench/replay.ts", import.meta.url).pathname;
  const none = await runToExit(Deno.execPath(), ["run", "-A", replay]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /^Usage: deno task replay <trace> --budget/);
  const noTrace = await runToExit(Deno.execPath(), [
    "run",
    "-A",
    replay,
    "--budget",
    "5%",
  ]);
  assert.equal(noTrace.code, 2);
  assert.match(noTrace.stderr, /^replay: a trace file is required\n\nUsage:/);
  assert.doesNotMatch(noTrace.stderr, /\s+at /, "no stack trace");
});

Deno.test("build:wasm keeps an up-to-date build (no compile on every serve)", async () => {
  const wasm = new URL("../store-wasm/build/kvolt_core.wasm", import.meta.url);
  const script = new URL("../scripts/build_wasm.ts", import.meta.url).pathname;
  // The test task built it; a second run must leave it untouched.
  const before = await Deno.stat(wasm);
  const { code } = await runToExit(Deno.execPath(), ["run", "-A", script]);
  assert.equal(code, 0);
  const after = await Deno.stat(wasm);
  assert.equal(after.mtime?.getTime(), before.mtime?.getTime());
});
