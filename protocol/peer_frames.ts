/**
 * The frames of the peer protocol: a store call and its answer as bytes, so
 * that a store in a Worker or on another node answers exactly what a local
 * one would. {@linkcode encodeRequest} / {@linkcode decodeRequest} carry a
 * call of the store contract (`store.ts`), {@linkcode encodeReply} /
 * {@linkcode decodeReply} its answer or its `KvoltError`.
 *
 * Values are written by {@linkcode writeValue}: a tag byte, then the value
 * (numbers as f64, lengths as LEB128 varints, bytes raw). Decoded byte
 * strings are views of the frame.
 *
 * @module
 */

import { ErrorCode, KvoltError, type LimitCause } from "./errors.ts";
import { OPERATIONS, type OpName } from "./operations.ts";
import type { ReadResult } from "./store.ts";

/** A call of the store contract. */
export type StoreRequest =
  | { kind: "execute"; cacheId: number; op: OpName; args: object }
  | { kind: "getMany"; cacheId: number; keys: readonly Uint8Array[] }
  | { kind: "flush"; cacheId: number };

/** What a store answered. */
export type StoreReply =
  | { kind: "result"; value: unknown }
  | { kind: "values"; values: readonly ReadResult[] }
  | { kind: "error"; error: KvoltError };

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Number = 4,
  String = 5,
  Bytes = 6,
  Array = 7,
  Object = 8,
  Error = 9,
}

const KINDS = ["execute", "getMany", "flush"] as const;
const REPLIES = ["result", "values", "error"] as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Appends to a growing buffer. */
class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #at = 0;

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#at));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#at++] = b;
  }

  varint(n: number): void {
    this.#room(8);
    while (n >= 0x80) {
      this.#buf[this.#at++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.#buf[this.#at++] = n;
  }

  f64(n: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#at, n, true);
    this.#at += 8;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  done(): Uint8Array {
    return this.#buf.subarray(0, this.#at);
  }
}

/** Reads a frame; any overrun or unknown tag is a corrupt frame. */
class Reader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #need(n: number): void {
    if (this.#at + n > this.#buf.length) throw corrupt("truncated");
  }

  byte(): number {
    this.#need(1);
    return this.#buf[this.#at++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
    throw corrupt("a length is too long");
  }

  f64(): number {
    this.#need(8);
    const n = this.#view.getFloat64(this.#at, true);
    this.#at += 8;
    return n;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    this.#need(n);
    const out = this.#buf.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  end(): void {
    if (this.#at !== this.#buf.length) throw corrupt("bytes after the end");
  }
}

function corrupt(why: string): KvoltError {
  return new KvoltError(
    ErrorCode.INTERNAL_SERVER,
    `Cannot read a peer frame: ${why}`,
  );
}

/**
 * Writes any value of the catalogue's arguments and results: undefined,
 * null, booleans, numbers, strings, bytes, arrays, plain objects, and
 * `KvoltError`s.
 */
function writeValue(w: Writer, v: unknown): void {
  if (v === undefined) return w.byte(Tag.Undefined);
  if (v === null) return w.byte(Tag.Null);
  switch (typeof v) {
    case "boolean":
      return w.byte(v ? Tag.True : Tag.False);
    case "number":
      w.byte(Tag.Number);
      return w.f64(v);
    case "string":
      w.byte(Tag.String);
      return w.bytes(encoder.encode(v));
  }
  if (v instanceof Uint8Array) {
    w.byte(Tag.Bytes);
    return w.bytes(v);
  }
  if (v instanceof KvoltError) {
    w.byte(Tag.Error);
    w.bytes(encoder.encode(v.code));
    w.bytes(encoder.encode(v.message));
    w.bytes(encoder.encode(v.limit ?? v.detail ?? ""));
    return w.byte(v.limit !== undefined ? 1 : 0);
  }
  if (Array.isArray(v)) {
    w.byte(Tag.Array);
    w.varint(v.length);
    for (const item of v) writeValue(w, item);
    return;
  }
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter((
      [, x],
    ) => x !== undefined);
    w.byte(Tag.Object);
    w.varint(entries.length);
    for (const [k, x] of entries) {
      w.bytes(encoder.encode(k));
      writeValue(w, x);
    }
    return;
  }
  throw new TypeError(`Cannot write a peer frame: a ${typeof v} value`);
}

function readValue(r: Reader, depth = 0): unknown {
  if (depth > 64) throw corrupt("nested too deep");
  const tag = r.byte();
  switch (tag) {
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Number:
      return r.f64();
    case Tag.String:
      return text(r.bytes());
    case Tag.Bytes:
      return r.bytes();
    case Tag.Error: {
      const code = text(r.bytes());
      const message = text(r.bytes());
      const extra = text(r.bytes());
      const isLimit = r.byte() === 1;
      if (!Object.values(ErrorCode).includes(code as ErrorCode)) {
        throw corrupt(`unknown error code ${code.slice(0, 40)}`);
      }
      if (isLimit) {
        return new KvoltError(
          code as ErrorCode,
          message,
          extra as LimitCause,
        );
      }
      return extra === ""
        ? new KvoltError(code as ErrorCode, message)
        : new KvoltError(code as ErrorCode, message, undefined, extra);
    }
    case Tag.Array: {
      const n = r.varint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case Tag.Object: {
      const n = r.varint();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = text(r.bytes());
        if (key === "__proto__") throw corrupt("a forbidden field name");
        out[key] = readValue(r, depth + 1);
      }
      return out;
    }
  }
  throw corrupt(`unknown tag ${tag}`);
}

function text(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw corrupt("text is not UTF-8");
  }
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
  w.varint(req.cacheId);
  if (req.kind === "execute") {
    w.bytes(encoder.encode(req.op));
    writeValue(w, req.args);
  } else if (req.kind === "getMany") {
    writeValue(w, req.keys);
  }
  return w.done();
}

/** The store call of a frame; a corrupt frame is INTERNAL_SERVER_ERROR. */
export function decodeRequest(bytes: Uint8Array): StoreRequest {
  const r = new Reader(bytes);
  const kind = KINDS[r.byte()];
  const cacheId = r.varint();
  let req: StoreRequest;
  if (kind === "execute") {
    const op = text(r.bytes());
    if (!Object.hasOwn(OPERATIONS, op)) throw corrupt(`unknown operation`);
    const args = readValue(r);
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      throw corrupt("arguments are not an object");
    }
    req = { kind, cacheId, op: op as OpName, args };
  } else if (kind === "getMany") {
    const keys = readValue(r);
    if (!Array.isArray(keys) || !keys.every((k) => k instanceof Uint8Array)) {
      throw corrupt("keys are not a list of bytes");
    }
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
  w.byte(REPLIES.indexOf(reply.kind));
  writeValue(
    w,
    reply.kind === "result"
      ? reply.value
      : reply.kind === "values"
      ? reply.values
      : reply.error,
  );
  return w.done();
}

/** The answer of a frame; a corrupt frame is INTERNAL_SERVER_ERROR. */
export function decodeReply(bytes: Uint8Array): StoreReply {
  const r = new Reader(bytes);
  const kind = REPLIES[r.byte()];
  const value = readValue(r);
  r.end();
  if (kind === "result") return { kind, value };
  if (kind === "values" && Array.isArray(value)) {
    return { kind, values: value as ReadResult[] };
  }
  if (kind === "error" && value instanceof KvoltError) {
    return { kind, error: value };
  }
  throw corrupt("unknown answer");
}
