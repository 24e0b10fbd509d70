/**
 * The Deno program: reads the driver's input (JSON) from stdin, runs the runtime checks, and writes the report
 * (JSON) to stdout. Started by runtimes/test/deno.test.ts with `--allow-net=127.0.0.1` and no other permission.
 */
import { type RuntimeCheckInput, runRuntimeChecks } from './runtime-checks.ts';

declare const Deno: { stdin: { readable: ReadableStream<Uint8Array> } };

const input = JSON.parse(await new Response(Deno.stdin.readable).text()) as RuntimeCheckInput;
console.log(JSON.stringify(await runRuntimeChecks(input, (specifier) => import.meta.resolve(specifier))));
