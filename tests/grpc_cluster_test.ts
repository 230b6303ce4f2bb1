/**
 * gRPC on a cluster: `serve --nodes 2` serves Momento's protocol from every
 * node process (one port, SO_REUSEPORT, a relay process each), and each
 * routes every key to its slot's owner like the HTTP API; items written over
 * gRPC read back over HTTP and the reverse, for keys on both nodes, and cache
 * control works through the gRPC port.
 */

import assert from "node:assert/strict";
import { cache_client as scs } from "@gomomento/generated-types/dist/cacheclient.js";
import { control_client as control } from "@gomomento/generated-types/dist/controlclient.js";
import { grpcTestClient } from "../gateway/grpc/_grpc_test_client.ts";
import { grpcEndpoint, startNodes } from "./_server.ts";

const te = new TextEncoder();
const td = new TextDecoder();

Deno.test("grpc on serve --nodes 2: writes and reads through either front end, on both nodes", async () => {
  const data = await Deno.makeTempDir({ prefix: "kvolt-grpc-nodes-" });
  const server = await startNodes(data, true);
  const client = grpcTestClient(grpcEndpoint(server));
  const auth = { authorization: server.apiKey };
  try {
    await client.call(
      "/control_client.ScsControl/CreateCache",
      new control._CreateCacheRequest({ cache_name: "c" }),
      control._CreateCacheResponse,
      auth,
    );
    // every node process runs its own gRPC relay
    const pids = server.banner.join("\n").match(/pids (\d+), (\d+)\)/);
    assert.ok(pids, server.banner.join("\n"));
    for (const pid of pids.slice(1)) {
      const children = Deno.readTextFileSync(
        `/proc/${pid}/task/${pid}/children`,
      ).trim().split(/\s+/).filter((c) => c !== "");
      const commands = children.map((c) =>
        Deno.readTextFileSync(`/proc/${c}/cmdline`).split("\0")
      );
      assert.ok(
        commands.some((argv) => argv.includes("grpc-relay")),
        `node ${pid} has no gRPC relay: ${JSON.stringify(commands)}`,
      );
    }
    const md = { ...auth, cache: "c" };
    // 40 keys land in slots of both nodes
    for (let i = 0; i < 40; i++) {
      await client.call(
        "/cache_client.Scs/Set",
        new scs._SetRequest({
          cache_key: te.encode(`g${i}`),
          cache_body: te.encode(`v${i}`),
          ttl_milliseconds: 60_000,
        }),
        scs._SetResponse,
        md,
      );
      const put = await fetch(
        `${server.url}/cache/c?key=h${i}&ttl_seconds=60`,
        {
          method: "PUT",
          headers: auth,
          body: `w${i}`,
        },
      );
      await put.body?.cancel();
      assert.equal(put.status, 204);
    }
    for (let i = 0; i < 40; i++) {
      const viaHttp = await fetch(`${server.url}/cache/c?key=g${i}`, {
        headers: auth,
      });
      assert.equal(await viaHttp.text(), `v${i}`);
      for (const concern of ["balanced", "consistent"]) {
        const got = await client.call(
          "/cache_client.Scs/Get",
          new scs._GetRequest({ cache_key: te.encode(`h${i}`) }),
          scs._GetResponse,
          { ...md, "read-concern": concern },
        );
        assert.equal(got.result, scs.ECacheResult.Hit);
        assert.equal(td.decode(got.cache_body), `w${i}`);
      }
    }
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(data, { recursive: true });
  }
});
