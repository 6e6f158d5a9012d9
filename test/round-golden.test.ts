/**
 * The example rounds' outputs, byte for byte: `round score` (text and JSON),
 * `round explain` of a unit, `round status` and `compare`, for the 2023 and
 * 2025 rounds (plain criteria sets) and the structured 2026 rounds
 * (examples/rounds/2026-xa-phuong, 2026-so-nganh). Regenerate only with UPDATE_GOLDEN=1,
 * and say why in the commit.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';

const goldenDir = fileURLToPath(new URL('./golden/round', import.meta.url));

function golden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  // A missing golden file is a failure, never a silent first write.
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/round-golden.test.ts`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The JSON results without the time of the run. */
// The time and the engine's version change on every run and release, not with the round.
const stable = (json: string) => json.replace(/"scoredAt": "[^"]+"/, '"scoredAt": "(thời điểm chấm)"').replace(/"engineVersion": "[^"]+"/, '"engineVersion": "(phiên bản)"');

const CASES: { name: string; argv: string[]; json?: boolean }[] = [
  { name: '2023-score.txt', argv: ['round', 'score', 'examples/rounds/2023'] },
  { name: '2023-score.json', argv: ['round', 'score', 'examples/rounds/2023', '--format', 'json'], json: true },
  { name: '2023-explain-phuong-1.txt', argv: ['round', 'explain', 'examples/rounds/2023', '--unit', 'phuong-1'] },
  { name: '2023-status.txt', argv: ['round', 'status', 'examples/rounds/2023'] },
  { name: '2025-score.txt', argv: ['round', 'score', 'examples/rounds/2025'] },
  { name: '2025-score.json', argv: ['round', 'score', 'examples/rounds/2025', '--format', 'json'], json: true },
  { name: 'compare-2023-2025.txt', argv: ['compare', 'examples/rounds/2023', 'examples/rounds/2025'] },
  // structures (issue 11): rounds on structured sets, scored with no code written for them.
  { name: '2026-xa-phuong-score.txt', argv: ['round', 'score', 'examples/rounds/2026-xa-phuong'] },
  { name: '2026-xa-phuong-explain-xa-hoa-tan.txt', argv: ['round', 'explain', 'examples/rounds/2026-xa-phuong', '--unit', 'xa-hoa-tan'] },
  { name: '2026-xa-phuong-explain-phuong-3.txt', argv: ['round', 'explain', 'examples/rounds/2026-xa-phuong', '--unit', 'phuong-3'] },
  { name: '2026-so-nganh-score.txt', argv: ['round', 'score', 'examples/rounds/2026-so-nganh'] },
  { name: '2026-so-nganh-status.txt', argv: ['round', 'status', 'examples/rounds/2026-so-nganh'] },
  { name: '2026-so-nganh-explain-thanh-tra.txt', argv: ['round', 'explain', 'examples/rounds/2026-so-nganh', '--unit', 'thanh-tra'] },
];

describe('example rounds, byte for byte', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await cli(c.argv);
      expect(r.code, r.stderr).toBe(0);
      golden(c.name, c.json ? stable(r.stdout) : r.stdout);
    }, 60_000);
  }
});
