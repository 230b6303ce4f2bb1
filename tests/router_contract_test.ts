/**
 * The router keeps the contract: a router over three stores that answer
 * asynchronously (the slots split between them, so multi-key operations are
 * split and gathered) gives what one reference store gives, on random
 * operation sequences of every family; and its write hook sees exactly the
 * writes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { MemoryStore } from "../protocol/memory_store.ts";
import {
  type OpArgs,
  OPERATIONS,
  type OpName,
} from "../protocol/operations.ts";
import { type Change, Router } from "../protocol/router.ts";
import { SLOT_COUNT } from "../protocol/slots.ts";
import type { Store } from "../protocol/store.ts";
import { type Command, command } from "./_contract_commands.ts";
import { canonical, type Outcome, settledOutcome } from "./_outcomes.ts";

const CACHE = 7;
const T0 = 1_700_000_000_000;

/** A store answering every call with a Promise of a copy, a tick later. */
function later(inner: MemoryStore): Store {
  const tick = <T>(f: () => T) =>
    new Promise<T>((resolve, reject) =>
      queueMicrotask(() => {
        try {
          const value = f();
          resolve(Array.isArray(value) ? value : structuredClone(value));
        } catch (err) {
          reject(err);
        }
      })
    );
  return {
    execute: <K extends OpName>(id: number, op: K, args: OpArgs<K>) =>
      tick(() => inner.execute(id, op, args)),
    getMany: (id, keys) =>
      tick(() =>
        inner.getMany(id, keys).map((v) =>
          // KvoltErrors stay
          v instanceof Uint8Array ? v.slice() : v
        )
      ),
    flush: (id) => tick(() => inner.flush(id)),
  };
}

function run(
  store: Store,
  c: Exclude<Command, { op: "advance" }>,
): Promise<Outcome> {
  return settledOutcome(() => store.execute(CACHE, c.op, c.args as never));
}

const hex = (b: Uint8Array) => [...b].join(",");

async function check(commands: Command[]): Promise<void> {
  const clock = { now: T0 };
  const now = () => clock.now;
  const parts = [0, 1, 2].map(() => new MemoryStore({ now }));
  const stores = parts.map(later);
  const third = Math.ceil(SLOT_COUNT / 3);
  const router = new Router((slot) => stores[Math.floor(slot / third)]!);
  const model = new MemoryStore({ now });
  const changes: string[] = [];
  router.onChange((c: Change) => changes.push(c.op));
  const writes: string[] = [];
  for (const [i, c] of commands.entries()) {
    if (c.op === "advance") {
      clock.now += c.ms;
      continue;
    }
    // sampling is random in each store: the store contract test covers it
    if (c.op === "setSample" || c.op === "setPop") continue;
    const expected = canonical(c.op, await run(model, c));
    const actual = canonical(c.op, await run(router, c));
    assert.deepEqual(actual, expected, `step ${i}: ${c.op}`);
    const access = OPERATIONS[c.op].access;
    if (access !== "read" && "ok" in actual) writes.push(c.op);
  }
  assert.deepEqual(changes, writes, "the hook saw every write, once");
}

Deno.test("router: three async stores behind a router agree with one store on random operations", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(command, { minLength: 1, maxLength: 80, size: "max" }),
      check,
    ),
    { seed: Number(Deno.env.get("CONTRACT_SEED") ?? 20261205), numRuns: 300 },
  );
});

Deno.test("router: getMany and flush reach every store; a flush is reported", async () => {
  const a = new MemoryStore();
  const b = new MemoryStore();
  const router = new Router((slot) => slot < SLOT_COUNT / 2 ? a : later(b));
  const seen: Change[] = [];
  router.onChange((c) => seen.push(c));
  const keys = Array.from(
    { length: 40 },
    (_, i) => new TextEncoder().encode(`k${i}`),
  );
  for (const key of keys) {
    await router.execute(1, "set", { key, value: key, ttlMs: 60_000 });
  }
  assert.ok(a.getMany(1, keys).some((v) => v !== undefined), "some in a");
  assert.ok(b.getMany(1, keys).some((v) => v !== undefined), "some in b");
  const values = await router.getMany(1, keys);
  assert.deepEqual(values.map((v) => hex(v as Uint8Array)), keys.map(hex));
  await router.flush(1);
  assert.deepEqual(await router.getMany(1, keys), keys.map(() => undefined));
  assert.equal(seen.at(-1)?.op, "flush");
  assert.equal(seen.length, keys.length + 1);
});
