import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import {
  DEFAULT_DATA_DIR,
  ensureDataDir,
  resolveDataDirPath,
} from "./data_dir.ts";

Deno.test("resolveDataDirPath prefers --data, then KVOLT_DATA, then .kvolt", () => {
  assert.deepEqual(resolveDataDirPath("a", "b"), resolve("a"));
  assert.deepEqual(resolveDataDirPath(undefined, "b"), resolve("b"));
  assert.deepEqual(
    resolveDataDirPath(undefined, ""),
    resolve(DEFAULT_DATA_DIR),
  );
  assert.deepEqual(resolveDataDirPath(), resolve(DEFAULT_DATA_DIR));
});

Deno.test("ensureDataDir creates the dir and its tls folder", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const root = join(parent, "nested", "data");
    const { paths } = await ensureDataDir(root);
    assert.deepEqual((await Deno.stat(paths.tlsDir)).isDirectory, true);
    assert.deepEqual(paths.caCert, join(root, "tls", "ca.pem"));
    assert.deepEqual(paths.apiKey, join(root, "api-key"));
    await ensureDataDir(root); // idempotent
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
