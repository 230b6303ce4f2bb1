/**
 * The control service's HTTP routes: join-token checks, node registration,
 * heartbeats, long polls and node certificates.
 */

import assert from "node:assert/strict";
import { ClusterService } from "./cluster_service.ts";
import { clusterRoutes } from "./cluster_routes.ts";
import {
  certCovers,
  createDevCa,
  createServerCert,
  keyMatches,
  signedBy,
} from "./dev_certs.ts";
import { clock, MemoryStateStore, node } from "./_cluster_test_utils.ts";

Deno.test("cluster routes: the join token is required; nodes register, heartbeat, leave and poll", async () => {
  const cluster = await ClusterService.open({
    store: new MemoryStateStore(),
    replicas: 1,
    now: clock().now, // no node times out however slowly the test runs
  });
  const app = clusterRoutes(cluster, "join-secret");
  const call = (path: string, init: RequestInit = {}, token = "join-secret") =>
    app.request(path, {
      ...init,
      headers: { authorization: token, ...(init.headers ?? {}) },
    });
  const denied = await call("/v1/topology?waitMs=0", {}, "nope");
  assert.equal(denied.status, 401);
  assert.equal((await denied.json()).error.code, "AUTHENTICATION_ERROR");
  const bad = await call("/v1/cluster/nodes", {
    method: "POST",
    body: JSON.stringify({ ...node("a", "az1"), capacity: "big" }),
  });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /capacity/);
  const ok = await call("/v1/cluster/nodes", {
    method: "POST",
    body: JSON.stringify(node("a", "az1")),
  });
  assert.equal(ok.status, 200);
  const t = await ok.json();
  assert.equal(t.version, 1);
  assert.equal(
    (await call("/v1/cluster/nodes/a/heartbeat", { method: "POST" })).status,
    204,
  );
  assert.equal(
    (await call("/v1/cluster/nodes/zz/heartbeat", { method: "POST" })).status,
    404,
  );
  const now = await call(`/v1/topology?after=${t.version}&waitMs=0`);
  assert.equal((await now.json()).version, 1);
  const poll = call(`/v1/topology?after=${t.version}&waitMs=10000`);
  assert.equal(
    (await call("/v1/cluster/nodes/a", { method: "DELETE" })).status,
    204,
  );
  const changed = await (await poll).json();
  assert.equal(changed.version, 2);
  assert.deepEqual(changed.nodes, []);
  const badAfter = await call("/v1/topology?after=x");
  assert.equal(badAfter.status, 400);
  cluster.close();
});

Deno.test("cluster routes: a TLS control service issues node certificates signed by its CA, with the join token only", async () => {
  const cluster = await ClusterService.open({
    store: new MemoryStateStore(),
    replicas: 1,
    now: clock().now, // no node times out however slowly the test runs
  });
  const ca = await createDevCa();
  const app = clusterRoutes(
    cluster,
    "s",
    (names) => createServerCert(ca, names),
  );
  const ask = (body: unknown, token = "s") =>
    app.request("/v1/cluster/certificates", {
      method: "POST",
      headers: { authorization: token },
      body: JSON.stringify(body),
    });
  assert.equal((await ask({ names: ["node1"] }, "wrong")).status, 401);
  for (const bad of [{}, { names: [] }, { names: ["a b"] }, { names: [7] }]) {
    assert.equal((await ask(bad)).status, 400, JSON.stringify(bad));
  }
  const res = await ask({ names: ["10.0.0.5", "node1.example"] });
  assert.equal(res.status, 200);
  const { cert, key } = await res.json();
  assert.ok(await signedBy(cert, ca.certPem));
  assert.ok(await keyMatches(cert, key));
  assert.ok(certCovers(cert, "10.0.0.5") && certCovers(cert, "node1.example"));
  // an --http control service issues none
  const plain = clusterRoutes(cluster, "s");
  const none = await plain.request("/v1/cluster/certificates", {
    method: "POST",
    headers: { authorization: "s" },
    body: JSON.stringify({ names: ["x"] }),
  });
  assert.equal(none.status, 400);
});
