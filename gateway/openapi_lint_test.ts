/**
 * The OpenAPI document passes `@redocly/cli lint` (its recommended rules)
 * with no errors. Redocly comes from npm through npx; where npx or the
 * registry is not there, the test says so and is ignored.
 */

import assert from "node:assert/strict";
import { jsonGateway } from "./_json_api_test_utils.ts";

const REDOCLY = "@redocly/cli@2.77.0";

async function hasNpx(): Promise<boolean> {
  try {
    return (await new Deno.Command("npx", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output()).success;
  } catch {
    return false;
  }
}

const NPX = await hasNpx();
if (!NPX) {
  console.log(`openapi_lint_test: npx not found: ${REDOCLY} lint is ignored`);
}

Deno.test({
  name: `the OpenAPI document passes ${REDOCLY} lint with no errors`,
  ignore: !NPX,
}, async () => {
  const g = await jsonGateway();
  const dir = await Deno.makeTempDir({ prefix: "kvolt-openapi-" });
  try {
    const file = `${dir}/openapi.json`;
    await Deno.writeTextFile(
      file,
      await (await g.app.request("/openapi.json")).text(),
    );
    const out = await new Deno.Command("npx", {
      args: ["-y", REDOCLY, "lint", file, "--format=summary"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_UPDATE_NOTIFIER: "1", REDOCLY_TELEMETRY: "off" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.doesNotMatch(text, /^error /m, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
