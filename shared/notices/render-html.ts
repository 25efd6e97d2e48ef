/**
 * Lays a notice out as an email-safe HTML page: one centred 600px table, inline styles only,
 * no images, fonts or other external resources, readable with styles stripped.
 */
import type { NoticeBlock, NoticeDocument } from './document.ts';
import { escapeHtml } from './escape.ts';

const FONT = "font-family:Arial,Helvetica,sans-serif;";
const TEXT = `${FONT}font-size:15px;line-height:22px;color:#1f2933;`;
const CELL = `${FONT}font-size:14px;line-height:20px;color:#1f2933;padding:8px 12px;border-bottom:1px solid #e4e7eb;`;
const CAPTION = `${FONT}font-size:13px;font-weight:bold;color:#52606d;text-align:left;padding:0 0 6px 0;`;

function block(content: NoticeBlock): string {
  switch (content.kind) {
    case 'paragraph':
      return `<p style="${TEXT}margin:0 0 16px 0;">${inline(content.text)}</p>`;
    case 'facts': {
      const rows = content.rows
        .map((row) => {
          const weight = row.emphasis === true ? 'font-weight:bold;' : '';
          return (
            `<tr><td style="${CELL}">${inline(row.label)}</td>` +
            `<td style="${CELL}${weight}text-align:right;white-space:nowrap;">${inline(row.value)}</td></tr>`
          );
        })
        .join('');
      return table(content.caption, rows);
    }
    case 'table': {
      const align = (column: number): string => (content.numeric[column] === true ? 'text-align:right;white-space:nowrap;' : 'text-align:left;');
      const head = content.columns
        .map((column, index) => `<th style="${CELL}${align(index)}background:#f5f7fa;font-weight:bold;">${inline(column)}</th>`)
        .join('');
      const body = content.rows
        .map((row) => `<tr>${row.map((cell, index) => `<td style="${CELL}${align(index)}">${inline(cell)}</td>`).join('')}</tr>`)
        .join('');
      return table(content.caption, `<tr>${head}</tr>${body}`);
    }
    case 'list': {
      const items = content.items.map((item) => `<li style="${TEXT}margin:0 0 4px 0;">${inline(item)}</li>`).join('');
      const caption = content.caption === undefined ? '' : `<p style="${CAPTION}margin:0;">${inline(content.caption)}</p>`;
      return `${caption}<ul style="margin:0 0 16px 0;padding:0 0 0 20px;">${items}</ul>`;
    }
  }
}

/**
 * Escaped text in which a figure joined by no-break spaces is kept on one line: each space-separated
 * word holding one, found without a pattern that backtracks through every word.
 */
function inline(text: string): string {
  const escaped = escapeHtml(text);
  if (!escaped.includes('\u00a0')) return escaped;
  return escaped.replace(/[^ ]+/g, (word) => (word.includes('\u00a0') ? `<span style="white-space:nowrap;">${word.replace(/\u00a0/g, ' ')}</span>` : word));
}

function table(caption: string | undefined, rows: string): string {
  const title = caption === undefined ? '' : `<caption style="${CAPTION}">${inline(caption)}</caption>`;
  return (
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" ` +
    `style="border-collapse:collapse;margin:0 0 20px 0;">${title}${rows}</table>`
  );
}

export function renderHtml(document: NoticeDocument): string {
  const greeting = document.greeting === undefined ? '' : `<p style="${TEXT}margin:0 0 16px 0;">${inline(document.greeting)}</p>`;
  const closing = document.closing.map(escapeHtml).join('<br>');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(document.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(document.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#f0f2f5;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f0f2f5;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid #d9dee4;">',
    `<tr><td style="${FONT}font-size:14px;font-weight:bold;letter-spacing:0.5px;color:#ffffff;background:#1d4e89;padding:14px 24px;">${inline(document.brand)}</td></tr>`,
    '<tr><td style="padding:24px;">',
    `<h1 style="${FONT}font-size:20px;line-height:28px;color:#102a43;margin:0 0 16px 0;">${inline(document.heading)}</h1>`,
    greeting,
    ...document.blocks.map(block),
    `<p style="${TEXT}margin:8px 0 0 0;">${closing}</p>`,
    '</td></tr>',
    `<tr><td style="${FONT}font-size:12px;line-height:18px;color:#7b8794;background:#f5f7fa;padding:12px 24px;">${inline(document.footer)}</td></tr>`,
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
