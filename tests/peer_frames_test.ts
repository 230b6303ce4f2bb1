/**
 * Peer-protocol frames: every operation's arguments and every store answer
 * (results, read values, errors) come back exactly, and a damaged frame is a
 * KvoltError, never a crash or a hang.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  type StoreReply,
  type StoreRequest,
} from "../protocol/peer_frames.ts";
import { command } from "./_contract_commands.ts";

/** The value with undefined fields dropped (frames do not carry them). */
function defined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(defined);
  if (v instanceof Uint8Array || v instanceof KvoltError) return v;
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.entries(v).filter(([, x]) => x !== undefined).map((
        [k, x],
      ) => [k, defined(x)]),
    );
  }
  return v;
}

function sameError(a: KvoltError, b: KvoltError): void {
  assert.ok(b instanceof KvoltError);
  assert.deepEqual(
    [b.code, b.message, b.limit, b.detail],
    [a.code, a.message, a.limit, a.detail],
  );
}

Deno.test("frames: every operation's call and its answer round-trip", () => {
  const store = new MemoryStore({ now: () => 1_000 });
  fc.assert(
    fc.property(command, fc.integer({ min: 0, max: 0xffff_ffff }), (c, id) => {
      if (c.op === "advance") return;
      const req: StoreRequest = {
        kind: "execute",
        cacheId: id,
        op: c.op,
        args: c.args,
      };
      assert.deepEqual(decodeRequest(encodeRequest(req)), defined(req));
      let reply: StoreReply;
      try {
        reply = {
          kind: "result",
          op: c.op,
          value: store.execute(id, c.op, c.args as never),
        };
      } catch (err) {
        reply = { kind: "error", error: err as KvoltError };
      }
      const back = decodeReply(encodeReply(reply));
      if (reply.kind === "error") {
        assert.equal(back.kind, "error");
        sameError(reply.error, (back as { error: KvoltError }).error);
      } else assert.deepEqual(back, defined(reply));
    }),
    { numRuns: 2000, seed: 20261205 },
  );
});

Deno.test("frames: reads, flushes and errors with causes round-trip", () => {
  const keys = [Uint8Array.of(), Uint8Array.of(0, 255), new Uint8Array(300)];
  const getMany: StoreRequest = { kind: "getMany", cacheId: 3, keys };
  assert.deepEqual(decodeRequest(encodeRequest(getMany)), getMany);
  const flush: StoreRequest = { kind: "flush", cacheId: 0xffff_ffff };
  assert.deepEqual(decodeRequest(encodeRequest(flush)), flush);
  const begin: StoreRequest = {
    kind: "begin",
    version: 1234567,
    slots: [0, 1, 16383],
  };
  assert.deepEqual(decodeRequest(encodeRequest(begin)), begin);
  assert.throws(
    () =>
      decodeRequest(
        encodeRequest({ kind: "begin", version: 1, slots: [16384] }),
      ),
    KvoltError,
  );
  assert.deepEqual(decodeReply(encodeReply({ kind: "done" })), {
    kind: "done",
  });
  const wrong = new KvoltError(ErrorCode.FAILED_PRECONDITION, "a list");
  const values = decodeReply(encodeReply({
    kind: "values",
    values: [Uint8Array.of(1), undefined, wrong],
  }));
  assert.equal(values.kind, "values");
  const [v0, v1, v2] = (values as { values: readonly unknown[] }).values;
  assert.deepEqual(v0, Uint8Array.of(1));
  assert.equal(v1, undefined);
  sameError(wrong, v2 as KvoltError);
  for (
    const error of [
      new KvoltError(ErrorCode.LIMIT_EXCEEDED, "big", LimitCause.ITEM_SIZE),
      new KvoltError(ErrorCode.SERVER_UNAVAILABLE, "disk", undefined, "EIO x"),
    ]
  ) {
    const back = decodeReply(encodeReply({ kind: "error", error }));
    sameError(error, (back as { error: KvoltError }).error);
  }
});

Deno.test("frames: a truncated or damaged frame is a KvoltError", () => {
  fc.assert(
    fc.property(
      command,
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      }),
      (c, cut, flips) => {
        if (c.op === "advance") return;
        const whole = encodeRequest({
          kind: "execute",
          cacheId: 1,
          op: c.op,
          args: c.args,
        });
        const frames = [whole.slice(0, cut % whole.length), whole.slice()];
        for (const [at, byte] of flips) frames[1]![at % whole.length] = byte;
        for (const frame of frames) {
          for (const decode of [decodeRequest, decodeReply]) {
            try {
              decode(frame);
            } catch (err) {
              assert.ok(err instanceof KvoltError, String(err));
              assert.equal(err.code, ErrorCode.INTERNAL_SERVER);
            }
          }
        }
      },
    ),
    { numRuns: 2000, seed: 7 },
  );
});

Deno.test("frames: the codec comes from the catalogue, values only (no names, no tags)", () => {
  const k = Uint8Array.of(107);
  // kind, cacheId, op, then key (len + byte), value (len + byte), ttl f64
  const frame = encodeRequest({
    kind: "execute",
    cacheId: 1,
    op: "set",
    args: { key: k, value: k, ttlMs: 1000 },
  });
  assert.equal(frame.length, 3 + 12);
  // a result: kind, op, the union's option, the value
  const reply = encodeReply({
    kind: "result",
    op: "get",
    value: { type: "Hit", value: k },
  });
  assert.equal(reply.length, 1 + 1 + 1 + 2);
  // fields outside the schema are not carried
  const back = decodeRequest(encodeRequest({
    kind: "execute",
    cacheId: 1,
    op: "get",
    args: { key: k, extra: 1 } as object,
  }));
  assert.deepEqual(back, {
    kind: "execute",
    cacheId: 1,
    op: "get",
    args: { key: k },
  });
});
