/**
 * TEST-ONLY: what a store call came to, in a form two stores' answers can be
 * compared in (the contract tests).
 *
 * @module
 */

import { KvoltError } from "../protocol/errors.ts";

/** A result, or an expected error as `CODE` or `CODE/limit cause`. */
export type Outcome = { ok: unknown } | { error: string };

function failure(err: unknown): Outcome {
  if (!(err instanceof KvoltError)) throw err;
  return { error: `${err.code}${err.limit ? `/${err.limit}` : ""}` };
}

/** The outcome of a synchronous call. */
export function outcomeOf(call: () => unknown): Outcome {
  try {
    return { ok: call() };
  } catch (err) {
    return failure(err);
  }
}

/** The outcome of a call that may answer with a Promise. */
export async function settledOutcome(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (err) {
    return failure(err);
  }
}

const hex = (b: Uint8Array) =>
  [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** Fetches whose order is a store's own (dictionary fields, set elements), sorted. */
export function canonical(op: string, out: Outcome): Outcome {
  if (!("ok" in out)) return out;
  const r = out.ok as Record<string, unknown>;
  if (op === "dictionaryFetch" && r.type === "Hit") {
    const fields = [...(r.fields as { field: Uint8Array }[])];
    fields.sort((a, b) => hex(a.field) < hex(b.field) ? -1 : 1);
    return { ok: { ...r, fields } };
  }
  if (op === "setFetch" && r.type === "Hit") {
    const elements = [...(r.elements as Uint8Array[])].sort((a, b) =>
      hex(a) < hex(b) ? -1 : 1
    );
    return { ok: { ...r, elements } };
  }
  return out;
}
