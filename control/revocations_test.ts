import assert from "node:assert/strict";
import { FileRevocations } from "./revocations.ts";

Deno.test("revocations: kept in the data dir across a restart; a damaged file is an error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/revoked.json`;
    const one = await FileRevocations.open(path);
    assert.deepEqual(one.ids(), []);
    await one.revoke("token-a");
    await one.revoke("token-b");
    await one.revoke("token-a");
    assert.deepEqual((await FileRevocations.open(path)).ids(), [
      "token-a",
      "token-b",
    ]);
    await Deno.writeTextFile(path, '{"not":"a list"}');
    await assert.rejects(() => FileRevocations.open(path), /not a list/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
