import assert from "node:assert/strict";
import { parseGrpcRelayArgs } from "./grpc_relay.ts";
import { UsageError } from "./usage.ts";

Deno.test("grpc-relay flags: a loopback upstream and positive sizes only", () => {
  assert.deepEqual(
    parseGrpcRelayArgs([
      "--upstream",
      "http://127.0.0.1:4100",
      "--max-message-bytes",
      "1024",
    ]),
    {
      upstream: "http://127.0.0.1:4100",
      maxMessageBytes: 1024,
      shutdownMs: 10000,
    },
  );
  for (
    const args of [
      ["--upstream", "http://10.0.0.1:4100", "--max-message-bytes", "1"],
      ["--upstream", "https://127.0.0.1:4100", "--max-message-bytes", "1"],
      ["--upstream", "http://127.0.0.1:4100"],
      ["--upstream", "http://127.0.0.1:4100", "--max-message-bytes", "0"],
      ["--upstream", "http://127.0.0.1:1", "--max-message-bytes", "1", "--x"],
    ]
  ) {
    assert.throws(() => parseGrpcRelayArgs(args), UsageError);
  }
});
