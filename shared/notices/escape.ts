/**
 * Making payload strings safe where they land: HTML text, plain text lines and the Subject header.
 * Customer-provided strings never reach a header unvalidated (docs/design.md#7-notices).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** C0/C1 controls, DEL, line and paragraph separators, and bidi overrides that can disguise text. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export const SUBJECT_MAX_LENGTH = 200;

/** One line of text: every control character becomes a space, runs of spaces collapse. */
export function singleLine(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, ' ').replace(/ {2,}/g, ' ').trim();
}

export function escapeHtml(text: string): string {
  return singleLine(text).replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A Subject header value: a single line of at most 200 characters, cut on a code point with "…". */
export function subjectLine(text: string): string {
  const line = singleLine(text).replace(/\u00a0/g, ' ');
  if (line.length <= SUBJECT_MAX_LENGTH) return line;
  let cut = '';
  for (const codePoint of line) {
    if (cut.length + codePoint.length > SUBJECT_MAX_LENGTH - 1) break;
    cut += codePoint;
  }
  return `${cut.trimEnd()}…`;
}
