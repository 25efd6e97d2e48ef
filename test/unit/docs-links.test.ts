/**
 * The documents a reader follows resolve: every relative link in README.md and docs/ points to a file
 * that exists and, for a Markdown file, to one of its headings; every `docs/….md#anchor` a source file
 * cites (comments, test names) does too. docs/design.md is the spec the code is held to, so a citation
 * of it that no longer lands is a broken promise, not a typo.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citedAnchors, filesUnder, githubSlug, headingAnchors, linkProblem, markdownLinks } from '../support/markdown-links.ts';

const root = join(import.meta.dirname, '..', '..');
const documents = [join(root, 'README.md'), ...filesUnder(join(root, 'docs'), '.md')];
const sources = filesUnder(root, '.ts');

function problemsOfDocument(file: string): string[] {
  return markdownLinks(readFileSync(file, 'utf8')).flatMap(({ line, target }) => {
    const problem = linkProblem(root, file, target);
    return problem === null ? [] : [`${relative(root, file)}:${line} ${problem}`];
  });
}

describe('links in README.md and docs/', () => {
  it('docs/design.md, the spec, is in the repository', () => {
    // Assess
    expect(documents).toContain(join(root, 'docs', 'design.md'));
  });

  it.each(documents.map((file) => [relative(root, file), file]))('%s: every relative link resolves', (_name, file) => {
    // Act
    const problems = problemsOfDocument(file);
    // Assess
    expect(problems).toEqual([]);
  });

  it('source files cite docs/…md#anchor only where the heading exists', () => {
    // Act
    const problems = sources.flatMap((file) =>
      citedAnchors(readFileSync(file, 'utf8')).flatMap(({ line, target }) => {
        const problem = linkProblem(root, file, target, root);
        return problem === null ? [] : [`${relative(root, file)}:${line} ${problem}`];
      }),
    );
    // Assess
    expect(problems).toEqual([]);
  });

  it('source files cite the design by link, never as a bare section sign', () => {
    // Act
    const bare = sources.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((text, index) => (/DESIGN\s§/.test(text) ? [`${relative(root, file)}:${index + 1}`] : [])),
    );
    // Assess
    expect(bare).toEqual([]);
  });
});

describe('the link checker', () => {
  it('slugs headings as GitHub does', () => {
    // Assess
    expect(githubSlug('5. Cases, clocks, breaches, credits')).toBe('5-cases-clocks-breaches-credits');
    expect(githubSlug('Replay output (`aftercare replay --json`) — stable, versioned')).toBe(
      'replay-output-aftercare-replay---json--stable-versioned',
    );
    expect(githubSlug('Limits: item size and transaction items ([design §5](design.md#order-and-duplicates))')).toBe(
      'limits-item-size-and-transaction-items-design-5',
    );
    expect(githubSlug('The `aftercare` command')).toBe('the-aftercare-command');
  });

  it('suffixes repeated headings -1, -2 and ignores headings in code', () => {
    // Prepare
    const markdown = ['# Notes', '## Items', '```', '## Not a heading', '```', '## Items', '### Items'].join('\n');
    // Act
    const anchors = headingAnchors(markdown);
    // Assess
    expect(anchors).toEqual(['notes', 'items', 'items-1', 'items-2']);
  });

  it('reports a missing file and a missing heading, and follows no external or code link', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'docs-links-'));
    writeFileSync(join(folder, 'spec.md'), '# Spec\n## 5. Cases\n');
    const page = [
      '[ok](spec.md#5-cases) [self](#page) [web](https://example.com/x.md#nowhere)',
      '[gone](missing.md) [renamed](spec.md#5-cases-and-clocks) `[code](nowhere.md)`',
      '```',
      '[fenced](nowhere.md)',
      '```',
    ].join('\n');
    writeFileSync(join(folder, 'page.md'), `# Page\n${page}\n`);
    // Act
    const problems = markdownLinks(readFileSync(join(folder, 'page.md'), 'utf8')).flatMap(({ target }) => {
      const problem = linkProblem(folder, join(folder, 'page.md'), target);
      return problem === null ? [] : [problem];
    });
    // Assess
    expect(problems).toEqual([
      'missing.md: missing.md does not exist',
      'spec.md#5-cases-and-clocks: spec.md has no heading #5-cases-and-clocks',
    ]);
  });

  it('finds the design citations of a source comment', () => {
    // Act
    const cited = citedAnchors('/** Accrual order (docs/design.md#5-cases-clocks-breaches-credits). */\nconst x = 1;');
    // Assess
    expect(cited).toEqual([{ line: 1, target: 'docs/design.md#5-cases-clocks-breaches-credits' }]);
  });
});
