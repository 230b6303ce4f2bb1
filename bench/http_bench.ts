/**
 * `deno task bench:http`: kvolt's HTTP GET path against a bare `Deno.serve`
 * hello world, webdis and redis, all on loopback, measured with the same wrk
 * connections and duration. Progress goes to stderr; stdout gets ONE JSON
 * line with the figures, their ratios and issue 3's targets (met or not),
 * and `server_cpu_us_per_request` (each server's user + system CPU time per
 * request while wrk ran: steadier than requests/s on a shared machine).
 * kvolt serves the value from a cache `bench` created with rate limits far
 * above any figure. See `bench/README.md` for where a GET's time goes.
 *
 * Flags: `--threads N` (wrk threads, 1), `--connections N` (32),
 * `--duration S` (seconds per figure, 5), `--warmup S` (1), `--rounds N`
 * (median of N rounds, 1), `--redis-requests N` (300000),
 * `--webdis-threads N` (2, Debian's default), `--only a,b` (some of
 * hello,kvolt,kvolt_tls,hello_tls,redis,webdis,pipeline), `--no-install`.
 *
 * Missing tools (wrk, redis-server, redis-benchmark, webdis) are installed
 * with `apt-get install -y` when running as root; whatever is still missing
 * is named on stderr and its figures are null. Every server started is
 * stopped at the end, on an error and on Ctrl-C; the temp dir is removed.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BENCH_TOOLS, ensureTools } from "./_apt.ts";
import {
  type FigureName,
  type HttpFigures,
  httpReport,
} from "./_http_report.ts";
import {
  HttpBench,
  measureRound,
  type Options,
  PIPELINE_GETS,
  type Step,
  STEPS,
} from "./_http_measure.ts";

const USAGE = `deno task bench:http [flags]
  --threads N          wrk threads (1)
  --connections N      connections, the same for every server (32)
  --duration S         seconds per figure (5)
  --warmup S           seconds of warm-up before each figure (1)
  --rounds N           median of N rounds (1)
  --redis-requests N   requests for redis-benchmark (300000)
  --webdis-threads N   webdis threads (2, Debian's default)
  --only a,b           some of ${STEPS.join(",")}
  --no-install         do not apt-get install missing tools
  -h, --help           this text`;

/** The flags, or undefined after printing the usage for `--help`. */
function parseOptions(args: string[]): Options | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      threads: { type: "string", default: "1" },
      connections: { type: "string", default: "32" },
      duration: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      rounds: { type: "string", default: "1" },
      "redis-requests": { type: "string", default: "300000" },
      "webdis-threads": { type: "string", default: "2" },
      only: { type: "string", default: STEPS.join(",") },
      "no-install": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const whole = (name: keyof typeof values, min: number) => {
    const text = String(values[name]);
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
      throw new RangeError(
        `Invalid --${name}: expected a whole number from ${min}: received ${text}`,
      );
    }
    return n;
  };
  const only = values.only.split(",");
  for (const step of only) {
    if (!(STEPS as readonly string[]).includes(step)) {
      throw new RangeError(
        `Invalid --only: expected some of ${STEPS.join(",")}: received ${step}`,
      );
    }
  }
  return {
    threads: whole("threads", 1),
    connections: whole("connections", 1),
    duration: whole("duration", 1),
    warmup: whole("warmup", 0),
    rounds: whole("rounds", 1),
    redisRequests: whole("redis-requests", 1),
    webdisThreads: whole("webdis-threads", 1),
    only: new Set(only as Step[]),
    install: !values["no-install"],
  };
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function median(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) =>
    a - b
  );
  if (known.length === 0) return null;
  const mid = known.length >> 1;
  return known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}

async function main(args: string[]): Promise<void> {
  let options: Options | undefined;
  try {
    options = parseOptions(args);
  } catch (err) {
    console.error(`bench:http: ${(err as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (options === undefined) return;
  const missing = new Set(await ensureTools(BENCH_TOOLS, options.install));
  const dir = await Deno.makeTempDir({ prefix: "kvolt-bench-" });
  const bench = new HttpBench(options, dir);
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    cleaned ??= (async () => {
      await bench.group.stopAll();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    })();
  const interrupt = async () => {
    console.error("bench: interrupted, stopping servers");
    await cleanup();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", interrupt);
  Deno.addSignalListener("SIGTERM", interrupt);
  try {
    const rounds: HttpFigures[] = [];
    for (let i = 0; i < options.rounds; i++) {
      rounds.push(await measureRound(bench, missing));
    }
    const figures = Object.fromEntries(
      (Object.keys(rounds[0]!) as FigureName[]).map((
        name,
      ) => [name, median(rounds.map((r) => r[name]))]),
    ) as unknown as HttpFigures;
    const { threads, connections, duration, rounds: n, webdisThreads } =
      options;
    const report = httpReport(figures, {
      config: {
        threads,
        connections,
        duration_s: duration,
        rounds: n,
        webdis_threads: webdisThreads,
        value_bytes: 100,
        pipeline_gets: PIPELINE_GETS,
        cpus: navigator.hardwareConcurrency,
      },
      server_cpu_us_per_request: Object.fromEntries(
        [...bench.cpu].map((
          [label, values],
        ) => [label, roundTo(median(values)!, 2)]),
      ),
      missing: [...missing],
      notes: bench.notes,
    });
    console.log(JSON.stringify(report));
  } finally {
    await cleanup();
    Deno.removeSignalListener("SIGINT", interrupt);
    Deno.removeSignalListener("SIGTERM", interrupt);
  }
}

if (import.meta.main) await main(Deno.args);
