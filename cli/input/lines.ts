/** Reading the files users hand the command: JSON Lines, or one JSON document of events. */
import { readFileSync } from 'node:fs';
import { InputFileError } from '../errors.ts';

export interface InputLine {
  /** 1-based, as an editor shows it. */
  readonly lineNumber: number;
  readonly text: string;
  /** Where it is, for a message: `line 3`, or `item 2` of a JSON array. */
  readonly where: string;
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new InputFileError(`${what} ${path}: ${why}`);
  }
}

/** The non-blank lines of a JSON Lines file. */
export function jsonLines(text: string): InputLine[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ lineNumber: index + 1, text: line, where: `line ${index + 1}` }))
    .filter((line) => line.text.trim() !== '');
}

/**
 * A file of events as send takes it: a JSON array of events, one pretty-printed event (the files in
 * examples/), or JSON Lines. Each item keeps the line it starts on for error messages.
 */
export function eventDocuments(text: string): InputLine[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let whole: unknown;
    try {
      whole = JSON.parse(trimmed);
    } catch {
      return jsonLines(text);
    }
    const firstLine = text.slice(0, text.indexOf(trimmed[0] ?? '')).split('\n').length;
    if (Array.isArray(whole)) {
      return whole.map((item: unknown, index) => ({ lineNumber: firstLine, text: JSON.stringify(item), where: `item ${index + 1}` }));
    }
    return [{ lineNumber: firstLine, text: JSON.stringify(whole), where: `line ${firstLine}` }];
  }
  return jsonLines(text);
}
