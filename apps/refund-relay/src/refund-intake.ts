import { type Refund, safeParseRefund } from '@refundkit/refund-model';
import type { EnqueueInput, OutboxStore } from './outbox-store.js';
import { type RecordIssue, readRefundFile, type SourceRecord } from './refund-files.js';
import type { TestHook } from './test-hook.js';

/** Valid records stored per transaction by `takeInFiles`. */
export const INTAKE_CHUNK = 32;

/** An input record that failed validation: where it is, its refund number when it has one, and every issue. */
export interface InvalidRecord {
  file: string;
  line: number;
  refundNo?: string;
  issues: RecordIssue[];
}

/** What reading and storing a set of files did. */
export interface IntakeReport {
  files: string[];
  records: number;
  /** Valid records stored as a new refund. */
  newRefunds: number;
  /** Valid records whose content differs from the stored refund of the same number: stored as a new version. */
  newVersions: number;
  /** Valid records whose content equals the latest stored version: nothing stored. */
  duplicates: number;
  invalid: InvalidRecord[];
  /** Refund numbers (with the new outbox version) that were stored as changed versions. */
  changed: { refundNo: string; versionNo: number }[];
  /** The shop codes of the valid records (not part of the JSON report). */
  shops: Set<string>;
}

/**
 * Checks one record with refund-model's `safeParseRefund`, adding the problems the file reader found, and places
 * every issue on its line (a CSV goods line when the path is under `lines[i]`).
 */
export function validateRecord(
  record: SourceRecord,
): { ok: true; refund: Refund } | { ok: false; invalid: InvalidRecord } {
  const parsed = record.input === undefined ? undefined : safeParseRefund(record.input);
  if (parsed?.success && record.readerIssues.length === 0) return { ok: true, refund: parsed.output };
  const issues: RecordIssue[] = [...record.readerIssues];
  if (parsed && !parsed.success) {
    for (const issue of parsed.issues) {
      const line = record.lineOf?.(issue.path);
      issues.push({
        path: issue.path,
        message: issue.message,
        ...(line !== undefined && line !== record.line ? { line } : {}),
      });
    }
  }
  const refundNo = (record.input as { refundNo?: unknown } | undefined)?.refundNo;
  return {
    ok: false,
    invalid: {
      file: record.file,
      line: record.line,
      ...(typeof refundNo === 'string' && refundNo !== '' ? { refundNo } : {}),
      issues,
    },
  };
}

/**
 * Reads the files in order, validates every record, and stores the valid ones in the outbox, `INTAKE_CHUNK` per
 * transaction (a duplicate of the latest stored content is skipped, changed content becomes a new version). Invalid
 * records are collected with file, line and field paths; they never stop the others. A file that cannot be read at
 * all throws (a `RefundFileError` when its content is the problem). `testHook` is told of each record written, once
 * its chunk committed (the `intake` crash point).
 */
export async function takeInFiles(
  outbox: OutboxStore,
  files: readonly string[],
  options: { now: () => number; testHook?: TestHook },
): Promise<IntakeReport> {
  const report: IntakeReport = {
    files: [...files],
    records: 0,
    newRefunds: 0,
    newVersions: 0,
    duplicates: 0,
    invalid: [],
    changed: [],
    shops: new Set(),
  };
  Object.defineProperty(report, 'shops', { enumerable: false });
  // Read every file first, so an unreadable file stops the push before anything is stored.
  const perFile: SourceRecord[][] = [];
  for (const file of files) perFile.push(await readRefundFile(file));
  // Valid records are stored a chunk at a time, one transaction each; a crash part-way is resumed by pushing the
  // same files again (what was stored is found duplicate).
  const chunk: EnqueueInput[] = [];
  const store = async () => {
    for (const stored of await outbox.enqueueAll(chunk.splice(0), { now: options.now() })) {
      await options.testHook?.arrive('intake');
      if (stored.outcome === 'new') report.newRefunds++;
      else if (stored.outcome === 'duplicate') report.duplicates++;
      else {
        report.newVersions++;
        report.changed.push({ refundNo: stored.refundNo, versionNo: stored.versionNo });
      }
    }
  };
  for (const record of perFile.flat()) {
    report.records++;
    const checked = validateRecord(record);
    if (!checked.ok) {
      report.invalid.push(checked.invalid);
      continue;
    }
    report.shops.add(checked.refund.shopCode);
    chunk.push({ refund: checked.refund, source: `${record.file}:${record.line}` });
    if (chunk.length >= INTAKE_CHUNK) await store();
  }
  await store();
  return report;
}
