/**
 * A notice as structured plain text: what the templates write and the HTML and text renderers lay out.
 * Templates never write markup, so every string is escaped in exactly one place.
 */

export interface FactRow {
  readonly label: string;
  readonly value: string;
  /** The figure the notice is about (the credit, the amount due): set in bold. */
  readonly emphasis?: boolean;
}

export type NoticeBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'facts'; readonly caption?: string; readonly rows: readonly FactRow[] }
  | {
      readonly kind: 'table';
      readonly caption?: string;
      readonly columns: readonly string[];
      /** Columns holding figures, right-aligned. */
      readonly numeric: readonly boolean[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'list'; readonly caption?: string; readonly items: readonly string[] };

export interface NoticeDocument {
  readonly lang: string;
  readonly subject: string;
  /** Who sends it, shown above the heading. */
  readonly brand: string;
  readonly heading: string;
  readonly greeting?: string;
  readonly blocks: readonly NoticeBlock[];
  /** Closing lines: the sign-off and the sender, one line each. */
  readonly closing: readonly string[];
  /** Small print: the references the reader quotes when answering. */
  readonly footer: string;
}

/**
 * Joins a figure's words with no-break spaces so that neither layout breaks it across lines
 * (`23. mars 2026`, `1 234,50 kr`). Both renderers turn them back into plain spaces.
 */
export function unbreakable(figure: string): string {
  return figure.replace(/ /g, NO_BREAK_SPACE);
}

export const NO_BREAK_SPACE = '\u00a0';

export function paragraph(text: string): NoticeBlock {
  return { kind: 'paragraph', text };
}

export function facts(rows: readonly (FactRow | false)[], caption?: string): NoticeBlock {
  const shown = rows.filter((row): row is FactRow => row !== false);
  return caption === undefined ? { kind: 'facts', rows: shown } : { kind: 'facts', caption, rows: shown };
}
