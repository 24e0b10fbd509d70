import { toJsonSchema } from '@valibot/to-json-schema';
import { decimalValue, instantValue, refundInputSchema } from './refund-schema.js';

/**
 * The JSON Schema (draft-07) of `RefundInput`, for producers not written in TypeScript: amounts and quantities are
 * decimal strings (or numbers), times are ISO 8601 date-time strings (no offset means +08:00). It describes the
 * shape and field syntax; the rules that relate fields to each other (sums, actual ≤ requested, line totals) are
 * checked by `parseRefund` only.
 */
export const refundInputJsonSchema: object = /* @__PURE__ */ toJsonSchema(refundInputSchema, {
  typeMode: 'input',
  overrideSchema: ({ valibotSchema }) => {
    if (valibotSchema === decimalValue) {
      return {
        anyOf: [
          { type: 'string', pattern: '^[+-]?\\d+(\\.\\d+)?$', description: 'a decimal, at most 4 fraction digits' },
          { type: 'number' },
        ],
      };
    }
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
