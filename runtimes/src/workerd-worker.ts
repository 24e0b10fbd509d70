/**
 * The workerd program, a module worker: each POST carries the driver's input (JSON) and is answered with the report
 * (JSON). runtimes/test/workerd.test.ts bundles it as Wrangler would and serves it with and without nodejs_compat.
 */
import { type RuntimeCheckInput, runRuntimeChecks } from './runtime-checks.ts';

export default {
  async fetch(request: Request): Promise<Response> {
    const input = (await request.json()) as RuntimeCheckInput;
    return Response.json(await runRuntimeChecks(input));
  },
};
