/**
 * Links between the repository's documents, as GitHub renders them: the anchors a Markdown file's
 * headings get (GitHub's slug rules, duplicates suffixed -1, -2 …) and the relative links a document
 * makes. Used by test/unit/docs-links.test.ts so that a renamed heading or a moved file breaks a test,
 * not a reader's link.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const FENCE = /^ {0,3}(```|~~~)/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
/** `[text](target)` or `![alt](target "title")`; the text may hold one level of brackets. */
const LINK = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A document path with an anchor as code comments cite it: `docs/design.md#5-cases-clocks-breaches-credits`. */
const CITED_ANCHOR = /(?<![\w/.-])(docs\/(?:[\w.-]+\/)*[\w.-]+\.md)#([\p{L}\p{N}_-]+)/gu;

/** GitHub's heading slug: the rendered text lower-cased, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The lines of a Markdown text that are prose, not fenced code, with their 1-based line numbers. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const prose: { line: number; text: string }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, index) => {
    const opening = FENCE.exec(text)?.[1];
    if (opening !== undefined && (fence === null || fence === opening)) {
      fence = fence === null ? opening : null;
      return;
    }
    if (fence === null) prose.push({ line: index + 1, text });
  });
  return prose;
}

/** Every anchor the headings of a Markdown text get, in order. */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  for (const { text } of proseLines(markdown)) {
    const heading = HEADING.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.push(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

export interface DocumentLink {
  readonly line: number;
  readonly target: string;
}

/** The links of a Markdown text outside code (fenced blocks and code spans), external ones included. */
export function markdownLinks(markdown: string): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const prose = text.replace(/(`+)[^`]*?\1/g, '');
    for (const match of prose.matchAll(LINK)) links.push({ line, target: match[1] ?? '' });
  }
  return links;
}

/** The `path.md#anchor` citations in a source text (comments, test names), with their line numbers. */
export function citedAnchors(source: string): DocumentLink[] {
  const cited: DocumentLink[] = [];
  source.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(CITED_ANCHOR)) cited.push({ line: index + 1, target: `${match[1]}#${match[2]}` });
  });
  return cited;
}

/**
 * What is wrong with one link from `from` (a file under `root`): a missing file, or an anchor that none
 * of the target Markdown file's headings has. External links and mail addresses are not followed.
 * `base` is the folder a relative path starts from: the linking file's own for Markdown, the root for
 * paths cited in source code.
 */
export function linkProblem(root: string, from: string, target: string, base = dirname(from)): string | null {
  if (SCHEME.test(target) || target === '') return null;
  const [rawPath = '', anchor] = target.split('#', 2);
  const path = decodeURIComponent(rawPath.split('?')[0] ?? '');
  const file = path === '' ? from : path.startsWith('/') ? join(root, path) : resolve(base, path);
  const name = relative(root, file);
  if (!existsSync(file)) return `${target}: ${name} does not exist`;
  if (anchor === undefined || anchor === '' || !file.endsWith('.md')) return null;
  const anchors = headingAnchors(readFileSync(file, 'utf8'));
  return anchors.includes(anchor) ? null : `${target}: ${name} has no heading #${anchor}`;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'cdk.out', 'results']);

/** Files under `folder` whose names end with `suffix`, leaving out dependencies and build output. */
export function filesUnder(folder: string, suffix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...filesUnder(path, suffix));
    } else if (entry.name.endsWith(suffix)) {
      found.push(path);
    }
  }
  return found.sort();
}
