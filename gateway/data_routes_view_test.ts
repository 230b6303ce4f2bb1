import assert from "node:assert/strict";
import type { ReadResult, Store } from "../protocol/store.ts";
import type { OpArgs, OpName } from "../protocol/operations.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { auth, readError, testGateway } from "./_test_utils.ts";

/**
 * A synchronous store whose values are views of one scratch buffer,
 * overwritten by the next call, as the contract allows (the Wasm shard's are).
 */
class ViewStore implements Store {
  #scratch = new Uint8Array(64);
  #model = new MemoryStore();
  views = 0;

  execute<K extends OpName>(cacheId: number, op: K, args: OpArgs<K>) {
    this.#scratch.fill(0xee);
    return this.#model.execute(cacheId, op, args);
  }

  getMany(cacheId: number, keys: readonly Uint8Array[]): ReadResult[] {
    this.views++;
    this.#scratch.fill(0xee);
    return this.#model.getMany(cacheId, keys).map((value) => {
      if (!(value instanceof Uint8Array)) return value;
      this.#scratch.set(value);
      return this.#scratch.subarray(0, value.length);
    });
  }

  flush(cacheId: number): void {
    this.#model.flush(cacheId);
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

Deno.test("GET answers the exact bytes of a view the store overwrites at its next call", async () => {
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
});

Deno.test("GET of a missing key is 404 after one read, no second lookup", async () => {
  const { store, get } = await gateway();
  const seen = await readError(await get("nope"));
  assert.equal(seen.status, 404);
  assert.equal(seen.message, "Key not found in cache: orders");
  assert.equal(store.views, 1);
});
