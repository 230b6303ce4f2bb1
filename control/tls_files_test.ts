import assert from "node:assert/strict";
import { certCovers, createDevCa, createServerCert } from "./dev_certs.ts";
import { ensureDataDir } from "./data_dir.ts";
import { loadOrCreateTls, serverNames } from "./tls_files.ts";

async function withDataDir(
  fn: (
    paths: Awaited<ReturnType<typeof ensureDataDir>>["paths"],
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn((await ensureDataDir(dir)).paths);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("first load creates CA and server cert with private keys at 0600", async () => {
  await withDataDir(async (paths) => {
    const tls = await loadOrCreateTls(paths, "127.0.0.1");
    assert.equal(tls.createdCa, true);
    assert.equal(tls.issuedServerCert, true);
    assert.equal(tls.caCertPath, paths.caCert);
    assert.equal(await Deno.readTextFile(paths.caCert), tls.caCert);
    assert.equal(await Deno.readTextFile(paths.serverCert), tls.cert);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(paths.caKey)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(paths.serverKey)).mode! & 0o777, 0o600);
    }
  });
});

Deno.test("a second load reuses CA and server cert", async () => {
  await withDataDir(async (paths) => {
    const first = await loadOrCreateTls(paths, "127.0.0.1");
    const second = await loadOrCreateTls(paths, "localhost");
    assert.equal(second.createdCa, false);
    assert.equal(second.issuedServerCert, false);
    assert.equal(second.cert, first.cert);
    assert.equal(second.key, first.key);
  });
});

Deno.test("a new host reissues the server cert and keeps the CA", async () => {
  await withDataDir(async (paths) => {
    const first = await loadOrCreateTls(paths, "127.0.0.1");
    const second = await loadOrCreateTls(paths, "kvolt.test");
    assert.equal(second.createdCa, false);
    assert.equal(second.issuedServerCert, true);
    assert.equal(second.caCert, first.caCert);
    assert.equal(certCovers(second.cert, "kvolt.test"), true);
    assert.equal(certCovers(second.cert, "127.0.0.1"), true);
  });
});

Deno.test("a certificate near expiry is reissued", async () => {
  await withDataDir(async (paths) => {
    const first = await loadOrCreateTls(paths, "127.0.0.1");
    const in380Days = new Date(Date.now() + 380 * 86_400_000);
    const renewed = await loadOrCreateTls(paths, "127.0.0.1", in380Days);
    assert.equal(renewed.createdCa, false);
    assert.equal(renewed.issuedServerCert, true);
    assert.notEqual(renewed.cert, first.cert);
  });
});

Deno.test("a server cert from another CA, or with a wrong key, is reissued", async () => {
  await withDataDir(async (paths) => {
    await loadOrCreateTls(paths, "127.0.0.1");
    const foreign = await createServerCert(
      await createDevCa(),
      serverNames("127.0.0.1"),
    );
    await Deno.writeTextFile(paths.serverCert, foreign.certPem);
    await Deno.writeTextFile(paths.serverKey, foreign.keyPem);
    assert.equal(
      (await loadOrCreateTls(paths, "127.0.0.1")).issuedServerCert,
      true,
    );

    const other = await createServerCert(await createDevCa(), ["localhost"]);
    await Deno.writeTextFile(paths.serverKey, other.keyPem);
    const fixed = await loadOrCreateTls(paths, "127.0.0.1");
    assert.equal(fixed.issuedServerCert, true);
    assert.equal(fixed.key, await Deno.readTextFile(paths.serverKey));
  });
});

Deno.test("serverNames always covers loopback and adds the host", () => {
  assert.deepEqual(serverNames("127.0.0.1"), ["localhost", "127.0.0.1", "::1"]);
  assert.deepEqual(serverNames("box.lan"), [
    "localhost",
    "127.0.0.1",
    "::1",
    "box.lan",
  ]);
  assert.deepEqual(serverNames("[fe80::1]").at(-1), "fe80::1");
  assert.equal(serverNames("0.0.0.0").includes("0.0.0.0"), false);
});
