import assert from "node:assert/strict";
import { httpReport } from "./_http_report.ts";
import { parseRedisBenchmarkCsv, parseWrk, postScript } from "./_load_tools.ts";
import { ProcessGroup } from "./_procs.ts";
import { startHello } from "./_servers.ts";

const WRK_REPORT =
  `Running 5s test @ http://127.0.0.1:4000/cache/bench?key=bench100
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   410.01us  120.00us   5.00ms   90.00%
    Req/Sec    78.10k     2.00k   80.00k    70.00%
  388590 requests in 5.00s, 66.30MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  77717.93
Transfer/sec:     13.26MB
`;

Deno.test("parseWrk reads requests, rate, non-2xx answers and socket errors", () => {
  assert.deepEqual(parseWrk(WRK_REPORT), {
    rps: 77717.93,
    requests: 388590,
    non2xx: 7,
    socketErrors: 3,
  });
  assert.equal(parseWrk("unable to connect to 127.0.0.1:1"), undefined);
});

Deno.test("parseRedisBenchmarkCsv finds the GET row", () => {
  const csv = `"test","rps","avg_latency_ms","min_latency_ms"
"SET","91324.20","0.190","0.056"
"GET","98039.22","0.175","0.048"
`;
  assert.equal(parseRedisBenchmarkCsv(csv, "GET"), 98039.22);
  assert.equal(parseRedisBenchmarkCsv(csv, "LPUSH"), undefined);
});

Deno.test("postScript holds the body as is, even with closing brackets", () => {
  const body = '{"a":[[1]],"b":"]]"}';
  const script = postScript(body, { authorization: "t]=]" });
  // "t]=]" would end a level-1 string early where its "]" meets "]=]".
  assert.match(script, /^wrk\.method = "POST"$/m);
  assert.ok(script.includes(`wrk.body = [=[${body}]=]`), script);
  assert.ok(
    script.includes("wrk.headers[ [[authorization]] ] = [==[t]=]]==]"),
    script,
  );
});

Deno.test("httpReport gives ratios, targets met or missed, and null for unknowns", () => {
  const report = httpReport({
    hello_rps: 100_000,
    kvolt_get_rps: 60_000.4,
    kvolt_get_deno_serve_rps: 62_000,
    hello_tls_rps: 80_000,
    kvolt_get_tls_rps: 70_000,
    webdis_get_rps: null,
    redis_get_ops: 50_000,
    kvolt_pipeline_ops: 600_000,
  }, { notes: ["n"] });
  assert.equal(report.kvolt_get_rps, 60_000);
  assert.equal(report.ratios.kvolt_get_vs_hello, 0.6);
  assert.deepEqual(report.targets.kvolt_get_vs_hello, {
    value: 0.6,
    target: 0.75,
    met: false,
  });
  assert.equal(report.targets.kvolt_get_tls_vs_hello_tls?.met, true);
  assert.equal(report.targets.kvolt_get_vs_webdis?.met, null);
  assert.equal(report.targets.kvolt_get_vs_redis?.value, 1.2);
  assert.equal(report.targets.kvolt_pipeline_ops?.met, true);
  assert.equal(report.targets.kvolt_listener_vs_deno_serve?.value, 0.968);
  assert.deepEqual(report.notes, ["n"]);
});

Deno.test("the bench's processes answer and are all stopped by stopAll", async () => {
  const group = new ProcessGroup();
  let url = "";
  try {
    const hello = await startHello(group);
    url = hello.url;
    const res = await fetch(url);
    assert.equal(await res.text(), "Hello, World!");
  } finally {
    await group.stopAll();
  }
  const after = await fetch(url).then(
    (res) => res.body?.cancel().then(() => "answered"),
    (err: unknown) => err,
  );
  assert.ok(after instanceof TypeError, "the hello server still answers");
});
