/**
 * `deno task compile` builds a binary that serves. Where `deno compile` cannot
 * download its runtime (denort) and DENORT_BIN is not set, the test is skipped
 * and says so.
 */

import assert from "node:assert/strict";
import { EXIT_NO_RUNTIME, OUTPUT } from "../scripts/compile.ts";
import { type RunningServer, runToExit, startServer } from "./_server.ts";

const SKIP_REASON =
  "deno compile cannot download the Deno runtime (denort) here and DENORT_BIN is not set";

// The probe is the compile itself: its result decides whether the test runs.
const compiled = await runToExit(Deno.execPath(), [
  "run",
  "-A",
  "scripts/compile.ts",
]);
const noRuntime = compiled.code === EXIT_NO_RUNTIME;
if (noRuntime) console.log(`skipped: compile_test: ${SKIP_REASON}`);

Deno.test({
  name: noRuntime
    ? `compile: dist/kvolt serves (skipped: ${SKIP_REASON})`
    : "compile: dist/kvolt serves",
  ignore: noRuntime,
  async fn() {
    assert.equal(compiled.code, 0, compiled.stderr);
    const binary = new URL(
      `../${OUTPUT}${Deno.build.os === "windows" ? ".exe" : ""}`,
      import.meta.url,
    );
    const dataDir = await Deno.makeTempDir({ prefix: "kvolt-compiled-" });
    let server: RunningServer | undefined;
    try {
      server = await startServer(binary, [
        "serve",
        "--http",
        "--port",
        "0",
        "--capacity",
        "16MiB",
        "--data",
        dataDir,
      ]);
      const headers = { authorization: server.apiKey };
      let res = await fetch(
        `${server.url}/cache/default?key=k&ttl_seconds=60`,
        { method: "PUT", body: "v", headers },
      );
      assert.equal(res.status, 204, await res.text());
      res = await fetch(`${server.url}/cache/default?key=k`, { headers });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "v");
      assert.equal((await server.stop()).code, 0);
    } finally {
      await server?.kill();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
