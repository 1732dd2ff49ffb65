// Every boxed equation of the notes links to the lines of @nabla/core that compute it, and a
// refactor cannot orphan such a link silently.
//
// The link form, in docs/**/*.md(x):
//
//   [layer.ts#L85-L87](https://github.com/nabla-dev/nabla/blob/main/packages/core/src/network/layer.ts#L85-L87 "eq:weight-gradient")
//
// and in the source, on the first line of that range, a marker comment:
//
//   // [eq:weight-gradient] linked from docs/notes/backward.md
//
// The marker opens a block of code: it runs to the first blank line, the next marker, or the
// end of the enclosing block (a line indented less than the marker), whichever comes first.
// The test checks that
//
// - the linked file exists in this repository and the range starts on its marker's line and
//   ends inside the marker's block (so inserting or removing a line above the code breaks it);
// - every marker id occurs once in packages/core/src and is linked from the docs (no orphans);
// - every link to the repository's source carries an "eq:..." title (nothing goes unchecked);
// - in docs/notes/*.md and docs/checkpointing.mdx, every display equation with \boxed is
//   followed, before the next display equation or heading, by at least one source link (a box
//   whose rows are computed in different places, as the four lines of the backward pass, gets
//   one link per row, in order).
//
// After moving code, `UPDATE_SOURCE_LINKS=1 pnpm --filter docs exec vitest run
// test/source-links.test.ts` rewrites every link to its marker's current lines (keeping each
// range's length) and the test then checks the result.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');
const docsDir = join(repo, 'docs');
const coreSrc = join(repo, 'packages', 'core', 'src');
const BASE = 'https://github.com/nabla-dev/nabla/blob/main/';
const LINK = /\[([^\]]*)\]\((https:\/\/github\.com\/nabla-dev\/nabla\/blob\/main\/([^#\s)]+)#L(\d+)(?:-L(\d+))?)(?:\s+"([^"]*)")?\)/g;
const ANY_SOURCE_LINK = /https:\/\/github\.com\/nabla-dev\/nabla\/blob\//g;
const MARKER = /\/\/\s*\[eq:([\w-]+)\]/;

function files(dir: string, keep: (name: string) => boolean, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (skip(path)) continue;
    if (e.isDirectory()) out.push(...files(path, keep, skip));
    else if (keep(e.name)) out.push(path);
  }
  return out.sort();
}

interface Marker {
  readonly id: string;
  /** Path from the repository root. */
  readonly file: string;
  /** 1-based line of the marker comment. */
  readonly line: number;
  /** Last line of the marker's block. */
  readonly end: number;
}

const indentOf = (l: string): number => l.length - l.trimStart().length;

function markers(): { found: Marker[]; duplicates: string[] } {
  const found: Marker[] = [];
  const duplicates: string[] = [];
  for (const path of files(coreSrc, (n) => n.endsWith('.ts'))) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = MARKER.exec(l);
      if (m === null) return;
      const indent = indentOf(l);
      let end = i;
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!;
        if (next.trim() === '' || MARKER.test(next) || indentOf(next) < indent) break;
        end = j;
      }
      const file = relative(repo, path);
      if (found.some((f) => f.id === m[1])) duplicates.push(`${m[1]} (again in ${file}:${i + 1})`);
      found.push({ id: m[1]!, file, line: i + 1, end: end + 1 });
    });
  }
  return { found, duplicates };
}

interface Link {
  readonly doc: string;
  readonly docLine: number;
  readonly text: string;
  readonly url: string;
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly id: string | undefined;
  readonly index: number;
}

const docs = files(docsDir, (n) => /\.mdx?$/.test(n), (p) => relative(docsDir, p) === 'api');

function linksOf(doc: string, text: string): Link[] {
  const out: Link[] = [];
  for (const m of text.matchAll(LINK)) {
    const from = Number(m[4]);
    out.push({
      doc: relative(repo, doc),
      docLine: text.slice(0, m.index).split('\n').length,
      text: m[1]!,
      url: m[2]!,
      file: m[3]!,
      from,
      to: m[5] === undefined ? from : Number(m[5]),
      id: m[6]?.startsWith('eq:') ? m[6].slice(3) : undefined,
      index: m.index!,
    });
  }
  return out;
}

/** Rewrites every link to its marker's current lines, keeping each range's length. */
function updateLinks(found: Marker[]): void {
  for (const doc of docs) {
    const text = readFileSync(doc, 'utf8');
    const next = text.replace(LINK, (whole, label: string, _url: string, _file: string, a: string, b: string | undefined, title: string | undefined) => {
      const id = title?.startsWith('eq:') ? title.slice(3) : undefined;
      const m = found.find((f) => f.id === id);
      if (m === undefined) return whole;
      const length = (b === undefined ? Number(a) : Number(b)) - Number(a);
      const to = Math.min(m.line + length, m.end);
      const range = to === m.line ? `L${m.line}` : `L${m.line}-L${to}`;
      const oldRange = b === undefined ? `L${a}` : `L${a}-L${b}`;
      const name = m.file.split('/').at(-1)!;
      const newLabel = label.includes(oldRange) ? label.replace(/[\w.-]+\.ts#L\d+(-L\d+)?/, `${name}#${range}`) : label;
      return `[${newLabel}](${BASE}${m.file}#${range} "eq:${m.id}")`;
    });
    if (next !== text) writeFileSync(doc, next);
  }
}

const { found, duplicates } = markers();
if (process.env.UPDATE_SOURCE_LINKS === '1') updateLinks(found);
const texts = new Map(docs.map((d) => [d, readFileSync(d, 'utf8')]));
const links = docs.flatMap((d) => linksOf(d, texts.get(d)!));

describe('source links of the notes', () => {
  it('every marker [eq:ID] in packages/core/src is unique and linked from the docs', () => {
    expect(found.length).toBeGreaterThan(20);
    expect(duplicates).toEqual([]);
    const linked = new Set(links.map((l) => l.id));
    expect(found.filter((m) => !linked.has(m.id)).map((m) => `${m.id} (${m.file}:${m.line})`)).toEqual([]);
  });

  it('every link to the source names its marker', () => {
    const bare: string[] = [];
    for (const [doc, text] of texts) {
      const all = Array.from(text.matchAll(ANY_SOURCE_LINK)).length;
      const named = linksOf(doc, text).filter((l) => l.id !== undefined).length;
      if (all !== named) bare.push(`${relative(repo, doc)}: ${all - named} of ${all} source links have no "eq:..." title or no #L line range`);
    }
    expect(bare).toEqual([]);
  });

  it.each(links.map((l) => [`${l.doc}:${l.docLine} ${l.id ?? '(no id)'} -> ${l.file}#L${l.from}-L${l.to}`, l] as const))(
    '%s points at its marker',
    (_name, link) => {
      const m = found.find((f) => f.id === link.id);
      expect(m, `a marker // [eq:${link.id}] exists in packages/core/src`).toBeDefined();
      expect(link.file, `the file of eq:${link.id}`).toBe(m!.file);
      const hint = `${link.doc}:${link.docLine}: eq:${link.id} is at ${m!.file}#L${m!.line}-L${m!.end}; run UPDATE_SOURCE_LINKS=1 pnpm --filter docs exec vitest run test/source-links.test.ts`;
      expect(link.from, hint).toBe(m!.line);
      expect(link.to, hint).toBeGreaterThanOrEqual(link.from);
      expect(link.to, hint).toBeLessThanOrEqual(m!.end);
      const lines = readFileSync(join(repo, link.file), 'utf8').split('\n').slice(link.from - 1, link.to);
      expect(lines.some((l) => l.trim() !== '' && !l.trim().startsWith('//')), `${hint}: the range holds code, not only comments`).toBe(true);
    },
  );

  const pages = docs.filter((d) => /^notes\/[^/]+\.md$/.test(relative(docsDir, d)) || relative(docsDir, d) === 'checkpointing.mdx');
  it.each(pages.map((p) => [relative(repo, p), p] as const))('%s: every boxed equation is followed by its source links', (_name, page) => {
    const text = texts.get(page)!;
    const missing: string[] = [];
    let boxes = 0;
    const display = /\$\$([\s\S]*?)\$\$/g;
    for (const m of text.matchAll(display)) {
      const math = m[1]!;
      if (!math.includes('\\boxed')) continue;
      boxes++;
      const after = text.slice(m.index! + m[0].length);
      const stop = after.search(/\$\$|\n#{1,6} /);
      const following = stop < 0 ? after : after.slice(0, stop);
      const ids = linksOf(page, following).flatMap((l) => (l.id === undefined ? [] : [l.id]));
      const rows = (math.slice(math.indexOf('\\boxed')).match(/\\\\/g) ?? []).length + 1;
      const line = text.slice(0, m.index).split('\n').length;
      if (ids.length < 1) missing.push(`line ${line}: a boxed equation without a source link`);
      else if (new Set(ids).size > 1 && ids.length < rows) missing.push(`line ${line}: ${rows} rows linked to different places, but only ${ids.length} links`);
    }
    expect(missing).toEqual([]);
    if (relative(docsDir, page) !== 'notes/notation.md') expect(boxes, 'the page boxes its results').toBeGreaterThan(0);
  });
});
