/**
 * A mailbox for a mail header, `"Display Name" <address>` (RFC 5322 section 3.4): an ASCII name as a quoted
 * string, a name with other characters as RFC 2047 encoded words, which is what SES asks of a From
 * display name ("Nordlys Service AS" stays readable, "Ærlig Teknikk" becomes `=?UTF-8?B?…?=`).
 */

/** RFC 2047 section 2: an encoded word is at most 75 characters; `=?UTF-8?B?` and `?=` take 12 of them. */
const MAX_ENCODED_WORD = 75;
const ENCODED_WORD_OVERHEAD = '=?UTF-8?B??='.length;
/** Bytes whose base64 fits the rest: 4 characters per 3 bytes. */
const MAX_BYTES_PER_WORD = Math.floor((MAX_ENCODED_WORD - ENCODED_WORD_OVERHEAD) / 4) * 3;

// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\u0000-\u001f\u007f]/;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

export class HeaderValueError extends Error {
  override readonly name = 'HeaderValueError';
}

/** Splits text into runs of whole code points, each at most `maxBytes` in UTF-8. */
function utf8Chunks(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let bytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > maxBytes && current !== '') {
      chunks.push(current);
      current = '';
      bytes = 0;
    }
    current += character;
    bytes += size;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** The display name as a header phrase: a quoted string when ASCII, else encoded words separated by spaces. */
export function displayNamePhrase(name: string): string {
  if (HEADER_UNSAFE.test(name)) throw new HeaderValueError('a display name must not hold control characters (CR, LF)');
  if (PRINTABLE_ASCII.test(name)) return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return utf8Chunks(name, MAX_BYTES_PER_WORD)
    .map((chunk) => `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`)
    .join(' ');
}

export function mailbox(name: string, address: string): string {
  if (HEADER_UNSAFE.test(address) || /[<>\s]/.test(address)) throw new HeaderValueError('not a bare email address');
  return `${displayNamePhrase(name)} <${address}>`;
}
