import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRound, type Round } from '../../engine/round/config.js';
import { criteria2023Dir } from './criteria.js';

export const exampleRound2023 = fileURLToPath(new URL('../../examples/rounds/2023', import.meta.url));
export const exampleRound2025 = fileURLToPath(new URL('../../examples/rounds/2025', import.meta.url));

const loaded = new Map<string, Round>();

/** Load a round folder (the read-only examples once per test file); fails loudly when it has errors. */
export function round(dir: string): Round {
  const memo = dir === exampleRound2023 || dir === exampleRound2025;
  if (memo && loaded.has(dir)) return loaded.get(dir)!;
  const { round: r, problems } = loadRound(dir);
  if (!r) throw new Error(`round ${dir} does not load:\n` + problems.map((p) => `${p.code} ${p.location?.file ?? p.file}:${p.location?.line} ${p.message.en}`).join('\n'));
  if (memo) loaded.set(dir, r);
  return r;
}

/** A scratch copy of the example 2023 round (criteria path made absolute), to receive files into. */
export function scratchRound2023(options: { withReceived?: boolean; withAppraisals?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round-'));
  cpSync(exampleRound2023, dir, {
    recursive: true,
    filter: (src) => (options.withReceived !== false || !src.includes('/received')) && (options.withAppraisals !== false || !src.includes('/appraisals')) && !(options.withReceived === false && src.endsWith('journal.jsonl')),
  });
  const yaml = readFileSync(join(dir, 'round.yaml'), 'utf8').replace(/^criteria: .*$/m, `criteria: ${JSON.stringify(criteria2023Dir)}`);
  writeFileSync(join(dir, 'round.yaml'), yaml);
  return dir;
}
