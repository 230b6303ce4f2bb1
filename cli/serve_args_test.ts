import assert from "node:assert/strict";
import { resolve } from "node:path";
import { parseServeArgs } from "./serve_args.ts";
import { UsageError } from "./usage.ts";

const noEnv = () => undefined;

Deno.test("defaults: .kvolt, 127.0.0.1:8443, TLS, 256MiB, localhost CORS, no length limit", () => {
  const options = parseServeArgs([], noEnv);
  assert.deepEqual(options, {
    dataDir: resolve(".kvolt"),
    host: "127.0.0.1",
    port: 8443,
    grpcPort: 8444,
    http: false,
    capacityBytes: 256 * 2 ** 20,
    corsOrigins: "localhost",
    maxCollectionLength: Number.POSITIVE_INFINITY,
    accessLog: "errors",
    connections: {
      headTimeoutMs: 10_000,
      idleTimeoutMs: 60_000,
      bodyTimeoutMs: 10_000,
      shutdownTimeoutMs: 10_000,
      listener: "kvolt",
    },
    nodes: 1,
    replicas: 1,
    help: false,
  });
});

Deno.test("connection bounds: seconds with fractions, a positive cap", () => {
  const { connections } = parseServeArgs([
    "--head-timeout",
    "0.5",
    "--idle-timeout",
    "2",
    "--body-timeout",
    "1.25",
    "--shutdown-timeout",
    "3",
    "--max-connections",
    "100",
  ], noEnv);
  assert.deepEqual(connections, {
    headTimeoutMs: 500,
    idleTimeoutMs: 2000,
    bodyTimeoutMs: 1250,
    shutdownTimeoutMs: 3000,
    listener: "kvolt",
    maxConnections: 100,
  });
  for (
    const bad of [
      ["--head-timeout", "0"],
      ["--idle-timeout", "-1"],
      ["--body-timeout", "ten"],
      ["--max-connections", "0"],
    ]
  ) {
    assert.throws(() => parseServeArgs(bad, noEnv), UsageError);
  }
});

Deno.test("flags and KVOLT_DATA", () => {
  const env = (name: string) => name === "KVOLT_DATA" ? "/from/env" : undefined;
  assert.equal(parseServeArgs([], env).dataDir, "/from/env");
  const options = parseServeArgs(
    [
      "--data",
      "/d",
      "--port",
      "0",
      "--host",
      "::1",
      "--http",
      "--capacity",
      "1GiB",
    ],
    env,
  );
  assert.equal(options.dataDir, "/d");
  assert.equal(options.port, 0);
  assert.equal(options.host, "::1");
  assert.equal(options.http, true);
  assert.equal(options.capacityBytes, 2 ** 30);
  assert.equal(parseServeArgs(["--port=9000"], env).port, 9000);
});

Deno.test("--http is refused unless the host is loopback", () => {
  for (const host of ["0.0.0.0", "::", "10.1.2.3", "example.com"]) {
    assert.throws(
      () => parseServeArgs(["--http", "--host", host], noEnv),
      (err: unknown) =>
        err instanceof UsageError &&
        err.message.startsWith(`Refusing to serve plaintext HTTP on ${host}`),
    );
  }
  assert.equal(parseServeArgs(["--host", "0.0.0.0"], noEnv).host, "0.0.0.0");
});

Deno.test("bad values are usage errors", () => {
  for (
    const args of [
      ["--port", "x"],
      ["--port", "70000"],
      ["--port", "-1"],
      ["--capacity", "lots"],
      ["--capacity", "1KiB"],
      ["--host", ""],
      ["--nope"],
      ["extra"],
      ["--nodes", "0"],
      ["--nodes", "65"],
      ["--nodes", "2.5"],
      ["--replicas", "2"],
      ["--nodes", "2", "--replicas", "3"],
      ["--nodes", "8", "--replicas", "6"],
      ["--nodes", "2", "--replicas", "0"],
    ]
  ) {
    assert.throws(
      () => parseServeArgs(args, noEnv),
      UsageError,
      args.join(" "),
    );
  }
});

Deno.test("--cors-origins takes localhost, none or a list of origins", () => {
  const parse = (...a: string[]) => parseServeArgs(a, () => undefined);
  assert.equal(parse().corsOrigins, "localhost");
  assert.deepEqual(parse("--cors-origins", "none").corsOrigins, []);
  assert.deepEqual(
    parse("--cors-origins", "https://a.example.com,http://b.test:8080")
      .corsOrigins,
    ["https://a.example.com", "http://b.test:8080"],
  );
  for (const bad of ["*", "https://a.example.com/path", "a.example.com", ""]) {
    assert.throws(() => parse("--cors-origins", bad), UsageError, bad);
  }
});

Deno.test("--max-collection-length is a positive integer, unlimited by default", () => {
  const parse = (...a: string[]) => parseServeArgs(a, () => undefined);
  assert.equal(parse().maxCollectionLength, Number.POSITIVE_INFINITY);
  assert.equal(
    parse("--max-collection-length", "1000").maxCollectionLength,
    1000,
  );
  for (const bad of ["0", "-1", "1.5", "x", "1e3"]) {
    assert.throws(
      () => parse("--max-collection-length", bad),
      UsageError,
    );
  }
});

Deno.test("--nodes: node processes behind the one port, 1 by default", () => {
  assert.equal(parseServeArgs(["--nodes", "2"], noEnv).nodes, 2);
  assert.equal(parseServeArgs(["--nodes", "64"], noEnv).nodes, 64);
  // what the nodes take: passed on; defaults given explicitly: accepted
  const o = parseServeArgs([
    "--nodes",
    "2",
    "--cors-origins",
    "https://app.example.com",
    "--head-timeout",
    "10",
    "--access-log",
    "errors",
  ], noEnv);
  assert.deepEqual(o.corsOrigins, ["https://app.example.com"]);
  assert.equal(o.replicas, 1);
  assert.equal(
    parseServeArgs(["--nodes", "2", "--replicas", "2"], noEnv).replicas,
    2,
  );
});

Deno.test("--nodes N refuses the flags its node processes do not take, --nodes 1 keeps them", () => {
  for (
    const flag of [
      ["--max-collection-length", "10"],
      ["--head-timeout", "5"],
      ["--idle-timeout", "5"],
      ["--body-timeout", "5"],
      ["--max-connections", "100"],
      ["--access-log", "all"],
      ["--listener", "deno"],
    ]
  ) {
    assert.throws(
      () => parseServeArgs(["--nodes", "2", ...flag], noEnv),
      (err: Error) =>
        err instanceof UsageError &&
        err.message.startsWith(`Invalid ${flag[0]} with --nodes 2:`),
      flag[0],
    );
    assert.equal(parseServeArgs(["--nodes", "1", ...flag], noEnv).nodes, 1);
  }
});

Deno.test("--grpc-port: 8444 by default, free with --port 0, off, refused when invalid; also with --nodes", () => {
  const env = () => undefined;
  assert.equal(parseServeArgs([], env).grpcPort, 8444);
  assert.equal(parseServeArgs(["--port", "0"], env).grpcPort, 0);
  assert.equal(parseServeArgs(["--grpc-port", "9000"], env).grpcPort, 9000);
  assert.equal(parseServeArgs(["--grpc-port", "off"], env).grpcPort, null);
  assert.equal(parseServeArgs(["--nodes", "2"], env).grpcPort, 8444);
  assert.throws(
    () => parseServeArgs(["--grpc-port", "70000"], env),
    /Invalid --grpc-port/,
  );
  assert.throws(
    () => parseServeArgs(["--grpc-port", "x"], env),
    /Invalid --grpc-port/,
  );
  assert.equal(
    parseServeArgs(["--nodes", "2", "--grpc-port", "9000"], env).grpcPort,
    9000,
  );
});
