/**
 * A provider's own data sheet: the level's template (engine/xlsx/template.ts,
 * used as it is) built from a view of the level that holds only the inputs
 * this provider supplies, with a row for every unit of the level in the
 * round's register. What comes back is read by the ordinary workbook reader;
 * the columns it lacks belong to other providers (collect.ts knows).
 */
import type { CompiledLevel } from '../compile/level.js';
import { Rational } from '../exact/rational.js';
import { problem, type Problem } from '../problems.js';
import { inputsOfProvider, providerName, UNIT_SELF, type Round } from './config.js';

/** The level as this provider sees it: its criteria, each with only the inputs it supplies. */
export function providerLevelView(level: CompiledLevel, keys: readonly string[]): CompiledLevel {
  const wanted = new Set(keys);
  const criteria = level.criteria
    .filter((c) => Object.keys(c.def.inputs).some((i) => wanted.has(`${c.id}.${i}`)))
    .map((c) => ({ ...c, def: { ...c.def, inputs: Object.fromEntries(Object.entries(c.def.inputs).filter(([i]) => wanted.has(`${c.id}.${i}`))) } }));
  const total = criteria.reduce((sum, c) => sum.add(c.maxPoints), Rational.ZERO);
  return { ...level, criteria, totalPoints: total };
}

export async function providerTemplates(round: Round, provider: string, onlyLevel?: string): Promise<{ level: string; bytes: Buffer }[] | { problems: Problem[] }> {
  const known = provider === UNIT_SELF || round.config.providers.some((p) => p.id === provider);
  if (!known) {
    return {
      problems: [
        problem('round.wrong-provider', { vi: `Không có cơ quan cung cấp "${provider}" trong round.yaml.`, en: `No provider "${provider}" in round.yaml.` }, {
          hint: { vi: `Các cơ quan: ${[...round.config.providers.map((p) => p.id), UNIT_SELF].join(', ')}.`, en: `Providers: ${[...round.config.providers.map((p) => p.id), UNIT_SELF].join(', ')}.` },
        }),
      ],
    };
  }
  const levels = round.set.levels.filter((l) => (!onlyLevel || l.id === onlyLevel) && inputsOfProvider(round, provider, l.id).length > 0);
  if (levels.length === 0) {
    return { problems: [problem('round.wrong-provider', { vi: `${providerName(round, provider)} không cung cấp số liệu nào${onlyLevel ? ` ở cấp "${onlyLevel}"` : ''}.`, en: `${provider} supplies no input${onlyLevel ? ` at level "${onlyLevel}"` : ''}.` })] };
  }
  const { buildTemplate } = await import('../xlsx/template.js');
  const out: { level: string; bytes: Buffer }[] = [];
  for (const level of levels) {
    const view = providerLevelView(level, inputsOfProvider(round, provider, level.id));
    // The register's type and attributes pre-fill the row as in `tieuchi template --units`, so a
    // criterion that does not apply to the unit is greyed and noted "không áp dụng" by the template's
    // own rule (the level's structure), and what the provider sends back agrees with units.yaml.
    const units = [...round.units.values()]
      .filter((u) => u.level === level.id)
      .map((u) => ({ id: u.id, name: u.name, ...(u.type !== undefined ? { type: u.type } : {}), ...(u.attributes ? { attributes: u.attributes } : {}) }));
    const workbook = buildTemplate(round.set, view, { units, deadline: round.config.deadline });
    workbook.title = `${workbook.title} — ${providerName(round, provider)}`;
    // Say whose sheet it is, beside the template's own metadata (the reader ignores keys it does not know).
    const meta = workbook.worksheets.find((s) => s.state === 'veryHidden');
    if (meta) meta.addRow(['provider', provider]);
    out.push({ level: level.id, bytes: Buffer.from(await workbook.xlsx.writeBuffer()) });
  }
  return out;
}
