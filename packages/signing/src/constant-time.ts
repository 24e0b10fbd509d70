/**
 * Compares two strings without an early exit, so the time taken does not reveal how long a common prefix is. Strings
 * of different lengths are unequal at once: the length of an expected signature is public.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
