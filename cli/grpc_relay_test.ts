import assert from "node:assert/strict";
import { parseGrpcRelayArgs } from "./grpc_relay.ts";
import { UsageError } from "./usage.ts";

Deno.test("grpc-relay flags: a channel port and positive sizes only", () => {
  assert.deepEqual(
    parseGrpcRelayArgs([
      "--channel-port",
      "4100",
      "--max-message-bytes",
      "1024",
    ]),
    {
      channelPort: 4100,
      maxMessageBytes: 1024,
      shutdownMs: 10000,
    },
  );
  for (
    const args of [
      ["--channel-port", "70000", "--max-message-bytes", "1"],
      ["--channel-port", "x", "--max-message-bytes", "1"],
      ["--channel-port", "4100"],
      ["--channel-port", "4100", "--max-message-bytes", "0"],
      ["--channel-port", "1", "--max-message-bytes", "1", "--x"],
    ]
  ) {
    assert.throws(() => parseGrpcRelayArgs(args), UsageError);
  }
});
