/**
 * The binary codec of the peer protocol, derived from the operation
 * catalogue: each operation's argument and result schemas are compiled once
 * into a writer and a reader, so a frame carries values only, no field names
 * or type tags. Both ends compile the same catalogue, so they agree on the
 * layout (a rolling upgrade must keep the catalogue's order and shapes, or
 * bump the peer protocol's version).
 *
 * How each schema node is written:
 *
 * | zod node                      | bytes                                         |
 * | ----------------------------- | --------------------------------------------- |
 * | bytes (the wire-bytes pipe)   | varint length, the bytes                      |
 * | number                        | f64 LE                                        |
 * | boolean                       | 1 byte                                        |
 * | string                        | varint length, UTF-8                          |
 * | literal                       | nothing (the schema knows it)                 |
 * | enum                          | varint index of the value                     |
 * | optional                      | 1 byte present (0/1), then the value          |
 * | array                         | varint count, each item                       |
 * | object                        | each field of the shape, in order             |
 * | discriminated union           | varint index of the option, then the object   |
 *
 * @example The arguments of a set: 12 bytes for a 1-byte key and value
 * ```ts
 * import { argsCodec } from "./peer_codec.ts";
 * import { Reader, Writer } from "./frame_io.ts";
 * const key = new TextEncoder().encode("k");
 * const w = new Writer();
 * argsCodec("set").write(w, { key, value: key, ttlMs: 1000 });
 * const bytes = w.done();
 * if (bytes.length !== 12) throw new Error(`${bytes.length}`);
 * const back = argsCodec("set").read(new Reader(bytes)) as { ttlMs: number };
 * if (back.ttlMs !== 1000) throw new Error("changed");
 * ```
 *
 * @module
 */

import type { z } from "zod";
import { CATALOGUE, OP_NAMES, type OpName } from "./catalogue.ts";
import { corrupt, type Reader, type Writer } from "./frame_io.ts";
import { defOf, type ZodDef } from "./schema_walk.ts";

/** Writes and reads one schema's values. */
export interface Codec {
  write(w: Writer, value: unknown): void;
  read(r: Reader): unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

const BYTES: Codec = {
  write: (w, v) => w.bytes(v as Uint8Array),
  read: (r) => r.bytes(),
};
const NUMBER: Codec = {
  write: (w, v) => w.f64(v as number),
  read: (r) => r.f64(),
};
const BOOLEAN: Codec = {
  write: (w, v) => w.byte(v ? 1 : 0),
  read: (r) => {
    const b = r.byte();
    if (b > 1) throw corrupt("a boolean is not 0 or 1");
    return b === 1;
  },
};
const STRING: Codec = {
  write: (w, v) => w.bytes(encoder.encode(v as string)),
  read: (r) => {
    try {
      return decoder.decode(r.bytes());
    } catch {
      throw corrupt("text is not UTF-8");
    }
  },
};

/**
 * The codec of a schema (see the module doc for the layout).
 *
 * @param schema a schema of the catalogue
 * @throws Error at compile time for a node the codec does not know, so a new
 * kind of schema cannot silently go unencoded
 */
export function compileCodec(schema: z.ZodType): Codec {
  const def = defOf(schema);
  switch (def.type) {
    case "pipe":
      // the only pipes of the catalogue: WireBytes -> Uint8Array
      return BYTES;
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "string":
      return STRING;
    case "literal": {
      const value = def.values![0];
      return { write: () => {}, read: () => value };
    }
    case "enum":
      return indexed(Object.values(def.entries!));
    case "optional": {
      const inner = compileCodec(def.innerType!);
      return {
        write: (w, v) => {
          w.byte(v === undefined ? 0 : 1);
          if (v !== undefined) inner.write(w, v);
        },
        read: (r) => (r.byte() === 1 ? inner.read(r) : undefined),
      };
    }
    case "array": {
      const item = compileCodec(def.element!);
      return {
        write: (w, v) => {
          const list = v as unknown[];
          w.varint(list.length);
          for (const x of list) item.write(w, x);
        },
        read: (r) => {
          const n = r.varint();
          // every item takes at least one byte: a damaged count cannot spin
          if (n > r.left) throw corrupt("a count is larger than the frame");
          const out: unknown[] = [];
          for (let i = 0; i < n; i++) out.push(item.read(r));
          return out;
        },
      };
    }
    case "object":
      return objectCodec(def.shape!);
    case "union":
      return unionCodec(def);
  }
  throw new Error(`peer codec: no layout for a zod ${def.type}`);
}

function indexed(values: readonly unknown[]): Codec {
  return {
    write: (w, v) => w.varint(values.indexOf(v)),
    read: (r) => {
      const i = r.varint();
      if (i >= values.length) throw corrupt("an unknown enum value");
      return values[i];
    },
  };
}

function objectCodec(shape: Record<string, z.ZodType>): Codec {
  const fields = Object.entries(shape).map(([name, s]) =>
    [name, compileCodec(s)] as const
  );
  return {
    write: (w, v) => {
      const o = v as Record<string, unknown>;
      for (const [name, codec] of fields) codec.write(w, o[name]);
    },
    read: (r) => {
      const o: Record<string, unknown> = {};
      for (const [name, codec] of fields) {
        const x = codec.read(r);
        if (x !== undefined) o[name] = x;
      }
      return o;
    },
  };
}

function unionCodec(def: ZodDef): Codec {
  const key = def.discriminator;
  if (key === undefined) {
    throw new Error("peer codec: only discriminated unions have a layout");
  }
  const options = def.options!.map((o) => ({
    tag: defOf(defOf(o).shape![key]!).values![0],
    codec: compileCodec(o),
  }));
  return {
    write: (w, v) => {
      const tag = (v as Record<string, unknown>)[key];
      const i = options.findIndex((o) => o.tag === tag);
      if (i < 0) throw new TypeError(`peer codec: no option ${String(tag)}`);
      w.varint(i);
      options[i]!.codec.write(w, v);
    },
    read: (r) => {
      const option = options[r.varint()];
      if (option === undefined) throw corrupt("an unknown union option");
      return option.codec.read(r);
    },
  };
}

const ARGS = new Map<OpName, Codec>();
const RESULTS = new Map<OpName, Codec>();
for (const op of OP_NAMES) {
  ARGS.set(op, compileCodec(CATALOGUE[op].args));
  RESULTS.set(op, compileCodec(CATALOGUE[op].result));
}

/** The codec of an operation's arguments. */
export function argsCodec(op: OpName): Codec {
  return ARGS.get(op)!;
}

/** The codec of an operation's result. */
export function resultCodec(op: OpName): Codec {
  return RESULTS.get(op)!;
}
