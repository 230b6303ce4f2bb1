/**
 * `deno task bench:gateway [--root DIR]`: what one request costs in the
 * gateway, in process (no socket, no wrk: steadier than bench:http on a
 * shared machine): a Momento GET, a JSON API set and a pipeline of 100 gets,
 * over four Wasm shards, microseconds per request (the best of three
 * rounds). `--root` measures another checkout of kvolt with the same script
 * (e.g. a worktree of the code before a change); the last line is JSON.
 *
 * @module
 */
import { parseArgs } from "node:util";

const flags = parseArgs({
  args: Deno.args,
  options: { root: { type: "string" } },
}).values;
const root = flags.root ?? new URL("..", import.meta.url).pathname;
const { createGateway } = await import(`${root}/gateway/app.ts`);
const u = await import(`${root}/gateway/_test_utils.ts`);
const { TokenVerifier } = await import(`${root}/gateway/token_verifier.ts`);
const { ShardHost } = await import(`${root}/store-wasm/shard_host.ts`);
const { RateLimiter, DEFAULT_RATE_LIMITS } = await import(
  `${root}/gateway/rate_limits.ts`
);
let store = await ShardHost.create({ shards: 4, bytesPerShard: 32 << 20 });
try {
  const { Router } = await import(`${root}/protocol/router.ts`);
  store = Router.single(store);
} catch {
  // a checkout from before the router: the gateway takes the host itself
}
const keys = await u.keyPair();
const caches = new u.MemoryCacheRegistry();
await caches.create("bench");
const app = createGateway({
  store,
  caches,
  verifier: new TokenVerifier(keys.publicKey),
  rateLimiter: new RateLimiter({ caches, defaults: DEFAULT_RATE_LIMITS }),
});
const token = await u.mintToken(keys.privateKey);
const h = { authorization: token };
for (let i = 0; i < 100; i++) {
  await app.fetch(
    new Request(`http://x/v1/cache/bench/set`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({
        key: `k${i}`,
        value: "x".repeat(100),
        ttlMs: 600000,
      }),
    }),
  );
}
const pipe = JSON.stringify({
  ops: Array.from(
    { length: 100 },
    (_, i) => ({ cache: "bench", op: "get", args: { key: `k${i}` } }),
  ),
});
const setBody = JSON.stringify({
  key: "k1",
  value: "x".repeat(100),
  ttlMs: 600000,
});
async function time(name: string, n: number, f: () => Promise<Response>) {
  for (let i = 0; i < n / 10; i++) await (await f()).arrayBuffer();
  const t = performance.now();
  for (let i = 0; i < n; i++) await (await f()).arrayBuffer();
  return [name, +((performance.now() - t) * 1000 / n).toFixed(1)] as const;
}
const out: Record<string, number> = {};
for (let r = 0; r < 3; r++) {
  for (
    const [name, us] of [
      await time("pipeline_100_gets_us", 2000, () =>
        app.fetch(
          new Request("http://x/v1/pipeline", {
            method: "POST",
            headers: h,
            body: pipe,
          }),
        )),
      await time(
        "get_us",
        20000,
        () =>
          app.fetch(new Request("http://x/cache/bench?key=k1", { headers: h })),
      ),
      await time("json_set_us", 20000, () =>
        app.fetch(
          new Request("http://x/v1/cache/bench/set", {
            method: "POST",
            headers: h,
            body: setBody,
          }),
        )),
    ]
  ) out[name] = Math.min(out[name] ?? Infinity, us);
}
console.table(out);
console.log(JSON.stringify({ root, ...out }));
