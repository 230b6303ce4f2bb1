/**
 * Bytes in and out of a peer frame: {@linkcode Writer} appends to a growing
 * buffer, {@linkcode Reader} reads one frame and turns any overrun into
 * {@linkcode corrupt}'s KvoltError. Numbers are f64 little-endian, lengths
 * and counts LEB128 varints, byte strings a length and the bytes (read back
 * as views of the frame).
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";

/** Appends to a growing buffer. */
export class Writer {
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
export class Reader {
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

  /** Bytes not read yet. */
  get left(): number {
    return this.#buf.length - this.#at;
  }

  end(): void {
    if (this.#at !== this.#buf.length) throw corrupt("bytes after the end");
  }
}

export function corrupt(why: string): KvoltError {
  return new KvoltError(
    ErrorCode.INTERNAL_SERVER,
    `Cannot read a peer frame: ${why}`,
  );
}
