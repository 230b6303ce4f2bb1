// A ring: a FIFO log of items packed back to back in [start, end).
// Items are written at `head` and leave at `tail`, so the order of the log is
// the FIFO order S3-FIFO needs, with no per-item links.
//
//   not wrapped:  [start .. tail ==== head .. end)        items in [tail, head)
//   wrapped:      [start ==== head .. tail ==== wrap .. end)
//                 items in [tail, wrap) then [start, head); [wrap, end) is unused
//
// A ring is 6 u32 fields in the header (H_SMALL, H_MAIN).

export const R_START: usize = 0;

export const R_END: usize = 4;

export const R_HEAD: usize = 8;

export const R_TAIL: usize = 12;

export const R_WRAP: usize = 16;

export const R_WRAPPED: usize = 20;

export function rget(r: usize, f: usize): usize {
  return <usize> load<u32>(r + f);
}

export function rset(r: usize, f: usize, v: usize): void {
  store<u32>(r + f, <u32> v);
}

export function ringInit(r: usize, start: usize, end: usize): void {
  rset(r, R_START, start);
  rset(r, R_END, end);
  rset(r, R_HEAD, start);
  rset(r, R_TAIL, start);
  rset(r, R_WRAP, end);
  rset(r, R_WRAPPED, 0);
}

export function ringEmpty(r: usize): bool {
  return rget(r, R_WRAPPED) == 0 && rget(r, R_HEAD) == rget(r, R_TAIL);
}

export function ringCapacity(r: usize): usize {
  return rget(r, R_END) - rget(r, R_START);
}

/** Bytes between tail and head, dead items included. */
export function ringOccupied(r: usize): usize {
  const head = rget(r, R_HEAD);
  const tail = rget(r, R_TAIL);
  if (rget(r, R_WRAPPED) == 0) return head - tail;
  return rget(r, R_WRAP) - tail + head - rget(r, R_START);
}

/** Takes n contiguous bytes at the head if they are free; 0 if eviction is needed. */
export function ringTryReserve(r: usize, n: usize): usize {
  const start = rget(r, R_START);
  let head = rget(r, R_HEAD);
  const tail = rget(r, R_TAIL);
  if (rget(r, R_WRAPPED) == 0) {
    if (head == tail && head != start) {
      // empty: restart at the beginning so the whole ring is contiguous
      head = start;
      rset(r, R_TAIL, start);
    }
    if (rget(r, R_END) - head >= n) {
      rset(r, R_HEAD, head + n);
      return head;
    }
    if (tail - start >= n) {
      rset(r, R_WRAP, head);
      rset(r, R_WRAPPED, 1);
      rset(r, R_HEAD, start + n);
      return start;
    }
    return 0;
  }
  if (tail - head >= n) {
    rset(r, R_HEAD, head + n);
    return head;
  }
  return 0;
}

/** Drops the tail item of size n from the log (its bytes become free). */
export function ringAdvance(r: usize, n: usize): void {
  const tail = rget(r, R_TAIL) + n;
  if (rget(r, R_WRAPPED) != 0) {
    if (tail >= rget(r, R_WRAP)) {
      rset(r, R_TAIL, rget(r, R_START));
      rset(r, R_WRAPPED, 0);
      rset(r, R_WRAP, rget(r, R_END));
      return;
    }
  } else if (tail == rget(r, R_HEAD)) {
    const start = rget(r, R_START);
    rset(r, R_TAIL, start);
    rset(r, R_HEAD, start);
    return;
  }
  rset(r, R_TAIL, tail);
}
