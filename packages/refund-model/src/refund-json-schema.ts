import schema from './refund-input.schema.json' with { type: 'json' };

/**
 * The JSON Schema (draft-07) of `RefundInput`, for producers not written in TypeScript: amounts and quantities are
 * decimal strings (or numbers), times are ISO 8601 date-time strings (no offset means +08:00). It describes the
 * shape and field syntax; the rules that relate fields to each other (sums, actual ≤ requested, line totals) are
 * checked by `parseRefund` only. It is generated from the valibot schema when this package is developed (see
 * `refund-json-schema-source.ts`), so reading it needs no JSON Schema library at run time.
 */
export const refundInputJsonSchema: object = schema;
