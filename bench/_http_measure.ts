/**
 * The measurements of `deno task bench:http` (`http_bench.ts`): each starts
 * its servers, seeds them, runs the load generator and stops them again.
 *
 * @module
 */

import { join } from "node:path";
import type { FigureName, HttpFigures } from "./_http_report.ts";
import { parseRedisBenchmarkCsv, parseWrk, postScript } from "./_load_tools.ts";
import { cpuMicros, ProcessGroup } from "./_procs.ts";
import {
  type Endpoint,
  type KvoltEndpoint,
  redisCommand,
  startHello,
  startKvolt,
  startRedis,
  startWebdis,
} from "./_servers.ts";

/** The measurements, in the order they run. */
export const STEPS = [
  "hello",
  "kvolt",
  "kvolt_deno_serve",
  "kvolt_tls",
  "hello_tls",
  "redis",
  "webdis",
  "pipeline",
] as const;
/** One of {@linkcode STEPS}. */
export type Step = typeof STEPS[number];

/** The bench's settings (flags). */
export interface Options {
  threads: number;
  connections: number;
  duration: number;
  warmup: number;
  rounds: number;
  redisRequests: number;
  webdisThreads: number;
  only: Set<Step>;
  install: boolean;
}

const VALUE = new Uint8Array(100).map((_, i) => 97 + (i % 26));
const KEY = "bench100";
const CACHE = "bench";
/** Gets in one pipeline request. */
export const PIPELINE_GETS = 100;

/** A bench run: its options, processes, temp dir and notes. */
export class HttpBench {
  readonly group = new ProcessGroup();
  readonly notes: string[] = [];
  /** Server CPU time per request (user + system, µs), by label, per round. */
  readonly cpu = new Map<string, number[]>();
  constructor(readonly options: Options, readonly dir: string) {}

  /**
   * Runs wrk (after a warm-up); the figure, or null with a note. With the
   * server's pid, also records its CPU time per request: a figure that other
   * load on the machine disturbs much less than requests per second.
   */
  async wrk(
    label: string,
    url: string,
    extra: string[],
    pid?: number,
  ): Promise<number | null> {
    const { threads, connections, duration, warmup } = this.options;
    const base = [`-t${threads}`, `-c${connections}`, ...extra];
    const run = (seconds: number) =>
      this.group.run(
        "wrk",
        [...base, `-d${seconds}s`, url],
        (seconds + 30) * 1000,
      );
    if (warmup > 0) await run(warmup);
    const before = pid === undefined ? undefined : cpuMicros(pid);
    const out = await run(duration);
    const after = pid === undefined ? undefined : cpuMicros(pid);
    const result = parseWrk(out.stdout);
    if (out.code !== 0 || result === undefined) {
      this.notes.push(
        `${label}: wrk failed: ${out.stderr.trim() || out.stdout.trim()}`,
      );
      return null;
    }
    if (result.non2xx > 0 || result.requests === 0) {
      this.notes.push(
        `${label}: ${result.non2xx} of ${result.requests} answers were not 2xx`,
      );
      return null;
    }
    if (result.socketErrors > 0) {
      this.notes.push(`${label}: ${result.socketErrors} socket errors`);
    }
    if (before !== undefined && after !== undefined) {
      const perRequest = (after - before) / result.requests;
      this.cpu.set(label, [...(this.cpu.get(label) ?? []), perRequest]);
    }
    return result.rps;
  }

  /**
   * Creates the cache `bench` with rate limits far above any figure (the
   * deployment's defaults would throttle the bench), puts the 100-byte value
   * and checks that a GET returns it. Without per-cache limits (an older
   * gateway) it falls back to `default` and says so.
   */
  async seedKvolt(
    kvolt: KvoltEndpoint,
  ): Promise<{ url: string; cache: string }> {
    const init = {
      headers: { authorization: kvolt.apiKey },
      ...(kvolt.client ? { client: kvolt.client } : {}),
    };
    const limits = { opsPerSecond: 1e15, bytesPerSecond: 1e15 };
    const created = await fetch(`${kvolt.url}/v1/caches/${CACHE}`, {
      ...init,
      method: "PUT",
      body: JSON.stringify({ limits }),
    });
    const note = await created.text();
    let cache = CACHE;
    if (created.status !== 201 && created.status !== 200) {
      cache = "default";
      this.note(
        `kvolt: cannot create cache ${CACHE} with high rate limits (${created.status}: ${
          note.slice(0, 100)
        }): using default`,
      );
    }
    const url = `${kvolt.url}/cache/${cache}?key=${KEY}`;
    const put = await fetch(`${url}&ttl_seconds=86400`, {
      ...init,
      method: "PUT",
      body: VALUE,
    });
    await put.body?.cancel();
    const got = await fetch(url, init);
    const bytes = new Uint8Array(await got.arrayBuffer());
    if (put.status !== 204 || got.status !== 200 || bytes.length !== 100) {
      throw new Error(
        `Cannot seed kvolt: PUT ${put.status}, GET ${got.status} of ${bytes.length} bytes`,
      );
    }
    return { url, cache };
  }

  /** Adds a note once. */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /**
   * kvolt's GET; with `denoServe`, served by `Deno.serve` instead of kvolt's
   * listener (`--listener deno`), to measure what the listener costs.
   */
  async kvoltGet(tls: boolean, denoServe = false): Promise<number | null> {
    const label = denoServe
      ? "kvolt_get_deno_serve"
      : tls
      ? "kvolt_get_tls"
      : "kvolt_get";
    return await this.with(
      startKvolt(
        this.group,
        join(this.dir, "kvolt"),
        tls,
        denoServe ? ["--listener", "deno"] : [],
      ),
      async (kvolt) => {
        const { url } = await this.seedKvolt(kvolt);
        return await this.wrk(label, url, [
          "-H",
          `Authorization: ${kvolt.apiKey}`,
        ], kvolt.pid);
      },
    );
  }

  async pipeline(): Promise<number | null> {
    return await this.with(
      startKvolt(this.group, join(this.dir, "kvolt"), false),
      async (kvolt) => {
        const { cache } = await this.seedKvolt(kvolt);
        const ops = Array.from(
          { length: PIPELINE_GETS },
          () => ({ cache, op: "get", args: { key: KEY } }),
        );
        const body = JSON.stringify({ ops });
        const headers = {
          authorization: kvolt.apiKey,
          "content-type": "application/json",
        };
        const probe = await fetch(`${kvolt.url}/v1/pipeline`, {
          method: "POST",
          headers,
          body,
        });
        const text = await probe.text();
        if (probe.status !== 200 || !allHits(text)) {
          this.notes.push(
            `kvolt_pipeline: POST /v1/pipeline answered ${probe.status}, not ${PIPELINE_GETS} hits: ${
              text.slice(0, 120)
            }`,
          );
          return null;
        }
        const script = join(this.dir, "pipeline.lua");
        await Deno.writeTextFile(script, postScript(body, headers));
        const rps = await this.wrk(
          "kvolt_pipeline",
          `${kvolt.url}/v1/pipeline`,
          ["-s", script],
          kvolt.pid,
        );
        return rps === null ? null : rps * PIPELINE_GETS;
      },
    );
  }

  async hello(tls: boolean): Promise<number | null> {
    const tlsDir = join(this.dir, "kvolt", "tls");
    const certMissing = () =>
      Deno.stat(join(tlsDir, "server.pem")).then(() => false, () => true);
    if (tls && await certMissing()) {
      // The hello TLS server uses kvolt's dev certificate: a TLS kvolt makes it.
      await this.with(
        startKvolt(this.group, join(this.dir, "kvolt"), true),
        () => Promise.resolve(null),
      );
    }
    const files = tls
      ? {
        certFile: join(tlsDir, "server.pem"),
        keyFile: join(tlsDir, "server-key.pem"),
      }
      : undefined;
    return await this.with(
      startHello(this.group, files),
      (hello) =>
        this.wrk(tls ? "hello_tls" : "hello", hello.url, [], hello.pid),
    );
  }

  async redisAndWebdis(steps: Set<Step>): Promise<Partial<HttpFigures>> {
    const out: Partial<HttpFigures> = {};
    await this.with(startRedis(this.group), async (redis) => {
      // redis-benchmark -t get reads the literal key "key:__rand_int__" (no -r).
      for (const key of ["key:__rand_int__", KEY]) {
        const reply = await redisCommand(redis.port, ["SET", key, VALUE]);
        if (reply !== "+OK") throw new Error(`Cannot seed redis: ${reply}`);
      }
      if (steps.has("redis")) {
        const { connections, redisRequests } = this.options;
        const args = `-h 127.0.0.1 -p ${redis.port} -t get -d 100 --csv`
          .split(" ").concat([
            "-n",
            `${redisRequests}`,
            "-c",
            `${connections}`,
          ]);
        const run = await this.group.run("redis-benchmark", args, 120_000);
        out.redis_get_ops = parseRedisBenchmarkCsv(run.stdout, "GET") ?? null;
        if (out.redis_get_ops === null) {
          this.notes.push(
            `redis: redis-benchmark failed: ${run.stderr.trim()}`,
          );
        }
      }
      if (steps.has("webdis")) {
        const started = startWebdis(this.group, this.dir, {
          redisPort: redis.port,
          threads: this.options.webdisThreads,
        });
        out.webdis_get_rps = await this.with(started, async (webdis) => {
          const url = `${webdis.url}/GET/${KEY}.txt`;
          const probe = new Uint8Array(await (await fetch(url)).arrayBuffer());
          if (probe.length !== 100) {
            throw new Error(
              `Cannot read through webdis: got ${probe.length} bytes`,
            );
          }
          return await this.wrk("webdis_get", url, [], webdis.pid);
        });
      }
      return null;
    });
    return out;
  }

  /** Runs `body` with a started server and always stops it. */
  async with<E extends Endpoint, T>(
    starting: Promise<E>,
    body: (e: E) => Promise<T>,
  ): Promise<T> {
    const endpoint = await starting;
    try {
      return await body(endpoint);
    } finally {
      await endpoint.stop();
    }
  }
}

/** One round: every selected figure, null where it could not be measured. */
export async function measureRound(
  bench: HttpBench,
  missing: Set<string>,
): Promise<HttpFigures> {
  const figures: HttpFigures = {
    hello_rps: null,
    kvolt_get_rps: null,
    kvolt_get_deno_serve_rps: null,
    hello_tls_rps: null,
    kvolt_get_tls_rps: null,
    webdis_get_rps: null,
    redis_get_ops: null,
    kvolt_pipeline_ops: null,
  };
  const only = bench.options.only;
  const attempt = async (
    label: string,
    needs: string[],
    run: () => Promise<void>,
  ) => {
    const absent = needs.filter((tool) => missing.has(tool));
    if (absent.length > 0) {
      bench.notes.push(`${label}: not measured, missing ${absent.join(", ")}`);
      return;
    }
    console.error(`bench: measuring ${label}`);
    try {
      await run();
    } catch (err) {
      bench.notes.push(`${label}: ${(err as Error).message}`);
    }
  };
  /** A step measured with wrk alone, into one figure (named after it). */
  const wrkStep = async (
    step: Step,
    figure: FigureName,
    measure: () => Promise<number | null>,
  ) => {
    if (!only.has(step)) return;
    await attempt(figure.replace(/_(rps|ops)$/, ""), ["wrk"], async () => {
      figures[figure] = await measure();
    });
  };
  await wrkStep("hello", "hello_rps", () => bench.hello(false));
  await wrkStep("kvolt", "kvolt_get_rps", () => bench.kvoltGet(false));
  await wrkStep(
    "kvolt_deno_serve",
    "kvolt_get_deno_serve_rps",
    () => bench.kvoltGet(false, true),
  );
  await wrkStep("kvolt_tls", "kvolt_get_tls_rps", () => bench.kvoltGet(true));
  await wrkStep("hello_tls", "hello_tls_rps", () => bench.hello(true));
  const redisSteps = new Set(
    [...only].filter((s) => s === "redis" || s === "webdis"),
  );
  const needs = [
    "redis-server",
    ...(only.has("redis") ? ["redis-benchmark"] : []),
    ...(only.has("webdis") ? ["webdis", "wrk"] : []),
  ];
  if (redisSteps.size > 0) {
    await attempt(
      [...redisSteps].join("+"),
      needs,
      async () =>
        void Object.assign(figures, await bench.redisAndWebdis(redisSteps)),
    );
  }
  await wrkStep("pipeline", "kvolt_pipeline_ops", () => bench.pipeline());
  return figures;
}

/** True when a pipeline answer holds {@linkcode PIPELINE_GETS} hits. */
function allHits(text: string): boolean {
  try {
    const results = JSON.parse(text)?.results;
    return Array.isArray(results) && results.length === PIPELINE_GETS &&
      results.every((r) => r?.type === "Hit");
  } catch {
    return false;
  }
}
