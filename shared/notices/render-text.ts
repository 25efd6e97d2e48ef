/**
 * Lays a notice out as plain text with the same facts as the HTML: paragraphs wrapped at 72 columns,
 * figures in aligned label/value lines.
 */
import type { NoticeBlock, NoticeDocument } from './document.ts';
import { singleLine } from './escape.ts';

const WIDTH = 72;

/** One line with the figures' no-break spaces back to plain spaces. */
function plain(text: string): string {
  return singleLine(text).replace(/\u00a0/g, ' ');
}

function wrap(text: string, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of singleLine(text).split(' ')) {
    if (line.length > 0 && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(indent + line);
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

function columns(rows: readonly (readonly string[])[], numeric: readonly boolean[]): string[] {
  const widths = rows.reduce<number[]>(
    (max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, cell.length)),
    [],
  );
  return rows.map((row) =>
    row
      .map((cell, index) => (numeric[index] === true ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}

function block(content: NoticeBlock): string {
  switch (content.kind) {
    case 'paragraph':
      return wrap(content.text);
    case 'facts': {
      const rows = content.rows.map((row) => [`${plain(row.label)}:`, plain(row.value)]);
      const lines = columns(rows, [false, false]);
      return (content.caption === undefined ? lines : [plain(content.caption), ...lines]).join('\n');
    }
    case 'table': {
      const cells = [content.columns, ...content.rows].map((row) => row.map(plain));
      const [head = '', ...body] = columns(cells, content.numeric);
      const lines = [head, '-'.repeat(head.length), ...body];
      return (content.caption === undefined ? lines : [plain(content.caption), ...lines]).join('\n');
    }
    case 'list': {
      const items = content.items.map((item) => `- ${wrap(item, '  ').trimStart()}`);
      return (content.caption === undefined ? items : [plain(content.caption), ...items]).join('\n');
    }
  }
}

export function renderText(document: NoticeDocument): string {
  const parts = [
    ...(document.greeting === undefined ? [] : [plain(document.greeting)]),
    ...document.blocks.map(block),
    document.closing.map(plain).join('\n'),
    '-- ',
    wrap(document.footer),
  ];
  return `${parts.join('\n\n')}\n`;
}
