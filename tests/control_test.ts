/**
 * `kvolt control` as a process: nodes join with the join token (never the
 * super-user key), follow the topology by long poll, and a restarted control
 * service resumes the same topology from its data dir.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MAIN, startServer } from "./_server.ts";

const node = (id: string, az: string) => ({
  id,
  az,
  capacity: 1 << 20,
  peer: `127.0.0.1:1`,
  url: `https://127.0.0.1:2`,
});

function control(dataDir: string) {
  return startServer(Deno.execPath(), [
    "run",
    "-A",
    MAIN,
    "control",
    "--http",
    "--port",
    "0",
    "--replicas",
    "2",
    "--data",
    dataDir,
  ]);
}

Deno.test("control: nodes join with the join token, follow the topology, and a restart resumes it", async () => {
  const dataDir = await Deno.makeTempDir();
  let server = await control(dataDir);
  try {
    const join = (await Deno.readTextFile(`${dataDir}/join-token`)).trim();
    assert.ok(join.startsWith("kvj_"));
    assert.equal((await Deno.stat(`${dataDir}/join-token`)).mode! & 0o077, 0);
    const apiKey = (await Deno.readTextFile(`${dataDir}/api-key`)).trim();
    const call = (path: string, init: RequestInit = {}, token = join) =>
      fetch(server.url + path, {
        ...init,
        headers: { authorization: token },
      });
    // the super-user key is not a join token
    const refused = await call("/v1/topology?waitMs=0", {}, apiKey);
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    for (const [id, az] of [["a", "az1"], ["b", "az2"], ["c", "az1"]]) {
      const res = await call("/v1/cluster/nodes", {
        method: "POST",
        body: JSON.stringify(node(id!, az!)),
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const t = await (await call("/v1/topology?waitMs=0")).json();
    assert.equal(t.version, 3);
    assert.equal(t.nodes.length, 3);
    // a long poll held open answers when a node leaves
    const poll = call(`/v1/topology?after=${t.version}&waitMs=20000`);
    const left = await call("/v1/cluster/nodes/c", { method: "DELETE" });
    assert.equal(left.status, 204);
    const changed = await (await poll).json();
    assert.equal(changed.version, 4);
    const { code } = await server.stop();
    assert.equal(code, 0);
    // restarted on the same data dir: same version, same owners
    server = await control(dataDir);
    const resumed = await (await call("/v1/topology?waitMs=0")).json();
    assert.equal(resumed.version, changed.version);
    assert.deepEqual(resumed.slots, changed.slots);
  } finally {
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});
