import assert from "node:assert/strict";
import { bannerLines, READY_PREFIX, shellQuote } from "./banner.ts";

Deno.test("TLS banner: key, curl lines with --cacert, ready line last", () => {
  const lines = bannerLines({
    url: "https://127.0.0.1:8443",
    dataDir: "/d",
    apiKey: "KEY",
    apiKeyPath: "/d/api-key",
    caCertPath: "/d/tls/ca.pem",
  });
  assert.equal(lines.at(-1), `${READY_PREFIX}https://127.0.0.1:8443`);
  assert.ok(lines.includes("KEY"));
  const curls = lines.filter((l) => l.trimStart().startsWith("curl "));
  assert.deepEqual(curls.map((l) => l.trim()), [
    `curl --cacert /d/tls/ca.pem -X PUT -H "Authorization: KEY" --data-binary 'hello' 'https://127.0.0.1:8443/cache/default?key=greeting&ttl_seconds=600'`,
    `curl --cacert /d/tls/ca.pem -H "Authorization: KEY" 'https://127.0.0.1:8443/cache/default?key=greeting'`,
  ]);
});

Deno.test("HTTP banner has no --cacert", () => {
  const lines = bannerLines({
    url: "http://127.0.0.1:1",
    dataDir: "/d",
    apiKey: "KEY",
    apiKeyPath: "/d/api-key",
  });
  assert.ok(lines.every((l) => !l.includes("--cacert")));
});

Deno.test("a key not just minted is not printed: the banner names its file and curl reads it", () => {
  const lines = bannerLines({
    url: "http://127.0.0.1:1",
    dataDir: "/d",
    apiKeyPath: "/my d/api-key",
  });
  assert.ok(lines.includes(
    "kvolt: super-user API key in /my d/api-key (printed only when issued)",
  ));
  const curls = lines.filter((l) => l.trimStart().startsWith("curl "));
  assert.equal(curls.length, 2);
  for (const curl of curls) {
    assert.ok(curl.includes(`-H "Authorization: $(cat '/my d/api-key')"`));
  }
});

Deno.test("shellQuote quotes only when needed", () => {
  assert.equal(shellQuote("/a/b.pem"), "/a/b.pem");
  assert.equal(shellQuote("/my dir/ca.pem"), "'/my dir/ca.pem'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});
