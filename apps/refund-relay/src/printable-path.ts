/** A path as an error message may show it: control characters (from binary input, say) become `?`. */
export function printablePath(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  return path.replace(/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/gu, '?');
}
