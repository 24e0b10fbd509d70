/**
 * The two percent-encoders of the Kingdee signature, both over UTF-8 bytes with upper-case `%HH` and a space written
 * as `+`. They differ only in which ASCII punctuation is left as is:
 *
 * | encoder      | left as is                 |
 * | ------------ | -------------------------- |
 * | `gwEncode`   | `A-Z a-z 0-9 - _ . ~`      |
 * | `formEncode` | `A-Z a-z 0-9 . - * _`      |
 *
 * A lone UTF-16 surrogate is encoded as U+FFFD, as `TextEncoder`, `URLSearchParams` and `fetch` put it on the wire.
 */

// Built at load, marked pure so that a bundle which never encodes (a Wangdian client) drops the tables.
const PERCENT: readonly string[] = /* @__PURE__ */ Array.from(
  { length: 256 },
  (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
);

function keepTable(punctuation: string): Uint8Array {
  const table = new Uint8Array(128);
  const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (const char of alphanumerics + punctuation) table[char.charCodeAt(0)] = 1;
  return table;
}

const GW_KEEP = /* @__PURE__ */ keepTable('-_.~');
const FORM_KEEP = /* @__PURE__ */ keepTable('.-*_');

function percentEncode(text: string, keep: Uint8Array): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80 && keep[unit] === 1) continue;
    if (i > runStart) out += text.slice(runStart, i);
    if (unit === 0x20) {
      out += '+';
    } else if (unit < 0x80) {
      out += PERCENT[unit]!;
    } else {
      // Beyond ASCII: the character's UTF-8 bytes as encodeURIComponent writes them (upper-case %HH); a surrogate
      // pair is one character, and a lone surrogate (which encodeURIComponent refuses) is U+FFFD.
      const next = text.charCodeAt(i + 1);
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += encodeURIComponent(text.slice(i, i + 2));
        i++;
      } else {
        out += encodeURIComponent(unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : text[i]!);
      }
    }
    runStart = i + 1;
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

/** Kingdee's gateway encoder: keeps `A-Z a-z 0-9 - _ . ~`, writes a space as `+`, everything else as `%HH`. */
export function gwEncode(text: string): string {
  return percentEncode(text, GW_KEEP);
}

/** Java `URLEncoder` (UTF-8): keeps `A-Z a-z 0-9 . - * _`, writes a space as `+`, everything else as `%HH`. */
export function formEncode(text: string): string {
  return percentEncode(text, FORM_KEEP);
}

/**
 * The canonical query line of the Kingdee string to sign, exactly as the official SDK builds it: each pair becomes
 * `gwEncode(key) + '=' + formEncode(value)`; these whole strings are sorted by UTF-16 code units; each is split at
 * its first `=`, dropped when the key part is empty, and written as `gwEncode(key) + '=' + gwEncode(value)`; the
 * results are joined with `&`.
 */
export function kingdeeCanonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  const entries = pairs.map(([key, value]) => `${gwEncode(key)}=${formEncode(value)}`);
  entries.sort();
  const parts: string[] = [];
  for (const entry of entries) {
    const split = entry.indexOf('=');
    const key = entry.slice(0, split);
    if (key.length === 0) continue;
    parts.push(`${gwEncode(key)}=${gwEncode(entry.slice(split + 1))}`);
  }
  return parts.join('&');
}
