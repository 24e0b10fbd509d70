/**
 * What the leak scan looks for: the secrets, salts and buyer names configured in the sandboxes, the worked
 * signing examples and the demo's sample data, and anything shaped like a signature or an app-token.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Secret values used across the suites (sandbox defaults and the worked signing examples). */
const SECRETS: Record<string, string> = {
  'Kingdee client secret': 'f2adcfef73369bfc4e1384677d38a0ff',
  'Wangdian example secret': '693f9fed686bfe13441385da98b436b6',
  'Wangdian example salt': 'dd488d0802b1e431e4c72cd355847853',
  'Wangdian sandbox secret': 'testsecret',
  'Wangdian sandbox salt': 'testsalt',
  'Kingdee example app_signature':
    'MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA',
  'buyer name': '可用库存',
};

/** Buyer nicks and pay accounts of the demo's bundled sample (personal data in a real system). */
function sampleBuyerData(): string[] {
  const dir = join(root, 'apps', 'refund-relay', 'samples');
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/"(?:nick|payAccount|buyer_nick|pay_account)"\s*:\s*"([^"]{4,})"/g)) {
      found.add(match[1]!);
    }
  }
  return [...found];
}

const buyerData = sampleBuyerData();

// Shapes are found in linear time by taking maximal runs of the right characters, then checking each run, so a
// megabyte of hostile input costs one pass, not one pass per starting position.
const BASE64_RUN = /[A-Za-z0-9+/]+={0,2}/g;
const HEX_RUN = /[0-9a-f]+/g;
const WANGDIAN_SIGN = /\bsign["']?\s*[=:]\s*["']?([0-9a-f]+)/g;

/** X-Api-Signature and app_signature: Base64 of 64 lower-case hex digits (88 characters, ending in "=="). */
function isKingdeeSignature(run: string): boolean {
  return (
    run.length === 88 && run.endsWith('==') && /^[0-9a-f]{64}$/.test(Buffer.from(run, 'base64').toString('latin1'))
  );
}

/** Names the leaks found in one text (one entry per hit, by kind; never the value). */
export function findLeaks(text: string): string[] {
  const hits: string[] = [];
  for (const [kind, value] of Object.entries(SECRETS)) {
    if (text.includes(value)) hits.push(kind);
  }
  for (const value of buyerData) {
    if (text.includes(value)) hits.push('sample buyer data');
  }
  for (const [run] of text.matchAll(BASE64_RUN)) {
    if (isKingdeeSignature(run)) hits.push('Kingdee signature');
  }
  // The sandbox's app-tokens and access tokens: 48 hex digits.
  for (const [run] of text.matchAll(HEX_RUN)) {
    if (run.length === 48) hits.push('app-token');
  }
  // A Wangdian sign (32 hex digits) next to its name, in a URL or a JSON text.
  for (const match of text.matchAll(WANGDIAN_SIGN)) {
    if (match[1]!.length === 32) hits.push('Wangdian sign');
  }
  return hits;
}
