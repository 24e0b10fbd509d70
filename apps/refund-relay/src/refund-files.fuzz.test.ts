// Fuzzing of the relay's file readers (JSON arrays, JSON Lines, CSV) and of the intake that stores what they
// read: whatever a file holds, the outcome is records (each valid, or reported invalid with its file, line and field
// paths) or a typed refundkit error for the file as a whole; never another exception. Valid records mixed with
// garbage all come out valid, on their own line. `pnpm fuzz` runs the same properties a hundred times harder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRefundkitError } from '@refundkit/transport';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { damaged, fuzzRuns, hostileNumber, hostileString, hostileValue } from '../../../test-support/fuzz.js';
import { recordFigures } from '../test/reliability-figures.js';
import { CSV_LINE_COLUMNS, CSV_REFUND_COLUMNS, refundInputsToCsv } from './csv-refunds.js';
import { readRefundFile, type SourceRecord } from './refund-files.js';
import { takeInFiles, validateRecord } from './refund-intake.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { sampleRefunds, tempDir } from './test-support.js';

const { dir, cleanup } = tempDir('refund-relay-fuzz-');
/** Cases tried per property, for the reliability figures. */
const casesTried: Record<string, number> = {};
afterAll(() => {
  cleanup();
  recordFigures('fuzz', {
    multiplier: Number(process.env.FUZZ_RUNS_MULTIPLIER || 1),
    casesPerProperty: casesTried,
    totalCases: Object.values(casesTried).reduce((sum, n) => sum + n, 0),
  });
});

/** Runs a property with `fuzzRuns(base)` cases and counts them for the figures. */
async function check<T extends [unknown, ...unknown[]]>(name: string, base: number, property: fc.IAsyncProperty<T>) {
  const numRuns = fuzzRuns(base);
  await fc.assert(property, { numRuns });
  casesTried[name] = numRuns;
}

/** A time limit that grows with the run count, so `pnpm fuzz` (×100) does not time out. */
const LIMIT = fuzzRuns(60_000);

/** Valid refund inputs (the JSON of parsed sample refunds): distinct refund numbers, 1–3 lines each. */
const VALID: Record<string, unknown>[] = sampleRefunds(120, 9, 'Z').map((refund) => JSON.parse(JSON.stringify(refund)));
const validPicks = fc.uniqueArray(fc.nat(VALID.length - 1), { minLength: 0, maxLength: 8 });

/** JSON text of any generated value: bigints as strings, what JSON cannot hold as null. */
function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), indent) ?? 'null';
}

/** A valid refund's JSON with its amount replaced by a raw number token JSON.parse turns into ±0, ±Infinity, … */
const oddNumberText = fc
  .tuple(
    fc.nat(VALID.length - 1),
    fc.constantFrom('1e999', '-1e999', '-0', '0e-400', '9007199254740993', '123456789012345678901234567890.5', '-0.0'),
  )
  .map(([index, token]) => toJson(VALID[index]).replace(/"actualAmount":"[^"]*"/, `"actualAmount":${token}`));

/** Text a broken or hostile producer writes on one JSON Lines line (it may hold line breaks of its own). */
const garbageLine = fc.oneof(
  hostileString,
  hostileValue.map((value) => toJson(value)),
  hostileNumber.map((n) => (Number.isFinite(n) ? String(n) : toJson({ refundNo: `N${n}`, requestedAmount: n }))),
  fc.nat(VALID.length - 1).chain((index) => damaged(VALID[index]!).map((value) => toJson(value))),
  fc
    .tuple(fc.nat(VALID.length - 1), fc.nat())
    .map(([index, cut]) => toJson(VALID[index]).slice(0, cut % toJson(VALID[index]).length)),
  oddNumberText,
  fc.constantFrom(
    '{"__proto__": {"refundNo": "P1", "lines": []}}',
    '{"constructor": {"prototype": {"polluted": true}}, "refundNo": "C1"}',
    '{"refundNo": "\\ud800", "orderNo": "\\udfff"}',
    '['.repeat(100_000),
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
    `{"refundNo": "R1", "reason": "${'长'.repeat(1024 * 1024)}"}`,
    'null',
    '"just a string"',
    '\uFEFF{}',
  ),
);

/** Every record has the file and a line inside it; every invalid one has issues with string paths and messages. */
function expectWellFormed(records: SourceRecord[], file: string, text: string): void {
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const record of records) {
    expect(record.file).toBe(file);
    expect(Number.isInteger(record.line) && record.line >= 1 && record.line <= lineCount).toBe(true);
    const checked = validateRecord(record);
    if (checked.ok) continue;
    expect(checked.invalid).toMatchObject({ file, line: record.line });
    expect(checked.invalid.issues.length).toBeGreaterThan(0);
    for (const issue of checked.invalid.issues) {
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.message === 'string' && issue.message.length > 0).toBe(true);
      if (issue.line !== undefined) expect(issue.line >= 1 && issue.line <= lineCount).toBe(true);
    }
    // The report is printed as JSON: it must serialise.
    expect(typeof JSON.stringify(checked.invalid)).toBe('string');
  }
}

/** Reads a file; a whole-file failure must be a typed refundkit error (code VALIDATION) naming the file. */
async function readOrTypedError(file: string): Promise<SourceRecord[] | 'refused'> {
  try {
    return await readRefundFile(file);
  } catch (error) {
    if (!isRefundkitError(error)) throw error;
    expect(error.code).toBe('VALIDATION');
    expect(error.message.startsWith(file)).toBe(true);
    return 'refused';
  }
}

/** Writes `text` to `name` in the fuzz folder and returns the path. */
function put(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Damages a text: cuts it, deletes a slice, or inserts hostile text at a position. */
const damage = (text: string) =>
  fc.oneof(
    fc.nat().map((at) => text.slice(0, at % (text.length + 1))),
    fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + text.slice(i + n);
    }),
    fc
      .tuple(
        fc.nat(),
        fc.oneof(hostileString, fc.constantFrom('"', ',', '\n', '\r', '[', ']', '{', '}', '\\', '\uFEFF')),
      )
      .map(([at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i);
      }),
  );

describe('JSON Lines reader under fuzzing', () => {
  it(
    'reads every valid refund among garbage lines, on its line, and reports every other line',
    async () => {
      const lines = fc.array(fc.oneof(garbageLine, fc.constantFrom('', '   ', '\r')), { maxLength: 6 });
      const property = fc.asyncProperty(
        validPicks,
        lines,
        fc.boolean(),
        fc.boolean(),
        async (picks, garbage, crlf, bom) => {
          // Interleave: valid refunds at random places among the garbage lines.
          const parts: { text: string; valid?: Record<string, unknown> }[] = garbage.map((text) => ({ text }));
          picks.forEach((index, n) => {
            const at = (index * 7 + n * 3) % (parts.length + 1);
            parts.splice(at, 0, { text: toJson(VALID[index]), valid: VALID[index]! });
          });
          const text = (bom ? '\uFEFF' : '') + parts.map((part) => part.text).join(crlf ? '\r\n' : '\n');
          const file = put('fuzz.jsonl', text);
          const records = await readRefundFile(file); // JSON Lines never refuses a whole file
          expectWellFormed(records, file, text);
          // Where each valid refund starts: 1 + the line breaks before it.
          let line = 1;
          for (const part of parts) {
            if (part.valid) {
              const record = records.find((r) => r.line === line);
              const checked = record && validateRecord(record);
              expect(checked?.ok && checked.refund.refundNo).toBe(part.valid.refundNo);
            }
            line += (part.text.match(/\n/g)?.length ?? 0) + 1;
          }
        },
      );
      await check('JSON Lines: valid refunds among garbage lines', 500, property);
    },
    LIMIT,
  );
});

describe('JSON array reader under fuzzing', () => {
  it(
    'reads every valid refund among hostile elements, each on the line its element starts',
    async () => {
      const elements = fc.array(
        fc.oneof(
          hostileValue,
          fc.nat(VALID.length - 1).chain((i) => damaged(VALID[i]!)),
        ),
        {
          maxLength: 5,
        },
      );
      const property = fc.asyncProperty(validPicks, elements, fc.boolean(), async (picks, hostile, pretty) => {
        const parts: { value: unknown; valid?: boolean }[] = hostile.map((value) => ({ value }));
        picks.forEach((index, n) => {
          parts.splice((index + n) % (parts.length + 1), 0, { value: VALID[index], valid: true });
        });
        const texts = parts.map((part) => toJson(part.value, pretty ? 2 : undefined));
        const text = `[\n${texts.join(',\n')}\n]\n`;
        const file = put('fuzz.json', text);
        const records = await readOrTypedError(file);
        expect(records).not.toBe('refused'); // the text is a valid JSON array
        if (records === 'refused') return;
        expect(records).toHaveLength(parts.length);
        expectWellFormed(records, file, text);
        let line = 2;
        parts.forEach((part, index) => {
          expect(records[index]!.line).toBe(line);
          if (part.valid) {
            const checked = validateRecord(records[index]!);
            expect(checked.ok && checked.refund.refundNo).toBe((part.value as { refundNo: string }).refundNo);
          }
          line += (texts[index]!.match(/\n/g)?.length ?? 0) + 1;
        });
      });
      await check('JSON array: valid refunds among hostile elements', 400, property);
    },
    LIMIT,
  );

  it(
    'answers a damaged JSON array with records or a typed error',
    async () => {
      const base = fc
        .tuple(validPicks, fc.array(hostileValue, { maxLength: 2 }))
        .map(([picks, hostile]) => toJson([...picks.map((i) => VALID[i]), ...hostile], 2));
      const property = fc.asyncProperty(
        base.chain((text) => damage(text)),
        async (text) => {
          const file = put('damaged.json', text);
          const records = await readOrTypedError(file);
          if (records !== 'refused') expectWellFormed(records, file, text);
        },
      );
      await check('JSON array: damaged text', 400, property);
    },
    LIMIT,
  );
});

/**
 * Text a CSV cell can carry: hostile strings, odd numbers, JSON of hostile values, and plain binary strings (weighted
 * up, so the 1 MB strings, which csv-parse takes ~0.1 s each to read, stay a few percent of the cells).
 */
const cellText = fc.oneof(
  hostileString,
  hostileNumber.map(String),
  hostileValue.map((value) => toJson(value)),
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 3 },
);

/**
 * A valid refund with hostile text in some of its CSV columns (refund columns, or a line column on every line), under
 * a refund number no valid refund uses, or an empty one.
 */
const garbageCsvRecord = fc
  .tuple(
    fc.nat(VALID.length - 1),
    fc.array(fc.tuple(fc.constantFrom(...CSV_REFUND_COLUMNS, ...CSV_LINE_COLUMNS), cellText), { maxLength: 3 }),
    fc.oneof(
      fc.constant(''),
      hostileString.map((text) => `G-${text.slice(0, 64)}`),
    ),
  )
  .map(([index, cells, refundNo]) => {
    const record = structuredClone(VALID[index]!) as Record<string, unknown>;
    for (const [column, text] of cells) {
      if (column.startsWith('line.')) {
        for (const line of record.lines as Record<string, unknown>[]) line[column.slice('line.'.length)] = text;
        continue;
      }
      const [head, tail] = column.split('.') as [string, string | undefined];
      if (tail === undefined) record[head] = text;
      else record[head] = { ...(record[head] as object | undefined), [tail]: text };
    }
    return { ...record, refundNo };
  });

describe('CSV reader under fuzzing', () => {
  it(
    'reads every valid refund among rows with hostile cells, on its first row',
    async () => {
      const property = fc.asyncProperty(
        validPicks,
        fc.array(garbageCsvRecord, { maxLength: 4 }),
        async (picks, garbage) => {
          const records: { value: Record<string, unknown>; valid?: boolean }[] = garbage.map((value) => ({ value }));
          picks.forEach((index, n) => {
            records.splice((index + n) % (records.length + 1), 0, { value: VALID[index]!, valid: true });
          });
          // One CSV per record, so we know each record's rows; then one file of all of them.
          const header = refundInputsToCsv([]).trimEnd();
          const bodies = records.map((r) =>
            refundInputsToCsv([r.value])
              .slice(header.length + 1)
              .replace(/\n$/, ''),
          );
          const text = `${[header, ...bodies].join('\n')}\n`;
          const file = put('fuzz.csv', text);
          const read = await readOrTypedError(file);
          expect(read).not.toBe('refused'); // well-formed CSV with the documented header
          if (read === 'refused') return;
          expectWellFormed(read, file, text);
          let line = 2;
          records.forEach((record, index) => {
            if (record.valid) {
              const found = read.find((r) => r.line === line);
              const checked = found && validateRecord(found);
              expect(checked?.ok && checked.refund.refundNo).toBe(record.value.refundNo);
              if (checked?.ok) expect(checked.refund.lines).toHaveLength((record.value.lines as unknown[]).length);
            }
            line += (bodies[index]!.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
          });
        },
      );
      await check('CSV: valid refunds among hostile rows', 300, property);
    },
    LIMIT,
  );

  it(
    'answers damaged CSV (header and body) with records or a typed error',
    async () => {
      const base = fc
        .tuple(validPicks, fc.array(garbageCsvRecord, { maxLength: 2 }))
        .map(([picks, garbage]) => refundInputsToCsv([...picks.map((i) => VALID[i]!), ...garbage]));
      const property = fc.asyncProperty(
        base.chain((text) => damage(text)),
        async (text) => {
          const file = put('damaged.csv', text);
          const records = await readOrTypedError(file);
          if (records !== 'refused') expectWellFormed(records, file, text);
        },
      );
      await check('CSV: damaged text', 300, property);
    },
    LIMIT,
  );
});

describe('any file under fuzzing', () => {
  it(
    'answers arbitrary text in any format with records or a typed error',
    async () => {
      const text = fc.oneof(
        hostileString,
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.array(garbageLine, { maxLength: 4 }).map((lines) => lines.join('\n')),
        hostileValue.map((value) => toJson(value)),
        fc.constantFrom('refundNo,line.subOrderId\n"unclosed,1\n', 'refundNo,__proto__\nR1,x\n', '\uFEFF', ',,,\n'),
      );
      const name = fc.constantFrom('any.json', 'any.jsonl', 'any.ndjson', 'any.csv', 'any.txt');
      const property = fc.asyncProperty(name, text, async (fileName, content) => {
        const file = put(fileName, content);
        const records = await readOrTypedError(file);
        if (records !== 'refused') expectWellFormed(records, file, content);
      });
      await check('any format: arbitrary text', 500, property);
    },
    LIMIT,
  );
});

describe('intake under fuzzing (real SQLite)', () => {
  it(
    'stores exactly the valid refunds of several files and reports every invalid record, or stores nothing',
    async () => {
      const property = fc.asyncProperty(
        validPicks,
        fc.array(garbageLine, { maxLength: 3 }),
        fc.array(garbageCsvRecord, { maxLength: 2 }),
        fc.boolean(),
        async (picks, lines, rows, breakJson) => {
          // Split the valid refunds over a JSON Lines file, a CSV file and a JSON array.
          const inJsonl = picks.filter((_, n) => n % 3 === 0).map((i) => VALID[i]!);
          const inCsv = picks.filter((_, n) => n % 3 === 1).map((i) => VALID[i]!);
          const inJson = picks.filter((_, n) => n % 3 === 2).map((i) => VALID[i]!);
          const files = [
            put('intake.jsonl', [...inJsonl.map((r) => toJson(r)), ...lines].join('\n')),
            put('intake.csv', refundInputsToCsv([...inCsv, ...rows])),
            put('intake.json', toJson(inJson, 2) + (breakJson ? ',' : '')),
          ];
          const store = openSqliteOutbox({ path: ':memory:' });
          try {
            await store.open({ now: 1 });
            let report: Awaited<ReturnType<typeof takeInFiles>> | undefined;
            try {
              report = await takeInFiles(store, files, { now: () => 2 });
            } catch (error) {
              if (!isRefundkitError(error)) throw error;
              expect(breakJson).toBe(true);
              expect(await store.refundTotals()).toEqual({ refunds: 0, versions: 0 });
              return;
            }
            expect(breakJson).toBe(false);
            const stored = new Set((await store.listDeliveries()).map((d) => d.refundNo));
            for (const refund of [...inJsonl, ...inCsv, ...inJson])
              expect(stored.has(String(refund.refundNo))).toBe(true);
            expect(report.newRefunds + report.newVersions + report.duplicates + report.invalid.length).toBe(
              report.records,
            );
            for (const invalid of report.invalid) {
              expect(files).toContain(invalid.file);
              expect(invalid.line).toBeGreaterThanOrEqual(1);
              expect(invalid.issues.length).toBeGreaterThan(0);
            }
          } finally {
            await store.close();
          }
        },
      );
      await check('intake: mixed files into SQLite', 150, property);
    },
    LIMIT,
  );
});
