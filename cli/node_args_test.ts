import assert from "node:assert/strict";
import { parseNodeArgs } from "./node_args.ts";
import { UsageError } from "./usage.ts";

const base = [
  "--id",
  "a",
  "--control",
  "http://127.0.0.1:8440/",
  "--join-token",
  "/tmp/jt",
  "--http",
];

Deno.test("node flags: required ones, capacity 0 for a pure gateway, plaintext on loopback only", () => {
  const o = parseNodeArgs([...base, "--capacity", "0", "--az", "az2"]);
  assert.equal(o.capacityBytes, 0);
  assert.equal(o.az, "az2");
  assert.equal(o.control, "http://127.0.0.1:8440");
  assert.equal(parseNodeArgs(base).capacityBytes, 256 * 2 ** 20);
  for (
    const [args, text] of [
      [base.slice(2), "--id"],
      [["--id", "a", "--join-token", "x", "--http"], "--control"],
      [[...base.slice(0, 4), "--http"], "--join-token"],
      [base.slice(0, 6), "--ca is required"],
      [[...base, "--ca", "ca.pem"], "exclude"],
      [[...base, "--host", "0.0.0.0"], "loopback"],
      [[...base, "--port", "99999"], "--port"],
      [[...base.slice(2), "--id", "a b"], "--id"],
    ] as const
  ) {
    assert.throws(
      () => parseNodeArgs([...args]),
      (err: Error) => err instanceof UsageError && err.message.includes(text),
      text,
    );
  }
  assert.equal(parseNodeArgs(["--help"]).help, true);
  // TLS: any host, the CA given
  const tls = parseNodeArgs([
    ...base.slice(0, 6),
    "--ca",
    "ca.pem",
    "--host",
    "10.0.0.5",
  ]);
  assert.equal(tls.http, false);
  assert.equal(tls.caFile, "ca.pem");
  assert.equal(tls.host, "10.0.0.5");
  assert.equal(tls.reusePort, false);
  assert.equal(parseNodeArgs([...base, "--reuse-port"]).reusePort, true);
});

Deno.test("node flags of serve --nodes: peer host, signing key, stop with stdin, CORS", () => {
  const o = parseNodeArgs(base);
  assert.equal(o.peerHost, "127.0.0.1");
  assert.equal(o.signingKeyFile, undefined);
  assert.equal(o.stopWithStdin, false);
  assert.deepEqual(o.corsOrigins, []);
  const given = parseNodeArgs([
    ...base.slice(0, 6),
    "--ca",
    "ca.pem",
    "--host",
    "0.0.0.0",
    "--peer-host",
    "127.0.0.1",
    "--signing-key",
    "/d/signing-key.jwk",
    "--stop-with-stdin",
    "--cors-origins",
    "localhost",
  ]);
  assert.equal(given.host, "0.0.0.0");
  assert.equal(given.peerHost, "127.0.0.1");
  assert.equal(given.signingKeyFile, "/d/signing-key.jwk");
  assert.equal(given.stopWithStdin, true);
  assert.equal(given.corsOrigins, "localhost");
  assert.equal(
    parseNodeArgs([...base.slice(0, 6), "--ca", "c", "--host", "10.0.0.5"])
      .peerHost,
    "10.0.0.5",
  );
  for (
    const [args, text] of [
      [[...base, "--peer-host", "10.0.0.5"], "loopback"],
      [[...base, "--cors-origins", "example.com"], "--cors-origins"],
      [[...base, "--signing-key"], "signing-key"],
    ] as const
  ) {
    assert.throws(
      () => parseNodeArgs([...args]),
      (err: Error) => err instanceof UsageError && err.message.includes(text),
      text,
    );
  }
});
