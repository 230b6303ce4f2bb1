import assert from "node:assert/strict";
import {
  FileWriteError,
  readTextIfExists,
  removeStaleTempFiles,
  tightenSecretFile,
  writeFileAtomic,
} from "./_files.ts";

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

Deno.test("a failed write names the file meant and its errno, and leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Root may write anywhere; a directory in the way fails for everyone.
    await Deno.mkdir(`${dir}/caches.json/inner`, { recursive: true });
    const err = await writeFileAtomic(`${dir}/caches.json`, "{}").then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof FileWriteError);
    assert.equal(err.path, `${dir}/caches.json`);
    assert.equal(err.errno, "EISDIR");
    assert.match(err.message, /^Cannot write .*caches\.json: EISDIR: /);
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names, ["caches.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeStaleTempFiles removes only the temp files of interrupted writes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stale = `.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(`${dir}/${stale}`, "half");
    await Deno.writeTextFile(`${dir}/.notes.tmp`, "mine");
    await Deno.writeTextFile(`${dir}/caches.json`, "{}");
    assert.deepEqual(await removeStaleTempFiles(dir), [stale]);
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), [".notes.tmp", "caches.json"]);
    assert.deepEqual(await removeStaleTempFiles(`${dir}/missing`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tightenSecretFile makes a loose secret 0600 and says so", async () => {
  if (Deno.build.os === "windows") return;
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/signing-key.jwk`;
    await Deno.writeTextFile(path, "{}");
    await Deno.chmod(path, 0o644);
    const warning = await tightenSecretFile(path);
    assert.match(
      warning ?? "",
      /signing-key\.jwk was readable by others \(mode 0644\): changed to 0600/,
    );
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(await tightenSecretFile(path), undefined, "already tight");
    assert.equal(await tightenSecretFile(`${dir}/nope`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
