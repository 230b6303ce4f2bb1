import assert from "node:assert/strict";
import { DEFAULT_CONTROL_PORT, parseControlArgs } from "./control.ts";
import { UsageError } from "./usage.ts";

Deno.test("control flags: defaults, and each bad flag named", () => {
  const o = parseControlArgs([], undefined);
  assert.equal(o.port, DEFAULT_CONTROL_PORT);
  assert.equal(o.replicas, 2);
  assert.equal(o.failureTimeoutMs, 3000);
  assert.equal(o.http, false);
  const p = parseControlArgs(
    ["--replicas", "3", "--failure-timeout", "1.5", "--http", "--port", "0"],
    undefined,
  );
  assert.deepEqual([p.replicas, p.failureTimeoutMs, p.http, p.port], [
    3,
    1500,
    true,
    0,
  ]);
  for (
    const [args, flag] of [
      [["--replicas", "0"], "--replicas"],
      [["--replicas", "x"], "--replicas"],
      [["--port", "70000"], "--port"],
      [["--failure-timeout", "0"], "--failure-timeout"],
      [["--http", "--host", "0.0.0.0"], "--http"],
      [["--nope"], "nope"],
    ] as const
  ) {
    assert.throws(
      () => parseControlArgs([...args], undefined),
      (err: Error) => err instanceof UsageError && err.message.includes(flag),
      flag,
    );
  }
});
