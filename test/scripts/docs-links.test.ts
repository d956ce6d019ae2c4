import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/index.ts';

// Every relative link of README.md and docs/ reaches a file of this repository, and every
// `#anchor` a heading of the page it names: a guide moved or a heading renamed breaks no reader.

const linkPattern = /\]\(([^)\s]+)\)/g;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown page: its headings' (outside code blocks), numbered when repeated. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6} (.+)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = headingAnchor(heading);
    const count = seen.get(anchor) ?? 0;
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
    seen.set(anchor, count + 1);
  }
  return anchors;
}

/** Links outside code, as the page spells them. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(linkPattern)].map((match) => match[1]!);
}

async function pages(): Promise<string[]> {
  const docs = await readdir(path.join(repoRoot, 'docs'), { recursive: true });
  return ['README.md', ...docs.filter((file) => file.endsWith('.md')).map((file) => path.join('docs', file))].sort();
}

async function read(file: string): Promise<string | undefined> {
  return readFile(path.join(repoRoot, file), 'utf8').catch(() => undefined);
}

describe('the documentation', () => {
  it('links only to files and headings that exist', async () => {
    const broken: string[] = [];
    for (const page of await pages()) {
      const markdown = (await read(page))!;
      for (const link of linksOf(markdown)) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [target = '', anchor] = link.split('#');
        const file = target === '' ? page : path.normalize(path.join(path.dirname(page), target));
        const exists = await stat(path.join(repoRoot, file)).then(
          () => true,
          () => false,
        );
        if (!exists) broken.push(`${page}: ${link}: no file ${file}`);
        else if (anchor !== undefined && file.endsWith('.md') && !anchorsOf((await read(file))!).has(anchor))
          broken.push(`${page}: ${link}: ${file} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('spells anchors as GitHub does, so that the check above is the one readers meet', () => {
    expect(headingAnchor('In CI')).toBe('in-ci');
    expect(headingAnchor('`check --prometheus`: what only the server knows')).toBe('check---prometheus-what-only-the-server-knows');
    expect(headingAnchor('Policies & coverage (v2)')).toBe('policies--coverage-v2');
  });
});
