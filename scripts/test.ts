/**
 * `deno task test`: runs every suite, streams its output, then prints one plain
 * closing line of its own, `N passed, N failed`, and exits non-zero on any
 * failure. Extra arguments are passed to `deno test` (paths or `--filter`).
 *
 * @module
 */

import {
  formatCounts,
  parseDenoTestSummary,
  parseNodeTestSummary,
  settleCounts,
  type TestCounts,
} from "./test_summary.ts";

const ROOT = new URL("..", import.meta.url);
/** Set for the runners this script starts, so it never runs inside itself. */
const NESTED_ENV = "KVOLT_TEST_RUNNER";

/** One test suite: a command, and how to read its counts from its output. */
interface Suite {
  name: string;
  command: string;
  args: string[];
  parse: (output: string) => TestCounts | undefined;
  /** Extra environment. */
  env?: Record<string, string>;
}

const suites: Suite[] = [
  {
    name: "deno",
    command: Deno.execPath(),
    args: ["test", "-A", "--doc", "--permit-no-files", ...Deno.args],
    parse: parseDenoTestSummary,
  },
  // The gateway's suite again over the two other stores of the contract:
  // Wasm shards (slots split between two hosts) and shards in a Worker
  // (every answer a Promise, through peer-protocol frames). The first run,
  // above, is over the reference model.
  ...(["wasm", "worker"] as const).map((store): Suite => ({
    name: `gateway over the ${store} store`,
    command: Deno.execPath(),
    args: ["test", "-A", "--permit-no-files", ...gatewayArgs(Deno.args)],
    parse: parseDenoTestSummary,
    env: { KVOLT_GATEWAY_STORE: store },
  })),
  // The SDK under Node >= 20: tests/node/run.ts bundles it, runs node --test.
  {
    name: "node",
    command: Deno.execPath(),
    args: ["run", "-A", "tests/node/run.ts"],
    parse: parseNodeTestSummary,
  },
];

/**
 * The arguments of the gateway's reruns: `gateway/` with the filters given,
 * or the gateway paths among the paths given (none: the rerun is empty).
 */
function gatewayArgs(args: readonly string[]): string[] {
  const paths: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) paths.push(arg);
    else if (arg === "--filter" && i + 1 < args.length) {
      flags.push(arg, args[++i]!);
    } else flags.push(arg);
  }
  if (paths.length === 0) return [...flags, "gateway/"];
  return [...flags, ...paths.filter((p) => p.startsWith("gateway"))];
}

/** Runs a suite with its output streamed to ours, and returns its counts. */
async function run(suite: Suite): Promise<TestCounts> {
  const child = new Deno.Command(suite.command, {
    args: suite.args,
    cwd: ROOT,
    stdin: "null",
    env: { [NESTED_ENV]: "1", ...suite.env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let output = "";
  const tee = async (
    stream: ReadableStream<Uint8Array>,
    to: typeof Deno.stdout,
  ) => {
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      await writeAll(to, chunk);
    }
  };
  await Promise.all([
    tee(child.stdout, Deno.stdout),
    tee(child.stderr, Deno.stderr),
  ]);
  const { code } = await child.status;
  const summary = suite.parse(output);
  if (!summary) {
    console.error(
      `test: the ${suite.name} suite ended with no summary (exit ${code})`,
    );
  }
  return settleCounts(summary, code);
}

async function writeAll(
  to: typeof Deno.stdout,
  bytes: Uint8Array,
): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += await to.write(bytes.subarray(done));
  }
}

/** Runs every suite and returns the exit code. */
async function main(): Promise<number> {
  if (Deno.env.get(NESTED_ENV)) {
    console.error("test: refusing to run inside its own test run");
    return 1;
  }
  const total: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const suite of suites) {
    const counts = await run(suite);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  console.log(formatCounts(total));
  return total.failed > 0 ? 1 : 0;
}

// `deno test` would pick this file up as a test module (its name is test.ts):
// deno.json excludes it, and it only runs when it is the main module.
if (import.meta.main) Deno.exit(await main());
