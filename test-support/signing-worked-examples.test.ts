import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIGNING_WORKED_EXAMPLES } from './signing-worked-examples.js';

const page = (name: string) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');

/** The JSON blocks of a page, in order. */
function jsonBlocks(text: string): string[] {
  return [...text.matchAll(/^```json\n([\s\S]*?)\n```$/gm)].map((match) => match[1] ?? '');
}

describe.each([
  [
    'protocols-kingdee.md',
    [...SIGNING_WORKED_EXAMPLES.kingdeeAppSignatures, ...SIGNING_WORKED_EXAMPLES.kingdeeRequests],
  ],
  ['protocols-wangdian.md', SIGNING_WORKED_EXAMPLES.wangdianSigns],
])('docs/%s', (name, examples) => {
  it('shows every worked example the tests run, byte for byte, and no other', () => {
    expect(jsonBlocks(page(name))).toEqual(examples.map((example) => JSON.stringify(example, null, 2)));
  });

  it('names each example in its overview table', () => {
    for (const { id } of examples) expect(page(name)).toMatch(new RegExp(`^\\| \`${id}\` \\|`, 'm'));
  });
});
