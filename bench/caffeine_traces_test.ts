import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CAFFEINE_TRACES,
  convertCaffeineTraces,
  decompress,
  PARSER_DIR,
  readRepoFile,
  runPiped,
} from "./caffeine_traces.ts";
import { readTrace } from "./replay.ts";

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("caffeine traces: the 16 names are distinct and each file has a known format", () => {
  assert.equal(CAFFEINE_TRACES.length, 16);
  assert.equal(new Set(CAFFEINE_TRACES.map((t) => t.name)).size, 16);
  for (const t of CAFFEINE_TRACES) {
    assert.match(t.file, /\.(gz|xz)$/, t.name);
    assert.equal(
      t.format,
      t.file.startsWith("lirs/")
        ? "lines"
        : t.file.startsWith("cache2k/")
        ? "int32be"
        : "int64be",
      t.name,
    );
  }
});

Deno.test("caffeine traces: a checkout's LIRS trace converts to a replayable trace", async () => {
  const from = await Deno.makeTempDir({ prefix: "kvolt-caffeine-" });
  const to = join(from, "out");
  try {
    const dir = join(from, PARSER_DIR, "lirs");
    await Deno.mkdir(dir, { recursive: true });
    // keys 7, 9, 7, *, 3, 9: `*` lines are skipped, keys renumbered
    await Deno.writeFile(
      join(dir, "tiny.trace.gz"),
      await gzip("7\n9\n7\n*\n3\n9\n"),
    );
    const lines: string[] = [];
    await convertCaffeineTraces(from, to, [
      { name: "lirs-tiny", file: "lirs/tiny.trace.gz", format: "lines" },
    ], (line) => lines.push(line));
    assert.deepEqual(lines, ["lirs-tiny: 5 requests, 3 keys"]);
    const t = await readTrace(join(to, "lirs-tiny.txt.gz"));
    assert.deepEqual([...t.ids], [0, 1, 0, 2, 1]);
    assert.deepEqual([...t.sizes], [100, 100, 100, 100, 100]);
    // a file that is neither in the tree nor in a git directory
    await assert.rejects(
      () => readRepoFile(from, "no/such.trace.gz"),
      /Cannot run git/,
    );
  } finally {
    await Deno.remove(from, { recursive: true });
  }
});

Deno.test("caffeine traces: gzip is read here; anything else passes through", async () => {
  const bytes = await decompress("a.gz", await gzip("1\n2\n"));
  assert.equal(new TextDecoder().decode(bytes), "1\n2\n");
  const plain = Uint8Array.of(1, 2, 3);
  assert.equal(await decompress("a.trace", plain), plain);
});

Deno.test("caffeine traces: a child's output larger than its pipe is read while its input is written", async () => {
  // 4 MiB through cat: writing it all before reading would wait forever
  const input = new Uint8Array(4 << 20).map((_, i) => i & 0xff);
  const out = await runPiped("cat", [], input);
  assert.equal(out.length, input.length);
  assert.deepEqual(out.subarray(-3), input.subarray(-3));
  await assert.rejects(
    () => runPiped("kvolt-no-such-program", []),
    /Cannot run kvolt-no-such-program: it is not installed/,
  );
});
