/**
 * The process's open-file limit (RLIMIT_NOFILE): read it, and raise the soft
 * limit to the hard one at start, so a connection flood meets the largest
 * limit the system allows. Deno has no `setrlimit`, so this calls libc through
 * FFI (`-A` includes `--allow-ffi`); where that is not possible (another OS, no
 * FFI permission) it reports the limit as unknown and changes nothing.
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
  if (Deno.build.os !== "linux") return undefined;
  let lib;
  try {
    lib = Deno.dlopen(
      "libc.so.6",
      {
        getrlimit: { parameters: ["i32", "buffer"], result: "i32" },
        setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
      } as const,
    );
  } catch {
    return undefined;
  }
  try {
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
  } finally {
    lib.close();
  }
}
