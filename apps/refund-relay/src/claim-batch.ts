import type { ClaimOptions } from './outbox-store.js';

/** What `pickBatch` reads of a due delivery row. */
export interface BatchCandidate {
  /** Put back to go alone (truthy), after its batch was refused as a whole. */
  solo: boolean | number;
  shop_code: string;
  line_count: number;
}

/**
 * Picks a claim's batch from due rows in order, the same for every outbox store: the first row always; a row put back
 * alone (`solo`) only as a batch of one; then rows of the same shop (when `sameShop`) while the batch stays within
 * `maxRefunds` and `maxLines`. It stops reading `rows` as soon as the batch is full, so a store can hand it a lazy
 * cursor and read no more candidates than the batch needs.
 */
export function pickBatch<T extends BatchCandidate>(rows: Iterable<T>, claim: ClaimOptions): T[] {
  const picked: T[] = [];
  let lines = 0;
  for (const row of rows) {
    if (picked.length >= claim.maxRefunds) break;
    if (picked.length === 0) {
      picked.push(row);
      lines = row.line_count;
      if (row.solo) break;
      continue;
    }
    if (row.solo) continue;
    if (claim.sameShop && row.shop_code !== picked[0]!.shop_code) continue;
    if (lines + row.line_count > claim.maxLines) continue;
    picked.push(row);
    lines += row.line_count;
    if (lines >= claim.maxLines) break;
  }
  return picked;
}
