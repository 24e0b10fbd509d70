import { parse } from 'csv-parse/sync';
import { RefundFileError } from './refund-file-error.js';
import type { RecordIssue, SourceRecord } from './refund-files.js';

/**
 * The refund-level CSV columns, each named by its path in the refund input. Every row of a refund repeats them (they
 * must agree); empty cells are left out, except `reason`, which may be empty.
 */
export const CSV_REFUND_COLUMNS = [
  'refundNo',
  'orderNo',
  'shopCode',
  'kind',
  'status',
  'version',
  'requestedAmount',
  'actualAmount',
  'reason',
  'remark',
  'afterSale',
  'buyer.nick',
  'buyer.payAccount',
  'payment.payNo',
  'payment.merchantId',
  'payment.channelOrderNo',
  'payment.terminalNo',
  'payment.terminalIp',
  'payment.serviceGroup',
  'logistics.company',
  'logistics.trackingNo',
  'createdAt',
  'completedAt',
] as const;

/** The goods-line CSV columns (`line.` + a field of a refund line); one row per line. `line.title` may be empty. */
export const CSV_LINE_COLUMNS = [
  'line.subOrderId',
  'line.title',
  'line.quantity',
  'line.unitPrice',
  'line.lineTotal',
  'line.requestedAmount',
  'line.actualAmount',
  'line.goodsNo',
  'line.goodsId',
  'line.specNo',
  'line.specId',
] as const;

/** Columns every CSV file must have. */
const REQUIRED_COLUMNS = ['refundNo', 'line.subOrderId'];
const KNOWN_COLUMNS = new Set<string>([...CSV_REFUND_COLUMNS, ...CSV_LINE_COLUMNS]);
const MAY_BE_EMPTY = new Set(['reason', 'line.title']);

interface Group {
  refundNo: string;
  rows: { line: number; cells: Record<string, string> }[];
}

/**
 * Turns CSV text (header row of the documented column names, one row per goods line) into one record per refund
 * number, in the order the numbers first appear; rows of one refund need not be adjacent. Refund-level cells that
 * differ between the rows of one refund make it invalid, naming the column and both lines. Throws a `RefundFileError`
 * when the header lacks `refundNo` or `line.subOrderId`, names an unknown column, or the CSV itself is malformed.
 */
export function csvRowsToRefundInputs(file: string, text: string): SourceRecord[] {
  let parsed: { record: Record<string, string>; raw: string; info: { bytes: number } }[];
  try {
    parsed = parse(text, { columns: true, info: true, raw: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/:.*$/s, '') : 'malformed CSV';
    throw new RefundFileError(file, message);
  }
  const header = parsed[0] ? Object.keys(parsed[0].record) : headerOf(text);
  const unknown = header.flatMap((column, index) => (KNOWN_COLUMNS.has(column) ? [] : [unknownColumn(column, index)]));
  if (unknown.length > 0) {
    throw new RefundFileError(file, `unknown CSV column(s) ${unknown.join(', ')} in the header (see the README)`);
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new RefundFileError(file, `the CSV header lacks ${missing.join(', ')}`);

  const groups = new Map<string, Group>();
  const records: SourceRecord[] = [];
  const lineAt = lineCounter(text);
  for (const { record, raw, info } of parsed) {
    // Where the record's own text starts: its raw text ends at info.bytes and may begin with skipped blank lines.
    const blank = BLANK_LINES.exec(raw)?.[0].length ?? 0;
    const line = lineAt(info.bytes - Buffer.byteLength(raw) + blank);
    const refundNo = record.refundNo ?? '';
    if (refundNo === '') {
      records.push({
        file,
        line,
        input: undefined,
        readerIssues: [{ path: 'refundNo', message: 'is empty; every CSV row needs its refund number' }],
      });
      continue;
    }
    const group = groups.get(refundNo);
    if (group) group.rows.push({ line, cells: record });
    else groups.set(refundNo, { refundNo, rows: [{ line, cells: record }] });
  }
  for (const group of groups.values()) records.push(groupToRecord(file, group));
  return records.sort((a, b) => a.line - b.line);
}

/** Known column names folded for a near-miss match: case, spaces, `_` and `-` ignored. */
const FOLDED_COLUMNS = new Map([...KNOWN_COLUMNS].map((column) => [foldColumn(column), column]));

function foldColumn(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * Names an unknown header cell by its position, never by its text: a header damaged into a data row would otherwise
 * quote buyer data back. A near miss of a known column is named by the known column's name.
 */
function unknownColumn(column: string, index: number): string {
  const near = FOLDED_COLUMNS.get(foldColumn(column));
  return near ? `${index + 1} (did you mean ${near}?)` : String(index + 1);
}

/** Blank lines (only spaces or tabs) at the start of a record's raw text, which csv-parse skipped. */
const BLANK_LINES = /^(?:[ \t]*(?:\r\n|\r|\n))*/;

/**
 * The line number at a UTF-8 byte offset of `text` (the offsets csv-parse reports), asked in increasing order: CR LF,
 * a lone CR and LF each end one line, inside quoted cells too, as every reader of the relay counts them.
 */
function lineCounter(text: string): (offset: number) => number {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) {
      const byte = bytes[at];
      if (byte === 0x0a || (byte === 0x0d && bytes[at + 1] !== 0x0a)) line++;
    }
    return line;
  };
}

function headerOf(text: string): string[] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
}

function groupToRecord(file: string, group: Group): SourceRecord {
  const first = group.rows[0]!;
  const issues: RecordIssue[] = [];
  const input: Record<string, unknown> = {};
  for (const column of CSV_REFUND_COLUMNS) {
    const value = first.cells[column];
    if (value === undefined) continue;
    const other = group.rows.find((row) => (row.cells[column] ?? '') !== value);
    if (other) {
      issues.push({
        path: column,
        message: `differs between the rows of this refund (lines ${first.line} and ${other.line})`,
        line: other.line,
      });
    }
    if (value === '' && !MAY_BE_EMPTY.has(column)) continue;
    setPath(input, column, column === 'afterSale' ? booleanCell(value) : value);
  }
  input.lines = group.rows.map((row) => {
    const line: Record<string, unknown> = {};
    for (const column of CSV_LINE_COLUMNS) {
      const value = row.cells[column];
      if (value === undefined || (value === '' && !MAY_BE_EMPTY.has(column))) continue;
      line[column.slice('line.'.length)] = value;
    }
    return line;
  });
  const lineOf = (path: string): number | undefined => {
    const match = /^lines\[(\d+)\]/.exec(path);
    return match ? group.rows[Number(match[1])]?.line : undefined;
  };
  return { file, line: first.line, input, readerIssues: issues, lineOf };
}

/** `true`/`false`, `1`/`0`, `yes`/`no`, `是`/`否`; anything else is passed on for the model to reject. */
function booleanCell(value: string): unknown {
  const lower = value.toLowerCase();
  if (['true', '1', 'yes', 'y', '是'].includes(lower)) return true;
  if (['false', '0', 'no', 'n', '否'].includes(lower)) return false;
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/**
 * Writes refund inputs as CSV in the documented layout: the header of every refund and line column, then one row per
 * goods line with the refund's columns repeated. Values are written as given (amounts stay decimal strings); cells
 * with commas, quotes or line breaks are quoted.
 *
 * @example
 * writeFileSync('refunds.csv', refundInputsToCsv(records));
 */
export function refundInputsToCsv(records: readonly Record<string, unknown>[]): string {
  const columns = [...CSV_REFUND_COLUMNS, ...CSV_LINE_COLUMNS];
  const out = [columns.join(',')];
  for (const record of records) {
    const lines = Array.isArray(record.lines) && record.lines.length > 0 ? record.lines : [{}];
    for (const line of lines as Record<string, unknown>[]) {
      out.push(
        columns
          .map((column) => {
            const value = column.startsWith('line.') ? line[column.slice(5)] : getPath(record, column);
            return csvCell(value);
          })
          .join(','),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function getPath(record: Record<string, unknown>, path: string): unknown {
  let node: unknown = record;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
