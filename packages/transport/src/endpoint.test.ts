import { InputValidationError, ResponseError } from '@refundkit/refund-model';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkEndpointInput, defineEndpoint, readEndpointOutput } from './endpoint.js';

const save = defineEndpoint({
  name: 'POST /save',
  title: 'save',
  request: v.strictObject({
    refund_no: v.pipe(v.string(), v.nonEmpty('must not be empty')),
    note: v.optional(v.string()),
  }),
  response: v.looseObject({ count: v.number() }),
  resendSafe: true,
});

describe('endpoint definitions', () => {
  it('check input by the request schema, naming every field and the kind received, never the value', () => {
    expect(checkEndpointInput(save, { refund_no: 'R1' }, 'save body')).toEqual({ refund_no: 'R1' });
    try {
      checkEndpointInput(save, { refund_no: '', note: 5, extra: 'PRIVATE-VALUE' }, 'save body');
      expect.unreachable();
    } catch (error) {
      expect(InputValidationError.isInstance(error)).toBe(true);
      const { issues } = error as InputValidationError;
      expect(issues.map((issue) => [issue.path, issue.received])).toEqual([
        ['refund_no', 'string'],
        ['note', 'number'],
        ['extra', 'string'],
      ]);
      expect(JSON.stringify(error)).not.toContain('PRIVATE-VALUE');
    }
  });

  it('refuse an array for an object, and input whose getters throw, as validation errors', () => {
    expect(() => checkEndpointInput(save, [], 'save body')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        issues: [expect.objectContaining({ message: 'must be an object' })],
      }),
    );
    const hostile = Object.defineProperty({}, 'refund_no', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    // The getter is named at its own path, and the caller's own error never escapes.
    expect(() => checkEndpointInput(save, hostile, 'save body')).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ path: 'refund_no', message: expect.stringContaining('could not be read') })],
      }),
    );
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(() => checkEndpointInput(save, revoked.proxy, 'save body')).toThrow(InputValidationError);
  });

  it('read data by the response schema: unknown keys kept, a mismatch a ResponseError naming the path', () => {
    const facts = { vendor: 'kingdee' as const, endpoint: 'POST /save', status: 200 };
    expect(readEndpointOutput(save, { count: 1, extra: 'kept' }, facts)).toEqual({ count: 1, extra: 'kept' });
    try {
      readEndpointOutput(save, { count: 'one' }, facts);
      expect.unreachable();
    } catch (error) {
      expect(ResponseError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ path: 'data.count', status: 200, endpoint: 'POST /save', resendable: true });
      expect((error as Error).message).toContain('data.count');
    }
    expect(() => readEndpointOutput(save, [], facts)).toThrow(ResponseError);
  });
});
