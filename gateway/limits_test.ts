import assert from "node:assert/strict";
import { auth, readError, testGateway } from "./_test_utils.ts";

/** An endless body that counts how many chunks were pulled from it. */
function endlessBody(chunkBytes: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled++;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

Deno.test("a key + value at the limit is stored; one byte more is 413 item_size", async () => {
  const { app, token, store } = await testGateway({ maxItemBytes: 100 });
  const ok = await app.request("/cache/orders?key=abcd&ttl_seconds=5", {
    method: "PUT",
    headers: auth(token),
    body: new Uint8Array(96),
  });
  assert.equal(ok.status, 204);
  const seen = await readError(
    await app.request("/cache/orders?key=abcde&ttl_seconds=5", {
      method: "PUT",
      headers: auth(token),
      body: new Uint8Array(96),
    }),
  );
  assert.equal(seen.status, 413);
  assert.equal(seen.code, "LIMIT_EXCEEDED_ERROR");
  assert.equal(seen.cause, "item_size_limit_exceeded");
  assert.match(
    seen.message,
    /^Cannot set item: key and value are larger than the 100 byte limit/,
  );
  assert.equal(store.calls.set, 1);
});

Deno.test("a key alone over the limit is 413", async () => {
  const { app, token } = await testGateway({ maxItemBytes: 4 });
  const seen = await readError(
    await app.request("/cache/orders?key=abcde&ttl_seconds=5", {
      method: "PUT",
      headers: auth(token),
    }),
  );
  assert.equal(seen.status, 413);
  assert.equal(seen.cause, "item_size_limit_exceeded");
});

Deno.test("a declared Content-Length over the limit is refused before the body is read", async () => {
  const { app, token, store } = await testGateway({ maxItemBytes: 1024 });
  const { stream, state } = endlessBody(512);
  const seen = await readError(
    await app.request("/cache/orders?key=k&ttl_seconds=5", {
      method: "PUT",
      headers: { ...auth(token), "content-length": "7340032" },
      body: stream,
    }),
  );
  assert.equal(seen.status, 413);
  assert.equal(seen.cause, "item_size_limit_exceeded");
  assert.match(seen.message, /value of 7340032 bytes$/);
  assert.equal(state.pulled, 0);
  assert.equal(store.calls.set, 0);
});

Deno.test("a streamed body without Content-Length is cut off once over the limit", async () => {
  const { app, token, store } = await testGateway({ maxItemBytes: 4096 });
  const { stream, state } = endlessBody(1000);
  const seen = await readError(
    await app.request("/cache/orders?key=k&ttl_seconds=5", {
      method: "PUT",
      headers: auth(token),
      body: stream,
    }),
  );
  assert.equal(seen.status, 413);
  assert.equal(seen.cause, "item_size_limit_exceeded");
  assert.ok(state.pulled <= 6, `pulled ${state.pulled} chunks`);
  assert.ok(state.cancelled, "the upload was cancelled");
  assert.equal(store.calls.set, 0);
});

Deno.test("a streamed body within the limit is stored whole", async () => {
  const { app, token } = await testGateway({ maxItemBytes: 4096 });
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 3) return controller.close();
      controller.enqueue(new Uint8Array(1000).fill(++sent));
    },
  });
  const put = await app.request("/cache/orders?key=k&ttl_seconds=5", {
    method: "PUT",
    headers: auth(token),
    body: stream,
  });
  assert.equal(put.status, 204);
  const got = new Uint8Array(
    await (await app.request("/cache/orders?key=k", { headers: auth(token) }))
      .arrayBuffer(),
  );
  assert.equal(got.length, 3000);
  assert.deepEqual([got[0], got[999], got[1000], got[2999]], [1, 1, 2, 3]);
});

Deno.test("a size error from the store maps to 413 with its cause", async () => {
  const { app, token, store } = await testGateway();
  store.maxItemBytes = 10;
  const seen = await readError(
    await app.request("/cache/orders?key=k&ttl_seconds=5", {
      method: "PUT",
      headers: auth(token),
      body: "0123456789",
    }),
  );
  assert.deepEqual(seen, {
    status: 413,
    code: "LIMIT_EXCEEDED_ERROR",
    message: "Cannot set item: too large for the store",
    cause: "item_size_limit_exceeded",
  });
});

Deno.test("createGateway rejects nonsensical limits", async () => {
  await assert.rejects(() => testGateway({ maxItemBytes: 0 }), RangeError);
  await assert.rejects(() => testGateway({ maxTtlSeconds: -1 }), RangeError);
  await assert.rejects(() => testGateway({ maxTtlSeconds: 1.5 }), RangeError);
});
