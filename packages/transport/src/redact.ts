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

/**
 * Replaces every occurrence of each of `values` in `text` by `[redacted]`, longest first; values shorter than two
 * characters are left alone (they would hide ordinary text). For texts a vendor wrote that may quote back what it was
 * sent (a secret, a signature, a buyer's nick).
 *
 * @example
 * redactText('bad sign for 买家昵称', ['买家昵称']); // 'bad sign for [redacted]'
 */
export function redactText(text: string, values: Iterable<string | undefined>): string {
  const hidden = [...new Set(values)].filter(
    (value): value is string => typeof value === 'string' && value.length >= 2,
  );
  hidden.sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of hidden) out = out.replaceAll(value, REDACTED);
  return out;
}
