import { toJsonSchema } from '@valibot/to-json-schema';
import { REFUND_KINDS, REFUND_STATUSES } from './refund.js';
import {
  decimalValue,
  instantValue,
  notBlank,
  refundInputSchema,
  refundKind,
  refundStatus,
  trueOrFalse,
} from './refund-schema.js';

/**
 * Generates the JSON Schema of `RefundInput` from the valibot schema, with decimals and times described by their
 * text syntax and kinds and statuses by their values. Run by `refund-json-schema.test.ts`, which holds the committed `refund-input.schema.json` to it (and
 * rewrites the file when run with `UPDATE_JSON_SCHEMA=1`), so `@valibot/to-json-schema` is needed only to develop
 * this package, never at run time. Not part of the build.
 */
export const generateRefundInputJsonSchema = (): object =>
  toJsonSchema(refundInputSchema, {
    typeMode: 'input',
    overrideAction: ({ valibotAction, jsonSchema }) =>
      valibotAction === notBlank ? { ...jsonSchema, pattern: '\\S' } : undefined,
    overrideSchema: ({ valibotSchema }) => {
      if (valibotSchema === decimalValue) {
        return {
          anyOf: [
            { type: 'string', pattern: '^[+-]?\\d+(\\.\\d+)?$', description: 'a decimal, at most 4 fraction digits' },
            { type: 'number' },
          ],
        };
      }
      if (valibotSchema === trueOrFalse) return { type: 'boolean' };
      if (valibotSchema === refundKind) return { enum: [...REFUND_KINDS], type: 'string' };
      if (valibotSchema === refundStatus) return { enum: [...REFUND_STATUSES], type: 'string' };
      if (valibotSchema === instantValue) {
        return {
          type: 'string',
          pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?$',
          description: 'an ISO 8601 date-time; without an offset it is read as Asia/Shanghai (+08:00)',
        };
      }
      return undefined;
    },
  });
