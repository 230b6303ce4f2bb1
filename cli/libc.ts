/**
 * What kvolt asks of the C library, through FFI (Deno has neither call; `-A`
 * includes `--allow-ffi`); where FFI is not possible (another OS, no
 * permission) each reports that and changes nothing:
 *
 * - the open-file limit (RLIMIT_NOFILE): read it, and raise the soft limit to
 *   the hard one at start, so a connection flood meets the largest limit the
 *   system allows;
 * - `malloc_trim`: hand memory the allocator keeps after large request
 *   bodies are freed back to the system (glibc keeps freed body buffers in
 *   its heap: 37 MB of RSS after a run of 5 MB uploads here).
 *
 * @module
 */

/** The soft and hard open-file limits. */
export interface FdLimit {
  /** The limit in force (what `ulimit -n` shows). */
  soft: number;
  /** The most the soft limit may be raised to without privileges. */
  hard: number;
  /** True when this call raised the soft limit. */
  raised: boolean;
}

const RLIMIT_NOFILE = 7; // Linux

const SYMBOLS = {
  getrlimit: { parameters: ["i32", "buffer"], result: "i32" },
  setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
  malloc_trim: { parameters: ["usize"], result: "i32" },
} as const;

let libc: Deno.DynamicLibrary<typeof SYMBOLS> | undefined | null = null;

function open(): Deno.DynamicLibrary<typeof SYMBOLS> | undefined {
  if (libc !== null) return libc;
  if (Deno.build.os !== "linux") return libc = undefined;
  try {
    libc = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    libc = undefined;
  }
  return libc;
}

/**
 * A function that returns the allocator's free memory to the system, or
 * undefined where it cannot be called.
 */
export function mallocTrimmer(): (() => void) | undefined {
  const lib = open();
  if (lib === undefined) return undefined;
  return () => void lib.symbols.malloc_trim(0n);
}
// Above this, treat the hard limit as "unlimited" and cap the raise: a soft
// limit of 2^63 would make the kernel refuse, and no server needs more.
const MAX_RAISE = 1 << 20;

/**
 * Raises the soft RLIMIT_NOFILE to the hard limit (at most 2^20) and reports
 * both; undefined when the limit cannot be read here.
 *
 * @returns the limits, or undefined
 */
export function raiseFdLimit(): FdLimit | undefined {
  const lib = open();
  if (lib === undefined) return undefined;
  const buf = new BigUint64Array(2);
  const bytes = new Uint8Array(buf.buffer);
  if (lib.symbols.getrlimit(RLIMIT_NOFILE, bytes) !== 0) return undefined;
  const soft = Number(buf[0]);
  const hard = Number(buf[1]);
  const target = Math.min(hard, MAX_RAISE);
  if (soft >= target) return { soft, hard, raised: false };
  buf[0] = BigInt(target);
  if (lib.symbols.setrlimit(RLIMIT_NOFILE, bytes) !== 0) {
    return { soft, hard, raised: false };
  }
  return { soft: target, hard, raised: true };
}
