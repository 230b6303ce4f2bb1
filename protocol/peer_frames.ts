/**
 * The frames of the peer protocol: a store call and its answer as bytes, so
 * that a store in a Worker or on another node answers exactly what a local
 * one would. {@linkcode encodeRequest} / {@linkcode decodeRequest} carry a
 * call of the store contract (`store.ts`), {@linkcode encodeReply} /
 * {@linkcode decodeReply} its answer or its `KvoltError`.
 *
 * Layout (varint = LEB128; an operation is its index in the catalogue's
 * order; arguments and results are written by the codec derived from the
 * catalogue, `peer_codec.ts`):
 *
 * ```text
 * request: 0 execute   varint cacheId, varint op, args
 *          1 getMany   varint cacheId, varint count, count x (varint len, key)
 *          2 flush     varint cacheId
 *          3 replicate varint cacheId, varint op, args (a primary's write, for
 *                      a replica of its slots, or a node receiving them)
 *          4 begin     varint topology version, varint count, count x varint
 *                      slot (a slot move starts: the receiver drops them)
 * reply:   0 result    varint op, result
 *          1 values    varint count, count x (0 miss | 1 varint len, bytes | 2 error)
 *          2 error     error
 *          3 done      (a flush)
 *          4 moved     varint topology version (the slot is not the node's)
 * error:   code, message, cause or detail (each varint len + UTF-8), 1 byte: is a limit cause
 * ```
 *
 * Decoded byte strings are views of the frame.
 *
 * @module
 */

import { ErrorCode, KvoltError, type LimitCause } from "./errors.ts";
import { OP_NAMES, type OpName } from "./catalogue.ts";
import { corrupt, Reader, Writer } from "./frame_io.ts";
import { argsCodec, resultCodec } from "./peer_codec.ts";
import type { ReadResult } from "./store.ts";
import { MovedError } from "./topology.ts";
import { SLOT_COUNT } from "./slots.ts";

/** A call of the store contract. */
export type StoreRequest =
  | { kind: "execute" | "replicate"; cacheId: number; op: OpName; args: object }
  | { kind: "getMany"; cacheId: number; keys: readonly Uint8Array[] }
  | { kind: "flush"; cacheId: number }
  | { kind: "begin"; version: number; slots: readonly number[] };

/** What a store answered. */
export type StoreReply =
  | { kind: "result"; op: OpName; value: unknown }
  | { kind: "values"; values: readonly ReadResult[] }
  | { kind: "error"; error: KvoltError }
  | { kind: "done" };

const KINDS = ["execute", "getMany", "flush", "replicate", "begin"] as const;
const REPLIES = ["result", "values", "error", "done", "moved"] as const;
const OP_INDEX = new Map(OP_NAMES.map((op, i) => [op, i]));
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function text(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw corrupt("text is not UTF-8");
  }
}

function readOp(r: Reader): OpName {
  const op = OP_NAMES[r.varint()];
  if (op === undefined) throw corrupt("unknown operation");
  return op;
}

function writeError(w: Writer, e: KvoltError): void {
  w.bytes(encoder.encode(e.code));
  w.bytes(encoder.encode(e.message));
  w.bytes(encoder.encode(e.limit ?? e.detail ?? ""));
  w.byte(e.limit !== undefined ? 1 : 0);
}

function readError(r: Reader): KvoltError {
  const code = text(r.bytes());
  const message = text(r.bytes());
  const extra = text(r.bytes());
  const isLimit = r.byte() === 1;
  if (!Object.values(ErrorCode).includes(code as ErrorCode)) {
    throw corrupt(`unknown error code ${code.slice(0, 40)}`);
  }
  if (isLimit) {
    return new KvoltError(code as ErrorCode, message, extra as LimitCause);
  }
  return extra === ""
    ? new KvoltError(code as ErrorCode, message)
    : new KvoltError(code as ErrorCode, message, undefined, extra);
}

/**
 * A store call as bytes.
 *
 * @example Round trip
 * ```ts
 * import { decodeRequest, encodeRequest } from "./peer_frames.ts";
 * const key = new TextEncoder().encode("k");
 * const req = decodeRequest(encodeRequest({ kind: "execute", cacheId: 7, op: "get", args: { key } }));
 * if (req.kind !== "execute" || req.op !== "get" || req.cacheId !== 7) throw new Error();
 * ```
 */
export function encodeRequest(req: StoreRequest): Uint8Array {
  const w = new Writer();
  w.byte(KINDS.indexOf(req.kind));
  if (req.kind === "begin") {
    w.varint(req.version);
    w.varint(req.slots.length);
    for (const s of req.slots) w.varint(s);
    return w.done();
  }
  w.varint(req.cacheId);
  if (req.kind === "execute" || req.kind === "replicate") {
    w.varint(OP_INDEX.get(req.op)!);
    argsCodec(req.op).write(w, req.args);
  } else if (req.kind === "getMany") {
    w.varint(req.keys.length);
    for (const key of req.keys) w.bytes(key);
  }
  return w.done();
}

/** The store call of a frame; a corrupt frame is INTERNAL_SERVER_ERROR. */
export function decodeRequest(bytes: Uint8Array): StoreRequest {
  const r = new Reader(bytes);
  const kind = KINDS[r.byte()];
  if (kind === "begin") {
    const version = r.varint();
    const n = r.varint();
    if (n > r.left) throw corrupt("a count is larger than the frame");
    const slots: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = r.varint();
      if (s >= SLOT_COUNT) throw corrupt("a slot out of range");
      slots.push(s);
    }
    r.end();
    return { kind, version, slots };
  }
  const cacheId = r.varint();
  let req: StoreRequest;
  if (kind === "execute" || kind === "replicate") {
    const op = readOp(r);
    req = { kind, cacheId, op, args: argsCodec(op).read(r) as object };
  } else if (kind === "getMany") {
    const n = r.varint();
    if (n > r.left) throw corrupt("a count is larger than the frame");
    const keys: Uint8Array[] = [];
    for (let i = 0; i < n; i++) keys.push(r.bytes());
    req = { kind, cacheId, keys };
  } else if (kind === "flush") {
    req = { kind, cacheId };
  } else {
    throw corrupt("unknown call");
  }
  r.end();
  return req;
}

/** A store's answer as bytes. */
export function encodeReply(reply: StoreReply): Uint8Array {
  const w = new Writer();
  if (reply.kind === "error" && reply.error instanceof MovedError) {
    w.byte(REPLIES.indexOf("moved"));
    w.varint(reply.error.version);
    return w.done();
  }
  w.byte(REPLIES.indexOf(reply.kind));
  switch (reply.kind) {
    case "result":
      w.varint(OP_INDEX.get(reply.op)!);
      resultCodec(reply.op).write(w, reply.value);
      break;
    case "values":
      w.varint(reply.values.length);
      for (const v of reply.values) {
        if (v === undefined) w.byte(0);
        else if (v instanceof Uint8Array) {
          w.byte(1);
          w.bytes(v);
        } else {
          w.byte(2);
          writeError(w, v);
        }
      }
      break;
    case "error":
      writeError(w, reply.error);
      break;
  }
  return w.done();
}

/** The answer of a frame; a corrupt frame is INTERNAL_SERVER_ERROR. */
export function decodeReply(bytes: Uint8Array): StoreReply {
  const r = new Reader(bytes);
  const kind = REPLIES[r.byte()];
  let reply: StoreReply;
  if (kind === "result") {
    const op = readOp(r);
    reply = { kind, op, value: resultCodec(op).read(r) };
  } else if (kind === "values") {
    const n = r.varint();
    if (n > r.left) throw corrupt("a count is larger than the frame");
    const values: ReadResult[] = [];
    for (let i = 0; i < n; i++) {
      const tag = r.byte();
      if (tag === 0) values.push(undefined);
      else if (tag === 1) values.push(r.bytes());
      else if (tag === 2) values.push(readError(r));
      else throw corrupt("an unknown read result");
    }
    reply = { kind, values };
  } else if (kind === "error") {
    reply = { kind, error: readError(r) };
  } else if (kind === "done") {
    reply = { kind };
  } else if (kind === "moved") {
    reply = { kind: "error", error: new MovedError(r.varint()) };
  } else {
    throw corrupt("unknown answer");
  }
  r.end();
  return reply;
}
