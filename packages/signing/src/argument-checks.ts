/**
 * Argument checks shared by every public function. Messages name the argument and, at most, the kind of value that
 * was received; they never repeat a value, because a value passed in the wrong place may be a secret.
 */

/** Names the kind of a value for an error message without revealing the value itself. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : kind;
}

/** Checks that the options bag of `functionName` is an object and returns it. */
export function requireOptions<T extends object>(value: T, functionName: string): T {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${functionName} expects an options object (received ${describeKind(value)})`);
  }
  return value;
}

/** Checks that `value` is a string. */
export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string (received ${describeKind(value)})`);
  return value;
}

/** Checks that `value` is a non-empty string; used for every secret, so the value is never echoed. */
export function requireSecret(value: unknown, name: string): string {
  const secret = requireString(value, name);
  if (secret.length === 0) throw new RangeError(`${name} must not be empty`);
  return secret;
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** Checks an HTTP method (any letter case) and returns it upper-cased. */
export function requireMethod(value: unknown, name = 'method'): string {
  const method = requireString(value, name).toUpperCase();
  if (!HTTP_METHODS.has(method)) throw new RangeError(`${name} must be one of GET, POST, PUT, DELETE or PATCH`);
  return method;
}

/** Checks that a request path starts with `/`. */
export function requirePath(value: unknown, name = 'path'): string {
  const path = requireString(value, name);
  if (!path.startsWith('/')) throw new RangeError(`${name} must start with '/'`);
  return path;
}

const POSITIVE_INTEGER_TEXT = /^\d+$/;

/**
 * Checks a timestamp given as a number or as decimal digits and returns its text. A number must be a positive safe
 * integer; a string must be digits only and not zero. The text is returned as given, since it is what gets sent.
 */
export function requireTimestamp(value: unknown, name = 'timestamp'): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (!POSITIVE_INTEGER_TEXT.test(value) || /^0+$/.test(value)) {
      throw new RangeError(`${name} must be a positive integer`);
    }
    return value;
  }
  throw new TypeError(`${name} must be a positive integer, as a number or a string (received ${describeKind(value)})`);
}

/**
 * Checks a nonce given as a number (a non-negative safe integer) or a non-empty string without line breaks (a line
 * break would let the nonce forge extra lines of the string to sign). Returns its text as given.
 */
export function requireNonce(value: unknown, name = 'nonce'): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (value.length === 0) throw new RangeError(`${name} must not be empty`);
    if (/[\r\n]/.test(value)) throw new RangeError(`${name} must not contain a line break`);
    return value;
  }
  throw new TypeError(`${name} must be a string or a number (received ${describeKind(value)})`);
}
