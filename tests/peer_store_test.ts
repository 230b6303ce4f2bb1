/**
 * A store served over the peer protocol (TCP, pipelined) answers exactly
 * what the same store answers in process, on random operation sequences of
 * every family, and a lost peer fails calls with SERVER_UNAVAILABLE.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import type { Store } from "../protocol/store.ts";
import { PeerStore } from "../peer/peer_store.ts";
import { servePeer } from "../peer/peer_server.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { type Command, command } from "./_contract_commands.ts";
import { type Outcome, settledOutcome } from "./_outcomes.ts";

const CACHE = 7;
function run(
  store: Store,
  c: Exclude<Command, { op: "advance" }>,
): Promise<Outcome> {
  return settledOutcome(() => store.execute(CACHE, c.op, c.args as never));
}

/** Drops undefined fields (frames do not carry them). */
const defined = (v: unknown) =>
  JSON.parse(
    JSON.stringify(
      v,
      (_k, x) => x instanceof Uint8Array ? { bytes: [...x] } : x,
    ),
  );

Deno.test("peer: a store over TCP answers as the store itself, pipelined", async () => {
  const clock = { now: 1_700_000_000_000 };
  const served = await ShardHost.create({
    shards: 2,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
    now: () => clock.now,
  });
  const local = await ShardHost.create({
    shards: 2,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
    now: () => clock.now,
  });
  const server = servePeer(
    Deno.listen({ hostname: "127.0.0.1", port: 0 }),
    served,
  );
  const peer = new PeerStore({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 60, size: "max" }),
        async (commands) => {
          await served.flush(CACHE);
          local.flush(CACHE);
          for (const c of commands) {
            if (c.op === "advance") {
              clock.now += c.ms;
              continue;
            }
            if (c.op === "setSample" || c.op === "setPop") continue;
            assert.deepEqual(
              defined(await run(peer, c)),
              defined(await run(local, c)),
              c.op,
            );
          }
        },
      ),
      { numRuns: 100, seed: 20261205 },
    );
    // pipelined: many calls in one turn, answers matched by id
    const keys = Array.from(
      { length: 500 },
      (_, i) => Uint8Array.of(i & 255, i >> 8),
    );
    await Promise.all(
      keys.map((key, i) =>
        peer.execute(1, "set", {
          key,
          value: Uint8Array.of(i & 7),
          ttlMs: 60_000,
        })
      ),
    );
    const values = await Promise.all(keys.map((key) => peer.getMany(1, [key])));
    values.forEach((v, i) => assert.deepEqual(v, [Uint8Array.of(i & 7)]));
  } finally {
    await peer.close();
    await server.close();
    served.close();
    local.close();
  }
});

Deno.test("peer: a peer that goes away fails calls with SERVER_UNAVAILABLE; the next call reconnects", async () => {
  const store = new MemoryStore();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  let server = servePeer(listener, store);
  const peer = new PeerStore({ hostname: "127.0.0.1", port });
  const key = Uint8Array.of(1);
  try {
    await peer.execute(1, "set", { key, value: key, ttlMs: 60_000 });
    await server.close();
    await assert.rejects(
      peer.getMany(1, [key]),
      (err) =>
        err instanceof KvoltError && err.code === ErrorCode.SERVER_UNAVAILABLE,
    );
    server = servePeer(Deno.listen({ hostname: "127.0.0.1", port }), store);
    assert.deepEqual(await peer.getMany(1, [key]), [key]);
  } finally {
    await peer.close();
    await server.close();
  }
});

Deno.test("peer: a damaged call is answered with an error, a bad envelope closes only its connection", async () => {
  const server = servePeer(
    Deno.listen({ hostname: "127.0.0.1", port: 0 }),
    new MemoryStore(),
  );
  const { port } = server.addr;
  const peer = new PeerStore({ hostname: "127.0.0.1", port });
  try {
    // a well-framed envelope whose payload is no call: an error answer
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const { envelope, EnvelopeReader } = await import(
      "../protocol/envelope.ts"
    );
    const { decodeReply } = await import("../protocol/peer_frames.ts");
    const writer = conn.writable.getWriter();
    await writer.write(envelope(42, Uint8Array.of(9, 9, 9)));
    const reader = new EnvelopeReader();
    let got;
    for await (const chunk of conn.readable) {
      [got] = reader.push(chunk);
      if (got) break;
    }
    assert.equal(got?.id, 42);
    const reply = decodeReply(got!.payload);
    assert.equal(reply.kind, "error");
    // an envelope length out of bounds: that connection is closed (logged)
    const error = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => void logged.push(args);
    const bad = await Deno.connect({ hostname: "127.0.0.1", port });
    await bad.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    const buf = new Uint8Array(8);
    assert.equal(await bad.read(buf), null, "closed by the server");
    console.error = error;
    assert.match(String(logged[0]), /length 4294967295 out of bounds/);
    bad.close(); // conn was closed when its reading loop broke off
    // the server still serves
    const key = Uint8Array.of(5);
    await peer.execute(1, "set", { key, value: key, ttlMs: 1000 });
    assert.deepEqual(await peer.getMany(1, [key]), [key]);
  } finally {
    await peer.close();
    await server.close();
  }
});

Deno.test("peer: reads of one turn leave as one getMany frame per cache, and never after a later write", async () => {
  const served = await ShardHost.create({
    shards: 2,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
  });
  const frames: number[] = [];
  const counting: Store = {
    execute: (c, op, args) => served.execute(c, op, args),
    getMany: (c, keys) => {
      frames.push(keys.length);
      return served.getMany(c, keys);
    },
    flush: (c) => served.flush(c),
  };
  const server = servePeer(
    Deno.listen({ hostname: "127.0.0.1", port: 0 }),
    counting,
  );
  const peer = new PeerStore({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    const key = (i: number) => Uint8Array.of(i);
    for (let i = 0; i < 20; i++) {
      served.set(1, key(i), Uint8Array.of(i), 60_000);
    }
    // 20 concurrent reads of cache 1, two of cache 2: two frames
    const reads = Array.from(
      { length: 20 },
      (_, i) => peer.getMany(1, [key(i)]),
    );
    const other = [
      peer.getMany(2, [key(0)]),
      peer.getMany(2, [key(1), key(2)]),
    ];
    const got = await Promise.all(reads);
    got.forEach((v, i) => assert.deepEqual(v, [Uint8Array.of(i)]));
    assert.deepEqual(await Promise.all(other), [[undefined], [
      undefined,
      undefined,
    ]]);
    assert.deepEqual(frames.sort(), [20, 3]);
    // a read made before a write in the same turn does not see it
    const before = peer.getMany(1, [key(0)]);
    const write = peer.execute(1, "set", {
      key: key(0),
      value: Uint8Array.of(99),
      ttlMs: 60_000,
    });
    const after = peer.getMany(1, [key(0)]);
    await write;
    assert.deepEqual(await before, [Uint8Array.of(0)]);
    assert.deepEqual(await after, [Uint8Array.of(99)]);
  } finally {
    await peer.close();
    await server.close();
    served.close();
  }
});
