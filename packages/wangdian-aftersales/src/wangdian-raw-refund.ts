import { type InputIssue, InputValidationError } from '@refundkit/transport';
import { readInput } from '@refundkit/transport/internal';
import {
  duplicateRows,
  rawRefundRow,
  rawRefundUpload,
  shopNo as shopNoSchema,
  type ValidatedWangdianRawRefundRow,
} from './endpoints/raw-refund-upload.js';

/**
 * Checks one `order_list` row against the vendor page (required fields, lengths, `type` 0–4, `status` 1–5,
 * `is_aftersale` 0/1, Decimal(19,4) values, time format, no unknown fields) and returns either the normalised row
 * (decimals as `Decimal`, times as text, fields in the page's order) or every issue found, each with its path under
 * `path` (default `row`). Messages never contain the value, so buyer data never reaches a log.
 */
export function checkWangdianRawRefundRow(
  row: unknown,
  path = 'row',
): { success: true; output: ValidatedWangdianRawRefundRow } | { success: false; issues: InputIssue[] } {
  return readInput(rawRefundRow, row, path);
}

/**
 * Validates the arguments of an upload before anything is sent: `shopNo` must be a non-empty string and `rows` a
 * non-empty array of valid `order_list` rows, no refund_no + oid twice with different content. Returns the normalised rows or throws one `InputValidationError`
 * (code `VALIDATION`) listing every failing field by path (`rows[3].buyer_nick`), never the values.
 *
 * @example
 * const rows = validateWangdianRawRefunds('LCJ', [{ refund_no: 'R1', num: 1, ... }]);
 */
export function validateWangdianRawRefunds(shopNo: unknown, rows: unknown): ValidatedWangdianRawRefundRow[] {
  const shop = readInput(shopNoSchema, shopNo, 'shopNo');
  const issues: InputIssue[] = shop.success ? [] : shop.issues;
  const output: ValidatedWangdianRawRefundRow[] = [];
  if (!Array.isArray(rows)) {
    issues.push({ path: 'rows', message: 'must be an array of order_list rows' });
  } else if (rows.length === 0) {
    issues.push({ path: 'rows', message: 'must contain at least one row' });
  } else {
    for (let index = 0; index < rows.length; index++) {
      const checked = checkWangdianRawRefundRow(rows[index], `rows[${index}]`);
      if (checked.success) output.push(checked.output);
      else issues.push(...checked.issues);
    }
  }
  if (issues.length === 0) {
    const name = (index: number) => `rows[${index}]`;
    for (const { index, message } of duplicateRows(output, name)) issues.push({ path: name(index), message });
  }
  if (issues.length > 0) throw new InputValidationError(rawRefundUpload.name, issues);
  return output;
}
