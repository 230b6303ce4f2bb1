import assert from "node:assert/strict";
import { jwtVerify } from "jose";
import { loadOrCreateSigner } from "./signing_key.ts";

Deno.test("the signing key is created once (0600) and reused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/signing-key.jwk`;
    const first = await loadOrCreateSigner(path);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    }
    const second = await loadOrCreateSigner(path);
    assert.equal(second.keyId, first.keyId);
    const token = await first.mint({ sub: "x", p: "superuser" });
    await jwtVerify(token, second.publicKey); // same key pair
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt signing key file is refused, not replaced", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/signing-key.jwk`;
    await Deno.writeTextFile(path, "garbage");
    await assert.rejects(() => loadOrCreateSigner(path), /is not JSON/);
    assert.equal(await Deno.readTextFile(path), "garbage");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
