// The extension region: memory above the arena, grown on demand and never
// counted in the budget. A collection call uses it for what does not fit the
// 64 KiB scratch region: large arguments from the host, results on their way
// to the host, and the compacted copy of a collection being relocated. Its
// allocations live for one call (a bump pointer reset at the call's start).
//
//   ARENA END (16-aligned) = H_EXT
//   [ arguments too large for scratch | call temporaries ... ] grows upwards

import { h32, H_EXT, H_EXT_TOP, setH32 } from "./layout";

export function extStart(): usize {
  return <usize> h32(H_EXT);
}

/** Makes memory addressable up to `end`; false when it cannot grow. */
export function extEnsure(end: usize): bool {
  if (end > <usize> 0xffff_0000) return false;
  const pages = <i32> ((end + 0xffff) >> 16);
  const have = memory.size();
  return pages <= have || memory.grow(pages - have) >= 0;
}

/** Starts a call's temporaries at `from`. */
export function tmpReset(from: usize): void {
  setH32(H_EXT_TOP, <u32> ((from + 15) & ~(<usize> 15)));
}

/** n bytes for the rest of the call (16-aligned), or 0 when memory cannot grow. */
export function tmpAlloc(n: usize): usize {
  const p = <usize> h32(H_EXT_TOP);
  const end = (p + n + 15) & ~(<usize> 15);
  if (end < p || !extEnsure(end)) return 0;
  setH32(H_EXT_TOP, <u32> end);
  return p;
}
