import { RefundkitError } from '@refundkit/transport';
import { printablePath } from './printable-path.js';

/**
 * A refund file whose content cannot be read as a whole (a JSON array that is not JSON or not an array, a CSV with
 * unknown or missing columns or broken quoting): a typed refundkit error with code `VALIDATION`, never retryable,
 * naming the file. Its message never quotes the file's text (which may hold buyer data).
 */
export class RefundFileError extends RefundkitError {
  declare readonly code: 'VALIDATION';
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${printablePath(file)}: ${problem}`, { code: 'VALIDATION', retryable: false });
    this.name = 'RefundFileError';
    this.file = file;
  }
}
