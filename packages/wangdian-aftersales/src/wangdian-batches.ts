import { InputValidationError } from '@refundkit/transport';

/** One planned upload call: the rows it sends and the distinct refund numbers they carry, in first-seen order. */
export interface WangdianRowBatch<Row> {
  rows: Row[];
  refundNos: string[];
}

/**
 * Splits rows into batches of at most `maxBatch` rows without ever splitting one `refund_no` across two batches.
 * Rows are grouped by refund number in the order each number first appears (rows of one refund keep their order,
 * even when the caller interleaved them), and groups are packed greedily, in that order (a batch is closed when
 * the next refund would not fit). A refund with more rows than `maxBatch` cannot be sent whole and is an `InputValidationError` naming its
 * first row (`rows[7].refund_no`); raise `maxBatch` for such refunds. `maxBatch` is the client's checked setting (a
 * whole number from 1), so it is not checked again here.
 *
 * @example
 * batchWangdianRows(rows, 100).map((batch) => batch.refundNos);
 */
export function batchWangdianRows<Row extends { refund_no: string }>(
  rows: readonly Row[],
  maxBatch: number,
): WangdianRowBatch<Row>[] {
  const groups = new Map<string, { first: number; rows: Row[] }>();
  rows.forEach((row, index) => {
    const group = groups.get(row.refund_no);
    if (group) group.rows.push(row);
    else groups.set(row.refund_no, { first: index, rows: [row] });
  });
  const oversized = [...groups.values()].filter((group) => group.rows.length > maxBatch);
  if (oversized.length > 0) {
    throw new InputValidationError(
      'aftersales.refund.RawRefund.upload',
      oversized.map((group) => ({
        path: `rows[${group.first}].refund_no`,
        message: `has ${group.rows.length} rows, more than maxBatch (${maxBatch}): one refund is never split across calls`,
      })),
    );
  }
  const batches: WangdianRowBatch<Row>[] = [];
  let current: WangdianRowBatch<Row> | undefined;
  for (const [refundNo, group] of groups) {
    if (!current || current.rows.length + group.rows.length > maxBatch) {
      current = { rows: [], refundNos: [] };
      batches.push(current);
    }
    current.rows.push(...group.rows);
    current.refundNos.push(refundNo);
  }
  return batches;
}
