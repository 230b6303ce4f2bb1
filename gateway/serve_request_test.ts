import assert from "node:assert/strict";
import { readsHeadersDirectly, requestHeader } from "./serve_request.ts";

const NAMES = ["authorization", "origin", "x-multi", "x-absent", "host"];

/** Serves one request; returns what the handler saw. */
async function seenByServe(
  headers: [string, string][],
): Promise<
  { direct: boolean; fast: (string | null)[]; slow: (string | null)[] }
> {
  let seen:
    | { direct: boolean; fast: (string | null)[]; slow: (string | null)[] }
    | undefined;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, (request) => {
    const direct = readsHeadersDirectly(request);
    const fast = NAMES.map((name) => requestHeader(request, name));
    // Read the public way last: it exposes the headers.
    const slow = NAMES.map((name) => request.headers.get(name));
    seen = { direct, fast, slow };
    return new Response("ok");
  });
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
      headers: headers.map(([name, value]) => [name, value]),
    });
    assert.equal(await res.text(), "ok");
  } finally {
    await server.shutdown();
  }
  assert.ok(seen !== undefined);
  return seen;
}

Deno.test("requestHeader reads Deno.serve headers directly, exactly as Headers.get", async () => {
  const seen = await seenByServe([
    ["Authorization", "eyJ" + "a".repeat(400)],
    ["Origin", "http://localhost:5173"],
    ["X-Multi", "one"],
    ["x-multi", "two"],
  ]);
  // Deno 2.9.6 (the project's pinned version): the fast way is taken.
  assert.equal(seen.direct, true);
  assert.deepEqual(seen.fast, seen.slow);
  assert.equal(seen.fast[2], "one, two");
  assert.equal(seen.fast[3], null);
});

Deno.test("requestHeader answers null for headers a Deno.serve request lacks", async () => {
  const seen = await seenByServe([]);
  assert.deepEqual(seen.fast, seen.slow);
  assert.equal(seen.fast[0], null);
  assert.equal(seen.fast[1], null);
});

Deno.test("requestHeader falls back to Headers.get for other requests", () => {
  const request = new Request("http://h/cache/c?key=k", {
    headers: [["Authorization", "t"], ["x-multi", "a"], ["x-multi", "b"]],
  });
  assert.equal(readsHeadersDirectly(request), false);
  assert.equal(requestHeader(request, "authorization"), "t");
  assert.equal(requestHeader(request, "x-multi"), "a, b");
  assert.equal(requestHeader(request, "origin"), null);
});
