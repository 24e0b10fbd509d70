import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refundInputsToCsv } from './csv-refunds.js';
import { RefundFileError } from './refund-file-error.js';
import { jsonArrayElementLines, readRefundFile } from './refund-files.js';
import { validateRecord } from './refund-intake.js';
import { generateSampleRefunds } from './sample-refunds.js';
import { tempDir } from './test-support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function file(name: string, text: string): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const [good, second] = generateSampleRefunds({ count: 10, seed: 3 }).records;

describe('readRefundFile', () => {
  it('reads a JSON array and knows the line each element starts on', async () => {
    const text = `[\n  ${JSON.stringify(good)},\n\n  {"refundNo": "x\\"]{", "lines": []}\n]\n`;
    expect(jsonArrayElementLines(text)).toEqual([2, 4]);
    const records = await readRefundFile(file('refunds.json', text));
    expect(records.map((r) => r.line)).toEqual([2, 4]);
    expect(validateRecord(records[0]!).ok).toBe(true);
    const bad = validateRecord(records[1]!);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.invalid).toMatchObject({ line: 4, refundNo: 'x"]{' });
  });

  it('reads JSON Lines, skipping blank lines and reporting a broken line without its text', async () => {
    const path = file(
      'refunds.jsonl',
      `${JSON.stringify(good)}\n\n{"refundNo": "秘密买家\n${JSON.stringify(second)}\n`,
    );
    const records = await readRefundFile(path);
    expect(records.map((r) => r.line)).toEqual([1, 3, 4]);
    const broken = validateRecord(records[1]!);
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.invalid.issues[0]!.message).toMatch(/^not valid JSON/);
      expect(JSON.stringify(broken.invalid)).not.toContain('秘密买家');
    }
  });

  it('reads CSV with one row per line, grouped by refund number even when rows are apart', async () => {
    const csv = refundInputsToCsv([good!, second!]).trimEnd().split('\n');
    const [header, ...rows] = csv;
    // Move the first refund's last row to the end.
    const firstRows = rows.filter((row) => row.startsWith(String(good!.refundNo)));
    const reordered = [header, ...rows.filter((row) => row !== firstRows.at(-1)), firstRows.at(-1)];
    const records = await readRefundFile(file('refunds.csv', `${reordered.join('\n')}\n`));
    expect(records).toHaveLength(2);
    for (const record of records) {
      const checked = validateRecord(record);
      expect(checked.ok).toBe(true);
    }
    const parsed = validateRecord(records[0]!);
    if (parsed.ok) expect(parsed.refund.lines).toHaveLength((good!.lines as unknown[]).length);
  });

  it('reports CSV rows of one refund that disagree, and line issues on their own line', async () => {
    const refund = {
      ...good!,
      lines: [...(good!.lines as object[]), { ...(good!.lines as object[])[0], subOrderId: 'S-2', quantity: 'abc' }],
    };
    const lines = refundInputsToCsv([refund]).trimEnd().split('\n');
    lines[2] = lines[2]!.replace(String(good!.orderNo), 'T-OTHER');
    const records = await readRefundFile(file('r.csv', `${lines.join('\n')}\n`));
    const checked = validateRecord(records[0]!);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      const paths = checked.invalid.issues.map((issue) => [issue.path, issue.line]);
      expect(paths).toContainEqual(['orderNo', lines.length]);
      const quantity = checked.invalid.issues.find((issue) => issue.path.endsWith('.quantity'));
      expect(quantity?.line).toBe(lines.length);
    }
  });

  it('refuses a CSV with unknown or missing columns, and an unparsable JSON array', async () => {
    await expect(readRefundFile(file('a.csv', 'refundNo,line.subOrderId,colour\nR1,S1,red\n'))).rejects.toThrow(
      /unknown CSV column/,
    );
    await expect(readRefundFile(file('b.csv', 'refundNo,orderNo\nR1,T1\n'))).rejects.toThrow(/lacks line.subOrderId/);
    // Unknown header cells are named by position, never quoted back: neither binary text, nor a data row that a
    // damaged file merged into its header (a buyer's nick would be echoed otherwise). Near misses get a suggestion.
    await expect(readRefundFile(file('d.csv', 'ab\u0001\u001b[31m,colour\n1,2\n'))).rejects.toThrow(
      /: unknown CSV column\(s\) 1, 2 in the header \(see the README\)$/,
    );
    const merged = 'refundNo,line.subOrderId,buyer.nickR1,S1,jd_阿杰1083\n';
    const error: unknown = await readRefundFile(file('e.csv', merged)).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (!(error instanceof RefundFileError)) throw new Error('expected a RefundFileError');
    expect(error.message).toMatch(/unknown CSV column\(s\) 3, 4, 5 in the header/);
    expect(error.message).not.toContain('阿杰');
    expect(JSON.stringify(error.toJSON())).not.toContain('阿杰');
    await expect(readRefundFile(file('f.csv', 'refundNo,Line.SubOrder_Id\nR1,S1\n'))).rejects.toThrow(
      /unknown CSV column\(s\) 2 \(did you mean line.subOrderId\?\) in the header/,
    );
    await expect(readRefundFile(file('c.json', '[{"refundNo": 1},'))).rejects.toThrow(/not valid JSON/);
  });
});
