import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refundInputJsonSchema } from './refund-json-schema.js';
import { generateRefundInputJsonSchema } from './refund-json-schema-source.js';

type Schema = {
  $schema?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  anyOf?: Schema[];
  pattern?: string;
  enum?: string[];
};
const schema = refundInputJsonSchema as Schema;

describe('refundInputJsonSchema', () => {
  it('is the committed file, and that file is what the valibot schema generates (UPDATE_JSON_SCHEMA=1 rewrites it; then run the formatter)', () => {
    const file = new URL('./refund-input.schema.json', import.meta.url);
    const generated = generateRefundInputJsonSchema();
    if (process.env.UPDATE_JSON_SCHEMA === '1') writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(generated);
    expect(refundInputJsonSchema).toEqual(generated);
  });

  it('is a draft-07 object schema with the required fields', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(
      expect.arrayContaining(['refundNo', 'orderNo', 'shopCode', 'kind', 'status', 'requestedAmount', 'actualAmount']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['afterSale', 'buyer', 'lines']));
    expect(schema.required).not.toContain('version');
    expect(schema.required).not.toContain('reason');
  });

  it('describes kinds, lines, decimals and times', () => {
    const properties = schema.properties!;
    expect(properties.kind?.enum).toHaveLength(5);
    expect(properties.status?.enum).toEqual([
      'cancelled',
      'requested',
      'awaiting-return',
      'awaiting-receipt',
      'succeeded',
    ]);
    expect(properties.lines?.type).toBe('array');
    expect(properties.lines?.minItems).toBe(1);
    expect(properties.lines?.items?.required).toEqual(
      expect.arrayContaining(['subOrderId', 'quantity', 'requestedAmount', 'actualAmount']),
    );
    const decimal = new RegExp(properties.requestedAmount?.anyOf?.[0]?.pattern ?? '$^');
    expect(['12.34', '-0', '+5', '007'].every((text) => decimal.test(text))).toBe(true);
    expect(['1e5', '', '1.2.3', ' 1'].some((text) => decimal.test(text))).toBe(false);
    const time = new RegExp(properties.createdAt?.anyOf?.[0]?.pattern ?? '$^');
    expect(time.test('2024-03-01T10:30:00+08:00')).toBe(true);
    expect(time.test('2024-03-01 10:30:00')).toBe(true);
    expect(time.test('2024-03-01')).toBe(false);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(refundInputJsonSchema))).toEqual(refundInputJsonSchema);
  });
});
