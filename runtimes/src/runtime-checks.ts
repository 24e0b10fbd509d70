/**
 * What every runtime program does, on Bun, Deno and workerd alike: signs every worked example through
 * `@refundkit/signing`, makes one real call of each vendor client against the sandboxes the Node test driver
 * started, and tries the credential fallback with nothing to fall back on. It only computes and reports; the
 * driver (runtimes/test/) holds the expected values and asserts. Imports are the package names a user writes, so
 * each runtime resolves them through the built packages' `exports`, as it would in a user's install.
 */
import {
  createKingdeeRetailClient,
  type KingdeeRefundSaveBody,
  type KingdeeRetailSettings,
} from '@refundkit/kingdee-retail';
import {
  kingdeeAppSignature,
  kingdeeStringToSign,
  parseWangdianAppSecret,
  signKingdeeRequest,
  verifyKingdeeSignature,
  verifyWangdianSign,
  wangdianSign,
} from '@refundkit/signing';
import {
  createWangdianClient,
  type WangdianClientSettings,
  type WangdianRawRefundRow,
} from '@refundkit/wangdian-aftersales';
import { WANGDIAN_ENDPOINTS } from '@refundkit/wangdian-aftersales/endpoints';
import type { SigningWorkedExamples } from '../../test-support/signing-worked-examples.ts';

/** What the driver hands a runtime program (as JSON). */
export interface RuntimeCheckInput {
  examples: SigningWorkedExamples;
  kingdee: {
    settings: KingdeeRetailSettings;
    body: KingdeeRefundSaveBody;
  };
  wangdian: {
    settings: WangdianClientSettings;
    shopNo: string;
    rows: WangdianRawRefundRow[];
    search: { method: string; filter: Record<string, string>; pageSize: number };
  };
  /** Origins the clients of the fallback case point at (nothing listens there: they must fail before sending). */
  fallbackBaseUrl: string;
}

/** An error as it crossed the runtime boundary. */
export interface ReportedError {
  name: string;
  message: string;
  code?: unknown;
  setting?: unknown;
}

/** A step's outcome: its value, or the error it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ReportedError };

/** What a runtime program answers (as JSON). */
export interface RuntimeReport {
  /** Whether the runtime has a `process` global. */
  hasProcess: boolean;
  /** Where each package name resolved, where the runtime can say (`import.meta.resolve`). */
  resolved: Record<string, string>;
  kingdeeAppSignatures: Record<string, Outcome<{ appSignature: string }>>;
  kingdeeRequests: Record<string, Outcome<{ signature: string; verified: boolean; stringToSign: string }>>;
  wangdianSigns: Record<string, Outcome<{ sign: string; verified: boolean; urlVerified?: boolean }>>;
  kingdeeRefundSave: Outcome<unknown>;
  wangdianUpload: Outcome<unknown>;
  wangdianSearch: Outcome<unknown>;
  /** Clients created with no credential in the settings, so the environment is read. */
  kingdeeFallback: Outcome<'created'>;
  wangdianFallback: Outcome<'created'>;
}

/** The package names the programs import. */
export const PACKAGES = ['@refundkit/signing', '@refundkit/kingdee-retail', '@refundkit/wangdian-aftersales'];

function reported(error: unknown): ReportedError {
  if (typeof error !== 'object' || error === null) return { name: typeof error, message: String(error) };
  const { name, message, code, setting } = error as Record<string, unknown>;
  return { name: String(name), message: String(message), code, setting };
}

async function outcome<T>(step: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    return { ok: false, error: reported(error) };
  }
}

/** Runs every check and reports; `resolve` is the runtime's `import.meta.resolve`, where it has one. */
export async function runRuntimeChecks(
  input: RuntimeCheckInput,
  resolve?: (specifier: string) => string,
): Promise<RuntimeReport> {
  const { examples, wangdian } = input;
  const kingdeeAppSignatures: RuntimeReport['kingdeeAppSignatures'] = {};
  for (const { id, appKey, appSecret } of examples.kingdeeAppSignatures) {
    kingdeeAppSignatures[id] = await outcome(() => ({ appSignature: kingdeeAppSignature({ appKey, appSecret }) }));
  }
  const kingdeeRequests: RuntimeReport['kingdeeRequests'] = {};
  for (const { id, clientSecret, method, path, query, nonce, timestamp, signature } of examples.kingdeeRequests) {
    const request = { method, path, query, nonce, timestamp };
    kingdeeRequests[id] = await outcome(() => ({
      signature: signKingdeeRequest({ clientSecret, ...request }),
      verified: verifyKingdeeSignature({ clientSecret, ...request, signature }),
      stringToSign: kingdeeStringToSign(request),
    }));
  }
  const wangdianSigns: RuntimeReport['wangdianSigns'] = {};
  for (const { id, appSecret, params, body, sign, url } of examples.wangdianSigns) {
    wangdianSigns[id] = await outcome(() => {
      const { secret, salt } = parseWangdianAppSecret(appSecret);
      const signed = { secret, params: { ...params, salt }, body };
      const sent = url === undefined ? undefined : new URL(url).searchParams;
      return {
        sign: wangdianSign(signed),
        verified: verifyWangdianSign({ ...signed, sign }),
        ...(sent && { urlVerified: verifyWangdianSign({ secret, params: sent, body, sign: sent.get('sign') }) }),
      };
    });
  }

  return {
    hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
    resolved: Object.fromEntries(resolve === undefined ? [] : PACKAGES.map((name) => [name, resolve(name)])),
    kingdeeAppSignatures,
    kingdeeRequests,
    wangdianSigns,
    kingdeeRefundSave: await outcome(() =>
      createKingdeeRetailClient(input.kingdee.settings).refundSave(input.kingdee.body),
    ),
    wangdianUpload: await outcome(async () => {
      const { newCount, chgCount } = await createWangdianClient(wangdian.settings).uploadRawRefunds(
        wangdian.shopNo,
        wangdian.rows,
      );
      return { newCount, chgCount };
    }),
    wangdianSearch: await outcome(() =>
      // The query definitions come from the `endpoints` subpath, which each runtime resolves through `exports`.
      createWangdianClient({ ...wangdian.settings, endpoints: WANGDIAN_ENDPOINTS }).request({
        method: wangdian.search.method,
        args: [wangdian.search.filter],
        paging: { pageSize: wangdian.search.pageSize, pageNo: 0, calcTotal: true },
      }),
    ),
    kingdeeFallback: await outcome(() => {
      createKingdeeRetailClient({ baseUrl: input.fallbackBaseUrl });
      return 'created' as const;
    }),
    wangdianFallback: await outcome(() => {
      createWangdianClient({ baseUrl: input.fallbackBaseUrl });
      return 'created' as const;
    }),
  };
}
