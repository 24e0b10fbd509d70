/**
 * The Bun program: reads the driver's input (JSON) from stdin, runs the runtime checks, and writes the report
 * (JSON) to stdout. Started by runtimes/test/bun.test.ts as `bun src/bun-main.ts`.
 */
import { type RuntimeCheckInput, runRuntimeChecks } from './runtime-checks.ts';

declare const Bun: { stdin: { text(): Promise<string> } };

const input = JSON.parse(await Bun.stdin.text()) as RuntimeCheckInput;
console.log(JSON.stringify(await runRuntimeChecks(input, (specifier) => import.meta.resolve(specifier))));
