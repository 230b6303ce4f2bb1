/**
 * {@linkcode JsonOut}: JSON text written straight as UTF-8 bytes, for the
 * pipeline's answer. A `get` hit whose value is printable ASCII (no `"`, no
 * `\`, no control character) is copied byte for byte: no string is made for
 * it, no `TextDecoder` call, no `JSON.stringify`. Everything else is
 * `JSON.stringify`'s text, so the bytes are exactly those of
 * `JSON.stringify` of the same values.
 *
 * One buffer is shared by every call (a request's answer is copied out by
 * `new Response`, as the Fetch standard requires for a BufferSource body).
 *
 * @example
 * ```ts
 * import { JsonOut } from "./json_out.ts";
 * const out = new JsonOut();
 * out.text('{"results":[');
 * out.hit(new TextEncoder().encode("ab"));
 * out.text("]}");
 * const text = new TextDecoder().decode(out.bytes());
 * if (text !== '{"results":[{"type":"Hit","value":"ab"}]}') throw new Error(text);
 * ```
 *
 * @module
 */

import { encodeWireBytes } from "../protocol/wire_bytes.ts";

const encoder = new TextEncoder();
const HIT_HEAD = encoder.encode('{"type":"Hit","value":"');
const HIT_TAIL = encoder.encode('"}');

let shared = new Uint8Array(64 * 1024);

/** 1 for the bytes a JSON string holds as they are: printable ASCII but `"` and `\`. */
const PLAIN = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b++) PLAIN[b] = b === 0x22 || b === 0x5c ? 0 : 1;

/**
 * True when `bytes` can stand in a JSON string as they are: printable ASCII
 * (0x20 to 0x7e) but `"` and `\`.
 *
 * @param bytes the bytes to check
 * @returns whether they need no escaping and no decoding
 */
export function isPlainJsonText(bytes: Uint8Array): boolean {
  const length = bytes.length;
  for (let i = 0; i < length; i++) if (PLAIN[bytes[i]!] === 0) return false;
  return true;
}

/**
 * A JSON document written as UTF-8 bytes into a buffer shared by every
 * instance: start one, write it, take {@linkcode JsonOut.bytes} and copy
 * them (`new Response` does) before starting the next.
 */
export class JsonOut {
  #buf: Uint8Array;
  #at = 0;

  constructor() {
    this.#buf = shared;
  }

  #room(n: number): Uint8Array {
    if (this.#at + n > this.#buf.length) {
      const bigger = new Uint8Array(
        Math.max(this.#buf.length * 2, this.#at + n),
      );
      bigger.set(this.#buf.subarray(0, this.#at));
      this.#buf = bigger;
      shared = bigger;
    }
    return this.#buf;
  }

  /** Appends JSON text as it is (the caller made it valid JSON). */
  text(text: string): void {
    const length = text.length;
    const buf = this.#room(length * 3);
    let at = this.#at;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) {
        at += encoder.encodeInto(text.slice(i), buf.subarray(at)).written;
        break;
      }
      buf[at++] = code;
    }
    this.#at = at;
  }

  /** Appends `JSON.stringify(value)` (`null` where it gives nothing). */
  value(value: unknown): void {
    this.text(JSON.stringify(value) ?? "null");
  }

  /** Appends a get's Hit: `{"type":"Hit","value":<WireBytes>}`. */
  hit(value: Uint8Array): void {
    if (!isPlainJsonText(value)) {
      this.value({ type: "Hit", value: encodeWireBytes(value) });
      return;
    }
    const buf = this.#room(HIT_HEAD.length + value.length + HIT_TAIL.length);
    let at = this.#at;
    buf.set(HIT_HEAD, at);
    at += HIT_HEAD.length;
    buf.set(value, at);
    at += value.length;
    buf.set(HIT_TAIL, at);
    this.#at = at + HIT_TAIL.length;
  }

  /** The bytes written so far: a view that the next `JsonOut` overwrites. */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#at);
  }
}
