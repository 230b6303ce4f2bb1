import assert from "node:assert/strict";
import { isLoopbackHost, unbracket, urlHost } from "./hosts.ts";

Deno.test("isLoopbackHost knows loopback hosts", () => {
  for (
    const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
    ]
  ) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (
    const host of [
      "0.0.0.0",
      "::",
      "10.0.0.1",
      "example.com",
      "128.0.0.1",
      "::2",
    ]
  ) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

Deno.test("urlHost brackets IPv6 and maps wildcards to loopback", () => {
  assert.equal(urlHost("127.0.0.1"), "127.0.0.1");
  assert.equal(urlHost("localhost"), "localhost");
  assert.equal(urlHost("::1"), "[::1]");
  assert.equal(urlHost("[::1]"), "[::1]");
  assert.equal(urlHost("0.0.0.0"), "127.0.0.1");
  assert.equal(urlHost("::"), "[::1]");
  assert.equal(unbracket("[::1]"), "::1");
});
