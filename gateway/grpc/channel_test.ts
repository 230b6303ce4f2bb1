import assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import fc from "fast-check";
import { refused } from "./web_frames.ts";
import { decodeCall, encodeCall, serveChannel } from "./channel.ts";
import { ChannelClient } from "./channel_client.ts";

Deno.test("relay channel: a call frame reads back as written", () => {
  fc.assert(
    fc.property(
      fc.string(),
      fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 6 }),
      fc.uint8Array({ maxLength: 64 }),
      (path, metadata, message) => {
        const payload = encodeCall({ path, metadata, message });
        assert.deepEqual(decodeCall(payload), { path, metadata, message });
      },
    ),
  );
});

Deno.test("relay channel: a cut call is malformed", () => {
  const payload = encodeCall({
    path: "/p",
    metadata: [["authorization", "t"]],
    message: new Uint8Array(0),
  });
  for (let end = 0; end < payload.byteLength - 1; end++) {
    assert.equal(
      decodeCall(payload.subarray(0, end)),
      undefined,
      `cut at ${end}`,
    );
  }
});

Deno.test("relay channel: calls in flight answer in any order; a lost connection answers UNAVAILABLE; the next call reconnects", async () => {
  const gates = new Map<string, PromiseWithResolvers<void>>();
  const server = serveChannel(async (path, message, metadata) => {
    const gate = gates.get(path);
    if (gate) await gate.promise;
    return {
      messages: [message, new TextEncoder().encode(path)],
      trailer: {
        code: status.OK,
        details: "",
        metadata: [[
          "seen",
          metadata.find(([name]) => name === "authorization")?.[1] ?? "",
        ]],
      },
    };
  }, 1024);
  const client = new ChannelClient(server.port);
  try {
    const slow = Promise.withResolvers<void>();
    gates.set("/slow", slow);
    const first = client.call({
      path: "/slow",
      metadata: [["authorization", "a"]],
      message: new Uint8Array([1]),
    });
    const second = await client.call({
      path: "/fast",
      metadata: [["authorization", "b"]],
      message: new Uint8Array([2]),
    });
    assert.deepEqual(second.messages[0], new Uint8Array([2]));
    assert.deepEqual(second.trailer.metadata, [["seen", "b"]]);
    slow.resolve();
    const answered = await first;
    assert.equal(new TextDecoder().decode(answered.messages[1]), "/slow");
    // a frame past the limit closes the connection: the call in flight
    // answers UNAVAILABLE, and the next call opens a new connection
    const hung = Promise.withResolvers<void>();
    gates.set("/hung", hung);
    const lost = client.call({
      path: "/hung",
      metadata: [],
      message: new Uint8Array(0),
    });
    const tooBig = await client.call({
      path: "/big",
      metadata: [],
      message: new Uint8Array(2 * 1024 * 1024),
    });
    assert.equal(tooBig.trailer.code, status.UNAVAILABLE);
    assert.equal((await lost).trailer.code, status.UNAVAILABLE);
    hung.resolve();
    const again = await client.call({
      path: "/fast",
      metadata: [],
      message: new Uint8Array([3]),
    });
    assert.equal(again.trailer.code, status.OK);
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("relay channel: a closed server answers UNAVAILABLE, never throws", async () => {
  const server = serveChannel(
    () => Promise.resolve(refused(status.OK, "")),
    1024,
  );
  server.close();
  const client = new ChannelClient(server.port);
  const answer = await client.call({
    path: "/x",
    metadata: [],
    message: new Uint8Array(0),
  });
  assert.equal(answer.trailer.code, status.UNAVAILABLE);
  client.close();
});
