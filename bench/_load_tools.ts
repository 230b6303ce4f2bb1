/**
 * Reading the load generators of `deno task bench:http`: wrk's report,
 * redis-benchmark's CSV, and the wrk Lua script of the pipeline figure.
 *
 * @module
 */

/** What one wrk run measured. */
export interface WrkResult {
  /** Requests per second, over the whole run. */
  rps: number;
  /** Requests completed. */
  requests: number;
  /** Answers that were not 2xx or 3xx. */
  non2xx: number;
  /** Connect, read, write and timeout errors, added up. */
  socketErrors: number;
}

/**
 * Parses wrk's report.
 *
 * @param text wrk's stdout
 * @returns the figures, or undefined when the report has no `Requests/sec`
 *
 * @example
 * ```ts
 * import { parseWrk } from "./_load_tools.ts";
 * const r = parseWrk("  1000 requests in 1.00s, 1 MB read\nRequests/sec:   1000.50\n");
 * if (r?.rps !== 1000.5 || r.non2xx !== 0) throw new Error("bad parse");
 * ```
 */
export function parseWrk(text: string): WrkResult | undefined {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  if (rps === null) return undefined;
  const requests = /^\s*(\d+) requests in /m.exec(text);
  const non2xx = /^\s*Non-2xx or 3xx responses:\s+(\d+)/m.exec(text);
  const socket =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(text);
  return {
    rps: Number(rps[1]),
    requests: requests ? Number(requests[1]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket
      ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0)
      : 0,
  };
}

/**
 * The requests per second of one test in redis-benchmark's `--csv` output.
 *
 * @param csv redis-benchmark's stdout
 * @param test the test name, e.g. `GET`
 * @returns the figure, or undefined when the test is not in the output
 */
export function parseRedisBenchmarkCsv(
  csv: string,
  test: string,
): number | undefined {
  for (const line of csv.split("\n")) {
    const cells = line.trim().split(",").map((c) => c.replace(/^"|"$/g, ""));
    if (cells[0] === test && cells[1] !== undefined) {
      const rps = Number(cells[1]);
      if (Number.isFinite(rps)) return rps;
    }
  }
  return undefined;
}

/**
 * A wrk Lua script that sends one POST of `body` with the given headers on
 * every request.
 *
 * @param body the request body
 * @param headers request headers
 * @returns the script's text
 */
export function postScript(
  body: string,
  headers: Record<string, string>,
): string {
  const lines = ['wrk.method = "POST"', `wrk.body = ${luaString(body)}`];
  for (const [name, value] of Object.entries(headers)) {
    // Spaces: "headers[[[" would open a long string at "[[".
    lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  }
  return lines.join("\n") + "\n";
}

/** A Lua long-bracket string literal that holds `text` as is. */
function luaString(text: string): string {
  let level = "";
  // The closing bracket must not appear early, also where the text's end and
  // the bracket meet.
  while (`${text}]${level}`.includes(`]${level}]`)) level += "=";
  return `[${level}[${text}]${level}]`;
}
