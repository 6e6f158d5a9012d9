/**
 * The staff guide's worked examples still work: each example in
 * docs/huong-dan-bien-soan.md is a series of `diff` blocks (applied to a
 * fresh copy of criteria/2023) and `$ tieuchi ...` blocks whose output must
 * match what the guide shows. UPDATE_GOLDEN=1 rewrites the shown output.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { criteria2023Dir, repoRoot } from './helpers/criteria.js';

const guidePath = fileURLToPath(new URL('../docs/huong-dan-bien-soan.md', import.meta.url));
const guide = readFileSync(guidePath, 'utf8');

interface Block {
  kind: 'diff' | 'run';
  body: string;
  /** Offsets of the body in the guide, to rewrite it. */
  start: number;
  end: number;
}

/** Examples start at <!-- vi-du: name --> and run to the next one or the end. */
function examples(): { name: string; blocks: Block[] }[] {
  const marks = [...guide.matchAll(/<!-- vi-du: ([\w-]+) -->/g)];
  return marks.map((mark, i) => {
    const from = mark.index!;
    const to = marks[i + 1]?.index ?? guide.length;
    const blocks: Block[] = [];
    for (const m of guide.slice(from, to).matchAll(/```(diff|text)\n([\s\S]*?)```/g)) {
      const body = m[2]!;
      const start = from + m.index! + m[0].indexOf('\n') + 1;
      if (m[1] === 'diff') blocks.push({ kind: 'diff', body, start, end: start + body.length });
      else if (body.startsWith('$ tieuchi ')) blocks.push({ kind: 'run', body, start, end: start + body.length });
    }
    return { name: mark[1]!, blocks };
  });
}

/** Apply a diff block: first line "# path", hunks separated by "@@" lines; " " context, "-" removed, "+" added. */
function applyDiff(root: string, body: string): void {
  const lines = body.replace(/\n$/, '').split('\n');
  const file = join(root, lines[0]!.replace(/^#\s*/, ''));
  let text = readFileSync(file, 'utf8');
  const hunks: string[][] = [[]];
  for (const line of lines.slice(1)) {
    if (line.startsWith('@@')) hunks.push([]);
    else hunks[hunks.length - 1]!.push(line);
  }
  // Hunks apply in order, each after the previous one, like a patch.
  let from = 0;
  for (const hunk of hunks.filter((h) => h.length)) {
    const before = hunk.filter((l) => !l.startsWith('+')).map((l) => l.slice(1)).join('\n');
    const after = hunk.filter((l) => !l.startsWith('-')).map((l) => l.slice(1)).join('\n');
    const at = text.indexOf(before + '\n', from);
    if (at < 0) throw new Error(`diff does not apply to ${file}:\n${before}`);
    text = text.slice(0, at) + after + '\n' + text.slice(at + before.length + 1);
    from = at + after.length;
  }
  writeFileSync(file, text);
}

const rewrites: { start: number; end: number; body: string }[] = [];

describe('docs/huong-dan-bien-soan.md documents every problem code', () => {
  const source = readFileSync(fileURLToPath(new URL('../engine/problems.ts', import.meta.url)), 'utf8');
  const union = source.slice(source.indexOf('export type ProblemCode ='), source.indexOf(';', source.indexOf('export type ProblemCode =')));
  const codes = [...union.matchAll(/'([a-z0-9.-]+)'/g)].map((m) => m[1]!);
  it('finds the codes', () => expect(codes.length).toBeGreaterThan(60));
  it.each(codes)('%s', (code) => {
    expect(guide).toContain(`\`${code}\``);
  });
});

describe('docs/huong-dan-bien-soan.md worked examples', () => {
  const all = examples();
  it('the guide has its worked examples', () => {
    expect(all.map((e) => e.name)).toEqual(expect.arrayContaining(['sua-nguong', 'doi-diem', 'them-tieu-chi', 'bo-tieu-chi', 'bo-cap', 'them-cap', 'chu-trinh-nam-moi']));
  });
  it.each(all)('$name', async ({ blocks }) => {
    const root = mkdtempSync(join(tmpdir(), 'tieuchi-guide-'));
    mkdirSync(join(root, 'criteria'));
    cpSync(criteria2023Dir, join(root, 'criteria', '2023'), { recursive: true });
    // The yearly cycle (chapter 6) scores and measures impact on the example data.
    cpSync(join(repoRoot, 'examples', '2023'), join(root, 'examples', '2023'), { recursive: true });
    // structures (issue 11): chapter 8 works on the example sets of examples/structures/.
    cpSync(join(repoRoot, 'examples', 'structures'), join(root, 'examples', 'structures'), { recursive: true });
    // 8.7: assessment rounds on those sets (their criteria: ../../structures/…).
    for (const r of ['2026-xa-phuong', '2026-so-nganh']) cpSync(join(repoRoot, 'examples', 'rounds', r), join(root, 'examples', 'rounds', r), { recursive: true });
    for (const block of blocks) {
      if (block.kind === 'diff') {
        if (block.body.startsWith('# rm ')) {
          // "# rm path": delete a file
          const { rmSync } = await import('node:fs');
          rmSync(join(root, block.body.slice(5).trim()));
        } else if (block.body.startsWith('# cp ')) {
          const [from, to] = block.body.slice(5).trim().split(/\s+/);
          cpSync(join(root, from!), join(root, to!));
        } else applyDiff(root, block.body);
        continue;
      }
      const command = block.body.split('\n')[0]!.slice('$ tieuchi '.length);
      const r = await cli(command.split(' '), root);
      const shown = `$ tieuchi ${command}\n${(r.stderr + r.stdout).replace(/\n+$/, '')}\n`;
      if (process.env.UPDATE_GOLDEN) rewrites.push({ start: block.start, end: block.end, body: shown });
      else expect(shown).toBe(block.body);
    }
  });
  it('rewrites the guide when asked', () => {
    if (!process.env.UPDATE_GOLDEN || rewrites.length === 0) return;
    let text = guide;
    for (const r of [...rewrites].sort((a, b) => b.start - a.start)) text = text.slice(0, r.start) + r.body + text.slice(r.end);
    writeFileSync(guidePath, text);
  });
});
