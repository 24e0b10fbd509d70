/** What replaces a hidden value in a URL. */
export const REDACTED = '[redacted]';

/**
 * Returns the URL as text with the values of the named query parameters (matched case-insensitively) replaced by
 * `[redacted]`, and any user name or password removed. Use it before a URL goes to a log, a hook or an error.
 *
 * @example
 * redactUrl('https://api.kingdee.com/x?app_key=k&app_signature=abc', ['app_signature']);
 * // 'https://api.kingdee.com/x?app_key=k&app_signature=[redacted]'
 */
export function redactUrl(url: string | URL, names: readonly string[]): string {
  const parsed = new URL(String(url));
  parsed.username = '';
  parsed.password = '';
  const hidden = new Set(names.map((name) => name.toLowerCase()));
  const search = parsed.search;
  parsed.search = '';
  const base = parsed.href;
  if (search === '' || search === '?') return base;
  const pairs = search
    .slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
      } catch {
        name = rawName;
      }
      return hidden.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    });
  const hashIndex = base.indexOf('#');
  return hashIndex === -1
    ? `${base}?${pairs.join('&')}`
    : `${base.slice(0, hashIndex)}?${pairs.join('&')}${base.slice(hashIndex)}`;
}
