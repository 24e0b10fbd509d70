import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { csvRowsToRefundInputs } from './csv-refunds.js';
import { RefundFileError } from './refund-file-error.js';

/** One problem with one input record: a field path in the refund input shape, a message, and its line when known. */
export interface RecordIssue {
  path: string;
  message: string;
  /** The file line the issue is on, when it differs from the record's first line (a CSV goods line). */
  line?: number;
}

/**
 * One refund as read from a file, not yet validated: where it came from, the refund input, and problems the reader
 * itself found (bad JSON on a JSON Lines line, CSV rows of one refund that disagree). `lineOf` maps an issue path
 * (`lines[2].quantity`) to the line it comes from.
 */
export interface SourceRecord {
  file: string;
  line: number;
  input: unknown;
  readerIssues: RecordIssue[];
  lineOf?: (path: string) => number | undefined;
}

/** The input formats `readRefundFile` understands. */
export type RefundFileFormat = 'json' | 'jsonl' | 'csv';

/**
 * Picks a file's format: `.csv` is CSV, `.jsonl`/`.ndjson` JSON Lines, and anything else JSON: a JSON array when
 * its first non-blank character is `[`, otherwise JSON Lines (one refund object per line).
 */
export function detectRefundFileFormat(path: string, text: string): RefundFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return text.trimStart().startsWith('[') ? 'json' : 'jsonl';
}

/**
 * Reads every refund record of a file (JSON array, JSON Lines or CSV, see the README for the CSV header), each with
 * its file and line. A file that cannot be read throws the file system's error; a JSON array that is not valid JSON,
 * or a CSV without the required columns or with broken quoting throws a `RefundFileError`; a bad JSON Lines line
 * or inconsistent CSV rows only make that record invalid (`readerIssues`), so the rest of the file goes on.
 *
 * @example
 * const records = await readRefundFile('exports/2024-06-01.csv');
 */
export async function readRefundFile(path: string): Promise<SourceRecord[]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const file = path;
  switch (detectRefundFileFormat(path, text)) {
    case 'json':
      return readJsonArray(file, text);
    case 'jsonl':
      return readJsonLines(file, text);
    case 'csv':
      return csvRowsToRefundInputs(file, text);
  }
}

function readJsonLines(file: string, text: string): SourceRecord[] {
  const records: SourceRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const content = raw.trim();
    if (content === '') return;
    const line = index + 1;
    try {
      records.push({ file, line, input: JSON.parse(content), readerIssues: [] });
    } catch (error) {
      records.push({
        file,
        line,
        input: undefined,
        readerIssues: [{ path: '', message: `not valid JSON (${jsonErrorText(error)})` }],
      });
    }
  });
  return records;
}

function readJsonArray(file: string, text: string): SourceRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RefundFileError(file, `not valid JSON (${jsonErrorText(error)})`);
  }
  if (!Array.isArray(parsed)) throw new RefundFileError(file, 'a JSON file must hold an array of refunds');
  const lines = jsonArrayElementLines(text);
  return parsed.map((input, index) => ({ file, line: lines[index] ?? 1, input, readerIssues: [] }));
}

/** The message of a JSON.parse error without the text it quotes (which may hold buyer data). */
function jsonErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  return position ? `syntax error at character ${Number(position[1]) + 1}` : 'syntax error';
}

/**
 * The 1-based line on which each element of a top-level JSON array starts, found by scanning the text once
 * (strings and escapes respected). Only meaningful for text that parses as a JSON array.
 */
export function jsonArrayElementLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectValue && ch !== ']') {
      starts.push(line);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return starts;
}
