import assert from "node:assert/strict";
import { importsOf, isTestFile, violations } from "./check_layers.ts";

Deno.test("layers: the gateway may not import a store or control; tests may", () => {
  assert.equal(
    violations("gateway/app.ts", ["../store-wasm/shard.ts"]).length,
    1,
  );
  assert.equal(
    violations("gateway/app.ts", ["../control/api_key.ts"]).length,
    1,
  );
  assert.deepEqual(violations("gateway/app.ts", ["../protocol/store.ts"]), []);
  assert.deepEqual(
    violations("gateway/x_test.ts", ["../store-wasm/shard.ts"]),
    [],
  );
  assert.equal(
    violations("protocol/router.ts", ["../gateway/app.ts"]).length,
    1,
  );
  assert.equal(
    violations("client/wire.ts", ["../gateway/wire_bytes.ts"]).length,
    1,
  );
  assert.deepEqual(violations("cli/serve.ts", ["../peer/worker_store.ts"]), []);
});

Deno.test("layers: only tests and tools import test helpers", () => {
  assert.ok(isTestFile("gateway/_test_utils.ts"));
  assert.ok(isTestFile("store-wasm/_checked_shard.ts"));
  assert.ok(!isTestFile("gateway/app.ts"));
  assert.equal(violations("gateway/app.ts", ["./_test_utils.ts"]).length, 1);
  assert.deepEqual(
    violations("bench/core_soak.ts", ["../store-wasm/_checked_shard.ts"]),
    [],
  );
});

Deno.test("layers: imports are read from code, not from doc examples", () => {
  const text = [
    "/**",
    ' * import { x } from "../store-wasm/shard.ts";',
    " */",
    'import type { Store } from "../protocol/store.ts";',
    'export { y } from "./y.ts";',
    'import "./side_effect.ts";',
    'import fc from "fast-check";',
    'const m = await import("./lazy.ts");',
  ].join("\n");
  assert.deepEqual(importsOf(text), [
    "../protocol/store.ts",
    "./y.ts",
    "./side_effect.ts",
    "./lazy.ts",
  ]);
});
