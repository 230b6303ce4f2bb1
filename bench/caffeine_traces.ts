/**
 * `deno task traces:caffeine --from DIR --to OUT`: converts the 16 traces of
 * ben-manes/caffeine's simulator that the hit-ratio benches were measured on
 * (cache2k, scarab, corda and LIRS; see `bench/README.md`) into OUT, in the
 * shared traces' format, with `convert_trace.ts`. DIR is a checkout of the
 * Caffeine repository, or its bare git directory. The traces are not kept
 * here: the LIRS, scarab and corda ones come with no licence of their own.
 *
 * ```sh
 * deno task traces:caffeine --from ~/caffeine --to /tmp/traces
 * deno task bench:hits --traces /tmp/traces
 * deno task bench:policies --traces /tmp/traces
 * ```
 *
 * `.xz` files need the `xz` program (apt `xz-utils`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { convertTrace, type TraceFormat, writeGzip } from "./convert_trace.ts";
import { gunzip } from "./replay.ts";

/** Where the simulator keeps its traces, in the repository. */
export const PARSER_DIR =
  "simulator/src/main/resources/com/github/benmanes/caffeine/cache/simulator/parser";

/** Each trace: its name here, its file under PARSER_DIR, its format. */
export const CAFFEINE_TRACES: readonly {
  name: string;
  file: string;
  format: TraceFormat;
}[] = [
  { name: "web12", file: "cache2k/web12.trace.xz", format: "int32be" },
  { name: "orm-busy", file: "cache2k/orm-busy.trace.xz", format: "int32be" },
  { name: "orm-night", file: "cache2k/orm-night.trace.xz", format: "int32be" },
  {
    name: "scarab-recs",
    file: "scarab/scarab-recs.trace.xz",
    format: "int64be",
  },
  {
    name: "corda-vault",
    file: "corda/trace_vaultservice.gz",
    format: "int64be",
  },
  ...[
    "2_pools",
    "sprite",
    "zigzag",
    "cpp",
    "multi1",
    "multi2",
    "multi3",
    "ps",
    "gli",
    "cs",
    "loop",
  ].map((t) => ({
    name: `lirs-${t}`,
    file: `lirs/${t}.trace.gz`,
    format: "lines" as const,
  })),
];

/** Runs a program with `input` on its stdin; its stdout. */
export async function runPiped(
  cmd: string,
  args: string[],
  input?: Uint8Array,
): Promise<Uint8Array> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      stdin: input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    throw new Error(`Cannot run ${cmd}: it is not installed`);
  }
  // read while writing: a child whose output fills its pipe waits for us
  const output = child.output();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
  }
  const out = await output;
  if (!out.success) {
    throw new Error(
      `Cannot run ${cmd} ${args.join(" ")}: ${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
  return out.stdout;
}

/** A file of the repository: from the work tree, else from git's HEAD. */
export async function readRepoFile(
  from: string,
  path: string,
): Promise<Uint8Array> {
  try {
    return await Deno.readFile(join(from, path));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return await runPiped("git", ["--git-dir", from, "show", `HEAD:${path}`]);
}

/** Decompresses by the file's suffix: `.gz` here, `.xz` through `xz -dc`. */
export async function decompress(
  file: string,
  bytes: Uint8Array,
): Promise<Uint8Array> {
  if (file.endsWith(".xz")) return await runPiped("xz", ["-dc"], bytes);
  if (!file.endsWith(".gz")) return bytes;
  const stream = gunzip(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream());
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Converts each of `traces` from the repository at `from` into `to`. */
export async function convertCaffeineTraces(
  from: string,
  to: string,
  traces = CAFFEINE_TRACES,
  log: (line: string) => void = console.error,
): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const t of traces) {
    const raw = await decompress(
      t.file,
      await readRepoFile(from, `${PARSER_DIR}/${t.file}`),
    );
    const out = convertTrace(t.format, raw);
    const file = await Deno.open(join(to, `${t.name}.txt.gz`), {
      write: true,
      create: true,
      truncate: true,
    });
    await writeGzip(out.text, file.writable);
    log(`${t.name}: ${out.requests} requests, ${out.keys} keys`);
  }
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { from: { type: "string" }, to: { type: "string" } },
  });
  if (values.from === undefined || values.to === undefined) {
    throw new TypeError(
      "Usage: deno task traces:caffeine --from <caffeine checkout or git dir> --to <dir>",
    );
  }
  await convertCaffeineTraces(values.from, values.to);
}

if (import.meta.main) await main(Deno.args);
