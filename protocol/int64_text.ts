/**
 * Increments of int64 values stored as base-10 text (Momento's increment).
 *
 * @example
 * ```ts
 * import { addInt64 } from "./int64_text.ts";
 * const next = addInt64("increment", new TextEncoder().encode("41"), 1);
 * if (next.value !== 42) throw new Error("bad sum");
 * ```
 *
 * @module
 */
import { ErrorCode, KvoltError } from "./errors.ts";

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const TEXT = /^[+-]?[0-9]+$/;

/**
 * `current` (int64 text; undefined counts as 0) plus `amount`. Throws
 * INVALID_ARGUMENT_ERROR for a non-integer amount, FAILED_PRECONDITION_ERROR
 * for text that is not an int64 or a sum that overflows.
 *
 * @returns the sum as a number and as the text to store
 */
export function addInt64(
  op: string,
  current: Uint8Array | undefined,
  amount: number,
): { value: number; text: Uint8Array } {
  if (!Number.isInteger(amount)) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Cannot run ${op}: amount must be an integer: received ${amount}`,
    );
  }
  let base = 0n;
  if (current !== undefined) {
    const text = String.fromCharCode(...current.subarray(0, 64));
    if (current.length > 64 || !TEXT.test(text)) {
      throw new KvoltError(
        ErrorCode.FAILED_PRECONDITION,
        `Cannot run ${op}: the stored value is not a base-10 int64`,
      );
    }
    base = BigInt(text);
  }
  const next = base + BigInt(amount);
  if (base < MIN || base > MAX || next < MIN || next > MAX) {
    throw new KvoltError(
      ErrorCode.FAILED_PRECONDITION,
      `Cannot run ${op}: the result overflows int64`,
    );
  }
  return {
    value: Number(next),
    text: new TextEncoder().encode(next.toString()),
  };
}
