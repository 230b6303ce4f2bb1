import assert from "node:assert/strict";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";

Deno.test("writeFileAtomic replaces content and sets an exact mode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/secret`;
    await writeFileAtomic(path, "one", { mode: 0o600 });
    await writeFileAtomic(path, "two", { mode: 0o600 });
    assert.deepEqual(await Deno.readTextFile(path), "two");
    if (Deno.build.os !== "windows") {
      assert.deepEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
    }
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names, ["secret"], "no temp file is left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTextIfExists returns undefined for a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readTextIfExists(`${dir}/nope`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
