/**
 * JSON parsing that never holds the event loop for long: a large body is
 * parsed in pieces (each piece by the native `JSON.parse`), yielding to other
 * requests between pieces once a slice of work has run. Measured here,
 * `JSON.parse` takes 144 ms for a 9.5 MB pipeline and 477 ms for a 5.9 MB
 * object with 500k fields; in pieces of at most 64 KiB no single step takes
 * more than about a millisecond.
 *
 * How: a container (object or array) larger than the piece size is walked
 * member by member, down to {@linkcode MAX_SPLIT_DEPTH} levels; a member that
 * fits in a piece (found by a scan bounded to the piece size) is handed to
 * `JSON.parse` whole; strings and numbers are always parsed natively. The
 * result equals `JSON.parse(text)` for every valid text (a `__proto__` key is
 * an own property, as there), and invalid text throws a SyntaxError.
 *
 * A top-level object may also be checked against the fields it may have
 * (`allowedKeys`): the first other field is refused before anything after it
 * is built, so a body of 500k unknown fields costs one field's work.
 *
 * @module
 */

/** Bodies of at most this many characters are parsed in one `JSON.parse`. */
export const PIECE_CHARS = 64 * 1024;
/** Most work between two yields, ms. */
export const SLICE_MS = 5;
/** Containers are split down to this depth; deeper ones are parsed whole. */
export const MAX_SPLIT_DEPTH = 4;

/** Options of {@linkcode parseJsonSliced}. */
export interface SlicedParseOptions {
  /**
   * The fields a top-level object may have: another one throws what
   * `unknownKey` returns, before the rest of the body is parsed.
   */
  allowedKeys?: ReadonlySet<string>;
  /** The error for a field not in `allowedKeys`. */
  unknownKey?: (key: string) => Error;
}

/** Gives the event loop to other tasks (timers and I/O included). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Parses `text` as `JSON.parse` does, in slices (see the module doc).
 *
 * @param text JSON text
 * @param options top-level fields allowed
 * @returns the parsed value
 * @throws SyntaxError for invalid JSON; `unknownKey`'s error for a field not
 * allowed
 *
 * @example Same result as JSON.parse
 * ```ts
 * import { parseJsonSliced } from "./json_slices.ts";
 * const text = JSON.stringify({ ops: Array.from({ length: 5000 }, (_, i) => ({ i })) });
 * const parsed = await parseJsonSliced(text);
 * if (JSON.stringify(parsed) !== text) throw new Error("differs");
 * ```
 */
export async function parseJsonSliced(
  text: string,
  options: SlicedParseOptions = {},
): Promise<unknown> {
  if (text.length <= PIECE_CHARS && options.allowedKeys === undefined) {
    return JSON.parse(text);
  }
  const parser = new SlicedParser(text, options);
  const value = await parser.value(0);
  parser.end();
  return value;
}

/** An array whose elements are parsed when read (see {@linkcode lazyArrayField}). */
export interface LazyArray {
  readonly length: number;
  /** Parses and returns element `i`. */
  at(i: number): unknown;
}

/** The errors {@linkcode lazyArrayField} raises for a body of the wrong shape. */
export interface ArrayFieldErrors {
  /** The body is not an object. */
  notObject(): Error;
  /** The object has a field other than the array's. */
  unknownKey(key: string): Error;
  /** The field is missing or not an array. */
  notArray(): Error;
}

/**
 * For a body that must be an object whose only field is an array (a
 * pipeline's `{"ops": [...]}`): checks the whole text is valid JSON of that
 * shape, in slices, without keeping the elements built, and returns the
 * elements to be parsed one at a time when read. So a large pipeline never
 * holds all its entries at once: what a garbage collection must copy stays
 * small (building all 1000 entries of a 9.5 MB pipeline first made young
 * collections take 50-150 ms here).
 *
 * @param text JSON text
 * @param field the array's field
 * @param errors the errors for a body of another shape
 * @returns the elements, parsed when read
 * @throws SyntaxError for invalid JSON; an error of `errors` for another shape
 *
 * @example
 * ```ts
 * import { lazyArrayField } from "./json_slices.ts";
 * const errors = {
 *   notObject: () => new Error("object"),
 *   unknownKey: (k: string) => new Error(k),
 *   notArray: () => new Error("array"),
 * };
 * const ops = await lazyArrayField('{"ops":[{"a":1}, 2]}', "ops", errors);
 * if (ops.length !== 2 || (ops.at(0) as { a: number }).a !== 1) throw new Error();
 * ```
 */
export async function lazyArrayField(
  text: string,
  field: string,
  errors: ArrayFieldErrors,
): Promise<LazyArray> {
  const parser = new SlicedParser(text, {});
  const spans = await parser.arrayFieldSpans(field, errors);
  parser.end();
  return {
    length: spans.length / 2,
    at: (i) => JSON.parse(text.slice(spans[2 * i]!, spans[2 * i + 1]!)),
  };
}

class SlicedParser {
  readonly #text: string;
  readonly #options: SlicedParseOptions;
  #pos = 0;
  #sliceStart = performance.now();

  constructor(text: string, options: SlicedParseOptions) {
    this.#text = text;
    this.#options = options;
  }

  /** Whitespace only may follow the value. */
  end(): void {
    this.#ws();
    if (this.#pos !== this.#text.length) {
      this.#fail("unexpected data after the value");
    }
  }

  /** See {@linkcode lazyArrayField}: the element spans, as start, end pairs. */
  async arrayFieldSpans(
    field: string,
    errors: ArrayFieldErrors,
  ): Promise<number[]> {
    this.#ws();
    if (this.#peek() !== 123) {
      // Valid JSON of another kind, or invalid JSON: say which.
      await this.value(0);
      this.end();
      throw errors.notObject();
    }
    this.#pos++;
    this.#ws();
    let spans: number[] | undefined;
    if (this.#peek() !== 125) {
      for (;;) {
        this.#ws();
        if (this.#peek() !== 34) this.#fail("expected a field name");
        const keyEnd = this.#stringEnd(this.#pos);
        const key = JSON.parse(this.#text.slice(this.#pos, keyEnd)) as string;
        this.#pos = keyEnd;
        if (key !== field) throw errors.unknownKey(key);
        this.#ws();
        if (this.#peek() !== 58) this.#fail("expected ':'");
        this.#pos++;
        this.#ws();
        if (this.#peek() !== 91) {
          await this.value(1);
          throw errors.notArray();
        }
        // A repeated field: the last one wins, as in JSON.parse.
        spans = await this.#elementSpans();
        this.#ws();
        const next = this.#peek();
        this.#pos++;
        if (next === 125) break;
        if (next !== 44) this.#fail("expected ',' or '}'");
      }
    } else {
      this.#pos++;
    }
    if (spans === undefined) throw errors.notArray();
    return spans;
  }

  /** Each element of the array at pos, checked by parsing it, then dropped. */
  async #elementSpans(): Promise<number[]> {
    const spans: number[] = [];
    this.#pos++; // [
    this.#ws();
    if (this.#peek() === 93) {
      this.#pos++;
      return spans;
    }
    for (;;) {
      this.#ws();
      const start = this.#pos;
      await this.value(1);
      spans.push(start, this.#pos);
      this.#ws();
      const next = this.#peek();
      this.#pos++;
      if (next === 93) return spans;
      if (next !== 44) this.#fail("expected ',' or ']'");
    }
  }

  async value(depth: number): Promise<unknown> {
    this.#ws();
    const c = this.#text.charCodeAt(this.#pos);
    if (c !== 123 /* { */ && c !== 91 /* [ */) {
      return await this.#native(this.#scalarOrWholeEnd(this.#pos));
    }
    if (depth >= MAX_SPLIT_DEPTH) {
      return await this.#native(this.#scalarOrWholeEnd(this.#pos));
    }
    // A top-level object whose fields are checked is always walked.
    const checkKeys = depth === 0 && c === 123 &&
      this.#options.allowedKeys !== undefined;
    if (!checkKeys) {
      const end = this.#boundedEnd(this.#pos);
      if (end >= 0) return await this.#native(end);
    }
    return c === 123 ? await this.#object(depth) : await this.#array(depth);
  }

  async #object(depth: number): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    this.#pos++; // {
    this.#ws();
    if (this.#peek() === 125 /* } */) {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#ws();
      if (this.#peek() !== 34) this.#fail("expected a field name");
      const keyEnd = this.#stringEnd(this.#pos);
      const key = JSON.parse(this.#text.slice(this.#pos, keyEnd)) as string;
      this.#pos = keyEnd;
      if (depth === 0 && this.#options.allowedKeys !== undefined) {
        if (!this.#options.allowedKeys.has(key)) {
          throw this.#options.unknownKey?.(key) ??
            new SyntaxError(`Unknown field: ${key}`);
        }
      }
      this.#ws();
      if (this.#peek() !== 58 /* : */) this.#fail("expected ':'");
      this.#pos++;
      const value = await this.value(depth + 1);
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[key] = value;
      }
      await this.#maybeYield();
      this.#ws();
      const next = this.#peek();
      this.#pos++;
      if (next === 125) return out; // }
      if (next !== 44) this.#fail("expected ',' or '}'"); // ,
    }
  }

  async #array(depth: number): Promise<unknown[]> {
    const out: unknown[] = [];
    this.#pos++; // [
    this.#ws();
    if (this.#peek() === 93 /* ] */) {
      this.#pos++;
      return out;
    }
    for (;;) {
      out.push(await this.value(depth + 1));
      await this.#maybeYield();
      this.#ws();
      const next = this.#peek();
      this.#pos++;
      if (next === 93) return out; // ]
      if (next !== 44) this.#fail("expected ',' or ']'"); // ,
    }
  }

  /** Parses text[pos, end) natively and moves past it. */
  async #native(end: number): Promise<unknown> {
    const value = JSON.parse(this.#text.slice(this.#pos, end));
    this.#pos = end;
    await this.#maybeYield();
    return value;
  }

  async #maybeYield(): Promise<void> {
    if (performance.now() - this.#sliceStart < SLICE_MS) return;
    await yieldToEventLoop();
    this.#sliceStart = performance.now();
  }

  /**
   * The end of the container at `start` when it lies within PIECE_CHARS,
   * else -1 (scanning no further than that).
   */
  #boundedEnd(start: number): number {
    const text = this.#text;
    const limit = Math.min(text.length, start + PIECE_CHARS);
    let depth = 0;
    for (let i = start; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = this.#stringEnd(i) - 1;
        if (i >= limit) return -1;
      } else if (c === 123 || c === 91) {
        depth++;
      } else if (c === 125 || c === 93) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }

  /**
   * The end of a scalar at `start`, or of a container to parse whole (past
   * the split depth: JSON.parse finds its own errors).
   */
  #scalarOrWholeEnd(start: number): number {
    const text = this.#text;
    const c = text.charCodeAt(start);
    if (c === 34) return this.#stringEnd(start);
    if (c === 123 || c === 91) {
      let depth = 0;
      for (let i = start; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) i = this.#stringEnd(i) - 1;
        else if (d === 123 || d === 91) depth++;
        else if ((d === 125 || d === 93) && --depth === 0) return i + 1;
      }
      this.#fail("unterminated value");
    }
    let i = start;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      // , } ] and whitespace end a number or literal.
      if (d === 44 || d === 125 || d === 93 || d <= 32) break;
      i++;
    }
    if (i === start) this.#fail("expected a value");
    return i;
  }

  /** The index just past the string whose opening quote is at `start`. */
  #stringEnd(start: number): number {
    const text = this.#text;
    let i = start;
    for (;;) {
      i = text.indexOf('"', i + 1);
      if (i < 0) this.#fail("unterminated string");
      let backslashes = 0;
      while (text.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return i + 1;
    }
  }

  #ws(): void {
    const text = this.#text;
    let c = text.charCodeAt(this.#pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      c = text.charCodeAt(++this.#pos);
    }
  }

  #peek(): number {
    return this.#text.charCodeAt(this.#pos);
  }

  #fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.#pos}`);
  }
}
