import assert from "node:assert/strict";
import { auth, MapItemStore, readError, testGateway } from "./_test_utils.ts";

/**
 * A store with `getView`: every view is of one scratch buffer, overwritten by
 * the next call, as the Wasm shard's views are.
 */
class ViewStore extends MapItemStore {
  #scratch = new Uint8Array(64);
  views = 0;

  getView(cacheId: number, key: Uint8Array): Uint8Array | undefined {
    this.views++;
    const value = super.get(cacheId, key);
    this.calls.get--; // counted as a view, not a get
    if (value === undefined) return undefined;
    this.#scratch.fill(0xee);
    this.#scratch.set(value);
    return this.#scratch.subarray(0, value.length);
  }
}

async function gateway() {
  const store = new ViewStore();
  const gw = await testGateway({ store });
  const put = (key: string, body: Uint8Array<ArrayBuffer>) =>
    gw.app.request(`/cache/orders?key=${key}&ttl_seconds=60`, {
      method: "PUT",
      headers: auth(gw.token),
      body,
    });
  const get = (key: string) =>
    gw.app.request(`/cache/orders?key=${key}`, { headers: auth(gw.token) });
  return { store, put, get };
}

Deno.test("GET reads through the store's getView when it has one, and answers the exact bytes", async () => {
  const { store, put, get } = await gateway();
  const text = new TextEncoder().encode("plain ascii value");
  const binary = new Uint8Array([0, 255, 0xef, 0xbb, 0xbf, 10, 128]);
  assert.equal((await put("t", text)).status, 204);
  assert.equal((await put("b", binary)).status, 204);
  const [first, second] = [await get("t"), await get("b")];
  for (const [res, value] of [[first, text], [second, binary]] as const) {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), value);
  }
  assert.equal(store.views, 2);
  assert.equal(store.calls.get, 0);
});

Deno.test("GET of a missing key through getView is 404 without a second lookup", async () => {
  const { store, get } = await gateway();
  const seen = await readError(await get("nope"));
  assert.equal(seen.status, 404);
  assert.equal(seen.message, "Key not found in cache: orders");
  assert.equal(store.views, 1);
  assert.equal(store.calls.get, 0);
});
