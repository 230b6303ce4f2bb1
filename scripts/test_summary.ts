/**
 * Reads the closing summary of a test runner's output, so `deno task test` can
 * print one plain `N passed, N failed` line for every suite it runs.
 *
 * @module
 */

/** Counts of one suite, or of all suites added up. */
export interface TestCounts {
  /** Tests that passed. */
  passed: number;
  /** Tests that failed (a crashed run with no summary counts as one). */
  failed: number;
  /** Tests that were ignored or skipped. */
  skipped: number;
}

// deno test: "ok | 12 passed (3 steps) | 0 failed | 1 ignored (2s)"
//        or: "FAILED | 11 passed | 1 failed (2s)"
const DENO_SUMMARY =
  /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \(\d+ steps?\))?(?: \| (\d+) ignored(?: \(\d+ steps?\))?)?/;

/**
 * Removes ANSI colour codes.
 *
 * @param text coloured text
 */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * The counts from `deno test` output (the last summary line wins), or
 * undefined when there is none (the run crashed or failed type-checking).
 *
 * @param output everything the run printed
 *
 * @example
 * ```ts
 * import { parseDenoTestSummary } from "./test_summary.ts";
 * const counts = parseDenoTestSummary("ok | 3 passed | 0 failed | 1 ignored (5ms)");
 * if (counts?.passed !== 3 || counts.skipped !== 1) throw new Error();
 * ```
 */
export function parseDenoTestSummary(output: string): TestCounts | undefined {
  let counts: TestCounts | undefined;
  for (const line of stripAnsi(output).split(/\r?\n/)) {
    const match = DENO_SUMMARY.exec(line.trim());
    if (match) {
      counts = {
        passed: Number(match[1]),
        failed: Number(match[2]),
        skipped: Number(match[3] ?? 0),
      };
    }
  }
  return counts;
}

/**
 * The counts from `node --test --test-reporter=tap` output (its closing
 * `# pass N`, `# fail N`, `# cancelled N`, `# skipped N` and `# todo N`
 * lines; cancelled tests count as failed), or undefined when there are none.
 *
 * @param output everything the run printed
 *
 * @example
 * ```ts
 * import { parseNodeTestSummary } from "./test_summary.ts";
 * const counts = parseNodeTestSummary("# pass 2\n# fail 1\n# cancelled 0\n# skipped 1");
 * if (counts?.passed !== 2 || counts.failed !== 1 || counts.skipped !== 1) throw new Error();
 * ```
 */
export function parseNodeTestSummary(output: string): TestCounts | undefined {
  const field = (name: string) => {
    const all = [
      ...stripAnsi(output).matchAll(
        new RegExp(`^# ${name} (\\d+)\\s*$`, "gm"),
      ),
    ];
    const last = all.at(-1);
    return last ? Number(last[1]) : undefined;
  };
  const passed = field("pass");
  const failed = field("fail");
  if (passed === undefined || failed === undefined) return undefined;
  return {
    passed,
    failed: failed + (field("cancelled") ?? 0),
    skipped: (field("skipped") ?? 0) + (field("todo") ?? 0),
  };
}

/**
 * Counts for a finished suite: its summary, made to show at least one failure
 * when the runner exited non-zero (or printed no summary at all).
 *
 * @param summary what the output said, if anything
 * @param exitCode the runner's exit code
 */
export function settleCounts(
  summary: TestCounts | undefined,
  exitCode: number,
): TestCounts {
  const counts = summary ?? { passed: 0, failed: 0, skipped: 0 };
  if (exitCode !== 0 && counts.failed === 0) {
    return { ...counts, failed: 1 };
  }
  return counts;
}

/**
 * The plain closing line: `N passed, N failed`, with `, N skipped` when some were.
 *
 * @param counts the totals
 */
export function formatCounts(counts: TestCounts): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}
