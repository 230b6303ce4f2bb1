import assert from "node:assert/strict";
import { LimitSharing } from "./limit_sharing.ts";
import { RateLimiter } from "../gateway/rate_limits.ts";
import { ClusterService } from "../control/cluster_service.ts";

const node = (id: string) => ({
  id,
  az: "az1",
  capacity: 0,
  peer: "127.0.0.1:1",
  url: "http://unused",
});

Deno.test("limit sharing: two gateways split a cache's limit by demand, and together admit about the limit", async () => {
  let now = 0;
  const cluster = await ClusterService.open({
    store: { load: () => Promise.resolve(undefined), save: async () => {} },
    replicas: 1,
    now: () => now,
  });
  await cluster.register(node("a"));
  await cluster.register(node("b"));
  const gateways = ["a", "b"].map((id) => {
    const limiter = new RateLimiter({
      defaults: { opsPerSecond: 100, bytesPerSecond: 1e9 },
      now: () => now,
    });
    const sharing = new LimitSharing({
      limiter,
      report: (demand) => Promise.resolve(cluster.usage(id, demand)),
      now: () => now,
    });
    return { limiter, sharing };
  });
  // a is asked 3 times as often as b; every 250 ms they exchange demand
  let admitted = 0;
  let measured = 0;
  for (let tick = 0; tick < 40; tick++) {
    for (let i = 0; i < 100; i++) {
      for (const [g, asks] of [[0, 3], [1, 1]] as const) {
        for (let k = 0; k < asks; k++) {
          try {
            gateways[g]!.limiter.take("c", 1, 0);
            if (tick >= 20) admitted++;
          } catch { /* refused */ }
        }
      }
      now += 2.5;
    }
    if (tick >= 20) measured += 250;
    for (const id of ["a", "b"]) await cluster.heartbeat(id);
    for (const g of gateways) await g.sharing.exchange();
  }
  // steady state over the last 5 s: the cluster admits the limit, not 2x
  const rate = admitted / (measured / 1000);
  assert.ok(rate > 85 && rate < 115, `${rate} ops/s admitted`);
  // far below the limit, each gateway gets what it asks plus an even part
  // of the room left: traffic that moves finds room at once
  const quiet: number[] = [];
  const quietShares = ["a", "b"].map((id, i) => {
    const limiter = {
      drainDemand: () => new Map([["q", i === 0 ? 2 : 0]]),
      setShares: (s: ReadonlyMap<string, number>) => quiet[i] = s.get("q")!,
      opsLimit: () => 100,
    };
    return new LimitSharing({
      limiter,
      report: (demand) => Promise.resolve(cluster.usage(id, demand)),
      now: () => now,
    });
  });
  now += 1000;
  for (const id of ["a", "b"]) await cluster.heartbeat(id);
  for (const q of quietShares) await q.exchange();
  now += 250;
  for (const q of quietShares) await q.exchange();
  assert.ok(Math.abs(quiet[0]! + quiet[1]! - 1) < 1e-9, `${quiet}`);
  assert.ok(quiet[1]! > 0.45, `the idle gateway's share ${quiet[1]}`);
  // a gateway alone on a cache keeps the whole limit
  const alone = new RateLimiter({
    defaults: { opsPerSecond: 100, bytesPerSecond: 1e9 },
    now: () => now,
  });
  await new LimitSharing({
    limiter: alone,
    report: () => Promise.resolve({ c: { rate: 5, nodes: 1 } }),
  }).exchange();
  for (let i = 0; i < 100; i++) alone.take("c", 1, 0);
});
