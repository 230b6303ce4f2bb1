/**
 * `kvolt serve --nodes 2`: two node processes behind one public port (and
 * the control service in the serve process). Keys set through many
 * connections are read back through others; SIGTERM stops every process.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
} from "../mod.ts";
import { MAIN, startServer } from "./_server.ts";

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // a signal that does nothing to a live process
    return true;
  } catch {
    return false;
  }
}

Deno.test("serve --nodes 2: one port, two node processes, every key readable through any connection; SIGTERM leaves no process", async () => {
  const dataDir = await Deno.makeTempDir();
  const server = await startServer(Deno.execPath(), [
    "run",
    "-A",
    MAIN,
    "serve",
    "--nodes",
    "2",
    "--port",
    "0",
    "--data",
    dataDir,
  ]);
  const pids = server.banner.join("\n").match(/pids (\d+), (\d+)/);
  try {
    assert.ok(pids, server.banner.join("\n"));
    const nodePids = [Number(pids[1]), Number(pids[2])];
    assert.ok(nodePids.every(alive));
    const ca = await Deno.readTextFile(`${dataDir}/tls/ca.pem`);
    // clients of their own each (own connections): the kernel spreads them
    // over both nodes
    const clients = Array.from({ length: 8 }, () =>
      new CacheClient({
        credentialProvider: CredentialProvider.fromString({
          apiKey: server.apiKey,
        }),
        configuration: Configurations.Laptop.v1(),
        defaultTtlSeconds: 60,
        baseUrl: server.url,
        caCertificate: ca,
      }));
    try {
      for (let i = 0; i < 80; i++) {
        const set = await clients[i % 8]!.set("default", `k${i}`, `v${i}`);
        assert.equal(set.type, "Success");
      }
      for (let i = 0; i < 80; i++) {
        const got = await clients[(i + 3) % 8]!.get("default", `k${i}`);
        assert.ok(got instanceof CacheGet.Hit, `k${i}`);
        assert.equal(got.valueString(), `v${i}`);
      }
    } finally {
      for (const c of clients) c.close();
    }
    const { code, stdout } = await server.stop();
    assert.equal(code, 0);
    assert.match(stdout, /every node stopped/);
    assert.ok(!nodePids.some(alive), "a node process outlived serve");
  } finally {
    await server.kill();
    if (pids) {
      for (const pid of [Number(pids[1]), Number(pids[2])]) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
    }
    await Deno.remove(dataDir, { recursive: true });
  }
});
