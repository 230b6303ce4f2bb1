/**
 * The baseline of `deno task bench:http`: a bare `Deno.serve` hello world,
 * run as its own process. Prints `hello listening on PORT` once it listens and
 * stops on SIGTERM or SIGINT.
 *
 * Usage: `deno run -A bench/hello_server.ts [--port N] [--cert FILE --key FILE]`
 * (with `--cert` and `--key` it speaks TLS).
 *
 * @module
 */

/** Start of the line printed once the server listens; the port follows. */
export const HELLO_READY_PREFIX = "hello listening on ";

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

/**
 * Deno's documented hello world. It takes the request, so Deno builds the
 * Request object as for any real handler; a zero-argument handler lets Deno
 * skip that and is a few percent faster still.
 */
const hello = (_req: Request) => new Response("Hello, World!");

if (import.meta.main) {
  const args = Deno.args;
  const certFile = flag(args, "--cert");
  const keyFile = flag(args, "--key");
  const tls = certFile !== undefined && keyFile !== undefined
    ? {
      cert: await Deno.readTextFile(certFile),
      key: await Deno.readTextFile(keyFile),
    }
    : {};
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: Number(flag(args, "--port") ?? "0"),
    ...tls,
    onListen: ({ port }) => console.log(HELLO_READY_PREFIX + port),
  }, hello);
  const stop = () => void server.shutdown();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  await server.finished;
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
}
