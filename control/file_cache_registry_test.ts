import assert from "node:assert/strict";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  DEFAULT_CACHE_NAME,
  FileCacheRegistry,
} from "./file_cache_registry.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KvoltError) return err.code;
    throw err;
  }
  throw new Error("expected a KvoltError");
}

Deno.test("first open creates the default cache and the file", async () => {
  await withDir(async (dir) => {
    const caches = await FileCacheRegistry.open(`${dir}/caches.json`);
    assert.deepEqual(caches.list().map((c) => c.name), [DEFAULT_CACHE_NAME]);
    assert.deepEqual(caches.lookup("default")?.id, 1);
    const file = JSON.parse(await Deno.readTextFile(`${dir}/caches.json`));
    assert.deepEqual(file.nextId, 2);
  });
});

Deno.test("create, list sorted, delete, and persistence across opens", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    const b = await caches.create("b-cache");
    const a = await caches.create("a.cache");
    assert.deepEqual(caches.list().map((c) => c.name), [
      "a.cache",
      "b-cache",
      "default",
    ]);
    assert.deepEqual(new Date(a.createdAt).toISOString(), a.createdAt);
    assert.deepEqual((await caches.delete("b-cache")).id, b.id);
    assert.deepEqual(caches.lookup("b-cache"), undefined);

    const reopened = await FileCacheRegistry.open(path);
    assert.deepEqual(reopened.list(), caches.list());
  });
});

Deno.test("deleting default is kept across restarts (no re-creation)", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    await (await FileCacheRegistry.open(path)).delete("default");
    assert.deepEqual((await FileCacheRegistry.open(path)).list(), []);
  });
});

Deno.test("ids are never reused, even across restarts", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    const first = await caches.create("x");
    await caches.delete("x");
    const second = await caches.create("x");
    assert.deepEqual(second.id > first.id, true);
    await caches.delete("x");
    const third = await (await FileCacheRegistry.open(path)).create("x");
    assert.deepEqual(third.id > second.id, true);
  });
});

Deno.test("errors: ALREADY_EXISTS, NOT_FOUND, INVALID_ARGUMENT", async () => {
  await withDir(async (dir) => {
    const caches = await FileCacheRegistry.open(`${dir}/caches.json`);
    assert.deepEqual(
      await code(caches.create("default")),
      "ALREADY_EXISTS_ERROR",
    );
    assert.deepEqual(await code(caches.delete("missing")), "NOT_FOUND_ERROR");
    assert.deepEqual(
      await code(caches.create("bad name")),
      "INVALID_ARGUMENT_ERROR",
    );
    assert.deepEqual(await code(caches.create("")), "INVALID_ARGUMENT_ERROR");
  });
});

Deno.test("concurrent creates all persist, with distinct ids", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const created = await Promise.all(names.map((n) => caches.create(n)));
    assert.deepEqual(new Set(created.map((c) => c.id)).size, names.length);
    const reopened = await FileCacheRegistry.open(path);
    assert.deepEqual(reopened.list().length, names.length + 1);
  });
});

Deno.test("a corrupt caches.json is refused with a clear message, not overwritten", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    await Deno.writeTextFile(path, "{not json");
    await assert.rejects(
      () => FileCacheRegistry.open(path),
      { message: `Cannot load cache list: ${path}: not valid JSON` },
    );
    assert.deepEqual(await Deno.readTextFile(path), "{not json");
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        version: 1,
        nextId: 1,
        caches: [{ name: "a", id: 1, createdAt: "" }],
      }),
    );
    await assert.rejects(() => FileCacheRegistry.open(path), />= nextId/);
  });
});

Deno.test("a failed write leaves the registry unchanged", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    // A non-empty directory in the file's place makes the rename fail, even as root.
    await Deno.remove(path);
    await Deno.mkdir(`${path}/blocker`, { recursive: true });
    await assert.rejects(
      () => caches.create("x"),
      (err: unknown) =>
        err instanceof KvoltError &&
        err.code === ErrorCode.SERVER_UNAVAILABLE &&
        err.detail === `EISDIR ${path}` &&
        err.message.includes(path),
    );
    assert.deepEqual(caches.lookup("x"), undefined);
    await assert.rejects(() => caches.delete("default"));
    assert.deepEqual(caches.lookup("default")?.id, 1);
  });
});

Deno.test("setLimits stores per-cache limits that survive a reopen, and clears them", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    const before = caches.lookup("default");
    const updated = await caches.setLimits("default", { opsPerSecond: 50 });
    assert.deepEqual(updated.limits, { opsPerSecond: 50 });
    assert.equal(updated.id, before?.id);
    assert.equal(before?.limits, undefined, "the old entry is not mutated");
    const reopened = await FileCacheRegistry.open(path);
    assert.deepEqual(reopened.lookup("default")?.limits, { opsPerSecond: 50 });
    const cleared = await reopened.setLimits("default", {});
    assert.equal("limits" in cleared, false);
    assert.equal(
      "limits" in (await FileCacheRegistry.open(path)).lookup("default")!,
      false,
    );
  });
});

Deno.test("setLimits refuses a missing cache and bad limits; open refuses stored bad limits", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/caches.json`;
    const caches = await FileCacheRegistry.open(path);
    assert.equal(
      await code(caches.setLimits("nope", { opsPerSecond: 1 })),
      "NOT_FOUND_ERROR",
    );
    assert.equal(
      await code(caches.setLimits("default", { opsPerSecond: -1 })),
      "INVALID_ARGUMENT_ERROR",
    );
    assert.equal(caches.lookup("default")?.limits, undefined);
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        version: 1,
        nextId: 2,
        caches: [{
          name: "a",
          id: 1,
          createdAt: "",
          limits: { opsPerSecond: "fast" },
        }],
      }),
    );
    await assert.rejects(
      () => FileCacheRegistry.open(path),
      /cache a: Invalid limits: opsPerSecond/,
    );
  });
});
