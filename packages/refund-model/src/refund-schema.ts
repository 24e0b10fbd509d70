import * as v from 'valibot';
import { type Decimal, readDecimal } from './decimal.js';
import { REFUND_KINDS, REFUND_STATUSES, type RefundKind, type RefundStatus } from './refund.js';
import { readInstant } from './shanghai-time.js';

/*
 * The valibot schemas of a refund input. They check each field on its own (types, required text, decimal and time
 * syntax, signs) and turn decimal values into `Decimal`s and times into `Date`s. Rules that relate fields to each
 * other live in `refund-rules.ts`. Every message says what is wrong, never what was sent.
 *
 * Every schema is built at module level, so each valibot call carries a pure annotation: bundlers cannot see that
 * valibot's factories are free of side effects across modules, and without it a consumer that never parses a refund
 * (one that only uses `Decimal`, say) would still carry every schema and the valibot code behind it.
 */

/** A decimal as a producer may send it: a decimal string, an exact number, or (from TypeScript) a bigint or Decimal. */
export type DecimalInput = string | number | bigint | Decimal;

/** A time as a producer may send it: an ISO 8601 string (no offset = +08:00), or (from TypeScript) a Date. */
export type InstantInput = string | Date;

/**
 * A schema message: "is required" for a missing value, otherwise what was expected. Marked free of side effects (as
 * valibot's own factories are), so a bundle that never parses a refund drops these module-level schemas.
 */
/* @__NO_SIDE_EFFECTS__ */
function expecting(what: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.input === undefined ? 'is required' : what);
}

/** The message of a closed list of values, "must be one of a, b, c", with "is required" for a missing value. */
/* @__NO_SIDE_EFFECTS__ */
function expectingOneOf(values: readonly string[]): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')}`);
}

/**
 * @internal A decimal value that reads as a `Decimal(19,4)`, untransformed; `refund-json-schema.ts` describes it by
 * identity. One check says both what is wrong with the type and what is wrong with the text or number.
 */
export const decimalValue = /* @__PURE__ */ v.custom<DecimalInput>(
  (value) => readDecimal(value).ok,
  (issue) => {
    if (issue.input === undefined) return 'is required';
    const result = readDecimal(issue.input);
    return !result.ok && result.error === 'range'
      ? result.message
      : 'must be a decimal string such as "12.34" or a number';
  },
);

/** @internal A time value that reads as an instant, untransformed; see `decimalValue`. */
export const instantValue = /* @__PURE__ */ v.custom<InstantInput>(
  (value) => readInstant(value).ok,
  (issue) => (issue.input === undefined ? 'is required' : (readInstant(issue.input) as { message: string }).message),
);

/**
 * @internal A refund kind. A check of its own rather than valibot's `picklist`, which no vendor core bundles (it cost
 * every consumer that parses a refund 80 B); `refund-json-schema.ts` describes it, and `refundStatus`, as an enum.
 */
export const refundKind = /* @__PURE__ */ v.custom<RefundKind>(
  (value) => (REFUND_KINDS as readonly unknown[]).includes(value),
  expectingOneOf(REFUND_KINDS),
);

/** @internal A refund status; see `refundKind`. */
export const refundStatus = /* @__PURE__ */ v.custom<RefundStatus>(
  (value) => (REFUND_STATUSES as readonly unknown[]).includes(value),
  expectingOneOf(REFUND_STATUSES),
);

const decimal = /* @__PURE__ */ v.pipe(
  decimalValue,
  /* @__PURE__ */ v.transform((value) => (readDecimal(value) as { decimal: Decimal }).decimal),
);

const amount = /* @__PURE__ */ v.pipe(
  decimal,
  /* @__PURE__ */ v.check((value) => !value.isNegative(), 'must not be negative'),
);

const quantity = /* @__PURE__ */ v.pipe(
  decimal,
  /* @__PURE__ */ v.check((value) => value.scaled > 0n, 'must be greater than zero'),
);

const instant = /* @__PURE__ */ v.pipe(
  instantValue,
  /* @__PURE__ */ v.transform((value) => (readInstant(value) as { date: Date }).date),
);

const text = /* @__PURE__ */ v.string(expecting('must be a string'));
/**
 * @internal The check that text holds a character other than a space. A `check`, which the vendor cores bundle
 * already, rather than valibot's `regex`, which the Wangdian core does not; `refund-json-schema.ts` describes it by
 * identity, as the pattern `\S`.
 */
export const notBlank = /* @__PURE__ */ v.check(
  (value: string) => /\S/.test(value),
  'must not be empty or only spaces',
);
const requiredText = /* @__PURE__ */ v.pipe(text, notBlank);
/**
 * @internal A boolean: a custom check, which the vendor cores bundle already, rather than valibot's `boolean`, which
 * neither does; `refund-json-schema.ts` describes it by identity.
 */
export const trueOrFalse = /* @__PURE__ */ v.custom<boolean>(
  (value) => typeof value === 'boolean',
  expecting('must be true or false'),
);
const optionalText = /* @__PURE__ */ v.nullish(text);
const textOrEmpty = /* @__PURE__ */ v.nullish(text, '');

const lineSchema = /* @__PURE__ */ v.object(
  {
    subOrderId: requiredText,
    title: textOrEmpty,
    quantity,
    unitPrice: /* @__PURE__ */ v.nullish(amount),
    lineTotal: /* @__PURE__ */ v.nullish(amount),
    requestedAmount: amount,
    actualAmount: amount,
    goodsNo: optionalText,
    goodsId: optionalText,
    specNo: optionalText,
    specId: optionalText,
  },
  expecting('must be an object (a refund line)'),
);

/**
 * @internal The input shape of a refund, field by field. Unknown keys are ignored (and never copied), `null` counts
 * as absent for optional fields, `version` defaults to `"1"` and `reason` and `title` to `''`.
 */
export const refundInputSchema = /* @__PURE__ */ v.object(
  {
    refundNo: requiredText,
    orderNo: requiredText,
    shopCode: requiredText,
    kind: refundKind,
    status: refundStatus,
    version: /* @__PURE__ */ v.nullish(requiredText, '1'),
    requestedAmount: amount,
    actualAmount: amount,
    reason: textOrEmpty,
    remark: optionalText,
    afterSale: trueOrFalse,
    buyer: /* @__PURE__ */ v.object({ nick: requiredText, payAccount: optionalText }, expecting('must be an object')),
    payment: /* @__PURE__ */ v.nullish(
      /* @__PURE__ */ v.object(
        {
          payNo: optionalText,
          merchantId: optionalText,
          channelOrderNo: optionalText,
          terminalNo: optionalText,
          terminalIp: optionalText,
          serviceGroup: optionalText,
        },
        expecting('must be an object'),
      ),
    ),
    logistics: /* @__PURE__ */ v.nullish(
      /* @__PURE__ */ v.object({ company: optionalText, trackingNo: optionalText }, expecting('must be an object')),
    ),
    createdAt: /* @__PURE__ */ v.nullish(instant),
    completedAt: /* @__PURE__ */ v.nullish(instant),
    lines: /* @__PURE__ */ v.pipe(
      /* @__PURE__ */ v.array(lineSchema, expecting('must be an array of refund lines')),
      /* @__PURE__ */ v.minLength(1, 'must contain at least one line'),
    ),
  },
  expecting('the refund must be an object'),
);

/**
 * The JSON-friendly input `parseRefund` accepts: amounts and quantities as decimal strings or exact numbers (or
 * `Decimal`s), times as ISO 8601 strings (or `Date`s), optional fields absent or `null`, `version` (default `"1"`),
 * `reason` and `title` (default `''`) optional. A `Refund` is itself a valid `RefundInput`.
 */
export type RefundInput = v.InferInput<typeof refundInputSchema>;
