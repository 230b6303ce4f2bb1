import assert from "node:assert/strict";
import {
  concat,
  frame,
  readWebResponse,
  TRAILER_FLAG,
  trailerBytes,
} from "./web_frames.ts";

Deno.test("grpc-web frames: messages and a trailer read back as written", () => {
  const trailer = {
    code: 8,
    details: "Item size limit exceeded: 5 > 4 (ünïcode, 100%)",
    metadata: [["err", "item_size_limit_exceeded"]] as [string, string][],
  };
  const body = concat([
    frame(0, new Uint8Array([1, 2])),
    frame(0, new Uint8Array(0)),
    frame(TRAILER_FLAG, trailerBytes(trailer)),
  ]);
  assert.deepEqual(readWebResponse(body), {
    messages: [new Uint8Array([1, 2]), new Uint8Array(0)],
    trailer,
  });
});

Deno.test("grpc-web frames: a body without a whole trailer and status is not a response", () => {
  const ok = frame(
    TRAILER_FLAG,
    trailerBytes({ code: 0, details: "", metadata: [] }),
  );
  const noStatus = frame(TRAILER_FLAG, new TextEncoder().encode("a:b\r\n"));
  for (
    const body of [
      new Uint8Array(0),
      frame(0, new Uint8Array([1])), // no trailer
      ok.subarray(0, ok.byteLength - 1), // cut
      concat([ok, frame(0, new Uint8Array([1]))]), // bytes after the trailer
      noStatus,
    ]
  ) {
    assert.equal(readWebResponse(body), undefined);
  }
  assert.deepEqual(readWebResponse(ok)?.trailer.code, 0);
});
