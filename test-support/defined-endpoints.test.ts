// The name lists each vendor client refuses undefined-for-it operations by must follow the vendor's registry.
import { describe, expect, it } from 'vitest';
import { KINGDEE_CORE_ENDPOINTS, KINGDEE_DEFINED_OPERATIONS } from '../packages/kingdee-retail/src/kingdee-defined.ts';
import { KINGDEE_ENDPOINTS } from '../packages/kingdee-retail/src/kingdee-endpoints.ts';
import {
  WANGDIAN_CORE_ENDPOINTS,
  WANGDIAN_DEFINED_METHODS,
} from '../packages/wangdian-aftersales/src/wangdian-defined.ts';
import { WANGDIAN_ENDPOINTS } from '../packages/wangdian-aftersales/src/wangdian-endpoints.ts';

describe.each([
  ['Kingdee', KINGDEE_ENDPOINTS, KINGDEE_CORE_ENDPOINTS, KINGDEE_DEFINED_OPERATIONS],
  ['Wangdian', WANGDIAN_ENDPOINTS, WANGDIAN_CORE_ENDPOINTS, WANGDIAN_DEFINED_METHODS],
] as const)('the %s defined names', (_, registry, core, defined) => {
  it('name every definition of the registry with its key there, and the core is part of the registry', () => {
    expect(defined).toEqual(
      Object.fromEntries(Object.entries(registry).map(([key, definition]) => [definition.name, key])),
    );
    for (const [key, definition] of Object.entries(core)) {
      expect((registry as Record<string, unknown>)[key]).toBe(definition);
    }
  });
});
