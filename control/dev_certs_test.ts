import assert from "node:assert/strict";
import {
  certCovers,
  createDevCa,
  createServerCert,
  expiresSoon,
  isIpAddress,
  keyMatches,
  signedBy,
} from "./dev_certs.ts";

Deno.test("a server certificate is signed by the CA and covers its names", async () => {
  const ca = await createDevCa();
  const server = await createServerCert(ca, [
    "localhost",
    "127.0.0.1",
    "::1",
    "box.lan",
  ]);
  assert.equal(await signedBy(server.certPem, ca.certPem), true);
  assert.equal(await keyMatches(server.certPem, server.keyPem), true);
  assert.equal(await keyMatches(server.certPem, ca.keyPem), false);
  for (
    const name of [
      "localhost",
      "LOCALHOST",
      "127.0.0.1",
      "::1",
      "0:0:0:0:0:0:0:1",
      "box.lan",
    ]
  ) {
    assert.equal(certCovers(server.certPem, name), true, name);
  }
  for (const name of ["10.0.0.1", "example.com", "::2"]) {
    assert.equal(certCovers(server.certPem, name), false, name);
  }
  const other = await createDevCa();
  assert.equal(await signedBy(server.certPem, other.certPem), false);
});

Deno.test("expiresSoon judges the remaining validity", async () => {
  const ca = await createDevCa();
  const server = await createServerCert(ca, ["localhost"]);
  const now = new Date();
  assert.equal(expiresSoon(server.certPem, 30, now), false);
  const later = new Date(now.getTime() + 380 * 86_400_000);
  assert.equal(expiresSoon(server.certPem, 30, later), true);
  const earlier = new Date(now.getTime() - 86_400_000);
  assert.equal(expiresSoon(server.certPem, 30, earlier), true, "not yet valid");
});

Deno.test("the files are PEM a TLS listener accepts", async () => {
  const ca = await createDevCa();
  const server = await createServerCert(ca, ["localhost", "127.0.0.1"]);
  assert.match(server.certPem, /^-----BEGIN CERTIFICATE-----/);
  assert.match(server.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: server.certPem,
    key: server.keyPem,
  });
  try {
    const accepted = listener.accept().then(async (conn) => {
      await conn.handshake();
      await conn.write(new TextEncoder().encode("hi"));
      conn.close();
    });
    const client = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: listener.addr.port,
      caCerts: [ca.certPem],
    });
    const buf = new Uint8Array(2);
    await client.read(buf);
    assert.equal(new TextDecoder().decode(buf), "hi");
    client.close();
    await accepted;
  } finally {
    listener.close();
  }
});

Deno.test("isIpAddress tells addresses from names", () => {
  for (const ip of ["127.0.0.1", "::1", "2001:db8::1", "::ffff:10.0.0.1"]) {
    assert.equal(isIpAddress(ip), true, ip);
  }
  for (const name of ["localhost", "box.lan", "abc"]) {
    assert.equal(isIpAddress(name), false, name);
  }
});
