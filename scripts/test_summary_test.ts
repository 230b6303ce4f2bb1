import assert from "node:assert/strict";
import {
  formatCounts,
  parseDenoTestSummary,
  settleCounts,
} from "./test_summary.ts";

Deno.test("parseDenoTestSummary reads ok and FAILED summaries, colours and steps", () => {
  assert.deepEqual(
    parseDenoTestSummary(
      "x ... ok\n\x1b[0m\x1b[32mok\x1b[0m | 12 passed (3 steps) | 0 failed \x1b[0m\x1b[38;5;245m(357ms)\x1b[0m\n",
    ),
    { passed: 12, failed: 0, skipped: 0 },
  );
  assert.deepEqual(
    parseDenoTestSummary("FAILED | 11 passed | 2 failed | 1 ignored (2s)"),
    { passed: 11, failed: 2, skipped: 1 },
  );
  assert.equal(parseDenoTestSummary("error: Type checking failed."), undefined);
});

Deno.test("settleCounts counts a crash without summary as a failure", () => {
  assert.deepEqual(settleCounts(undefined, 1), {
    passed: 0,
    failed: 1,
    skipped: 0,
  });
  assert.deepEqual(settleCounts({ passed: 3, failed: 0, skipped: 0 }, 1), {
    passed: 3,
    failed: 1,
    skipped: 0,
  });
  assert.deepEqual(settleCounts({ passed: 3, failed: 0, skipped: 0 }, 0), {
    passed: 3,
    failed: 0,
    skipped: 0,
  });
});

Deno.test("formatCounts prints the plain line", () => {
  assert.equal(
    formatCounts({ passed: 5, failed: 0, skipped: 0 }),
    "5 passed, 0 failed",
  );
  assert.equal(
    formatCounts({ passed: 5, failed: 1, skipped: 2 }),
    "5 passed, 1 failed, 2 skipped",
  );
});
