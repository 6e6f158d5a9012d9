/**
 * A unit's attributes (issue 11): what a unit states about itself ("has
 * online public services", "belongs to group 2") and on which criteria of
 * its level may depend (applies_when). The same contract for every way a
 * submission arrives: JSON ("attributes": {"co_dich_vu_cong": true}), CSV
 * (a column attributes.co_dich_vu_cong), the spreadsheet template (a column
 * per attribute with a dropdown), HTTP.
 *
 * Two steps, like inputs: the envelope's shape is checked when it is read
 * (attributesFieldProblem, a plain object of short scalars), and each value
 * against its level's declaration when the unit is scored
 * (readAttributeValue), so a wrong value is a problem for that unit only.
 */
import type { ReadMode, UnitAttributeDef } from '../model.js';
import type { Localized } from '../problems.js';

/** Most attributes a submission may state, and the longest text of one. */
export const MAX_ATTRIBUTES = 20;
const MAX_VALUE_CHARS = 200;
const ATTRIBUTE_ID = /^[a-z][a-z0-9_]{0,63}$/;

/** The CSV column of an attribute: attributes.<id>. */
export const ATTRIBUTE_COLUMN_PREFIX = 'attributes.';

/** What is wrong with the shape of a submission's "attributes" field, or undefined when it is fine (or absent). */
export function attributesFieldProblem(value: unknown): Localized | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { vi: '"attributes" phải là một khối {mã_thuộc_tính: giá_trị}, ví dụ {"co_dich_vu_cong": true}.', en: '"attributes" must be an object {attribute: value}, e.g. {"co_dich_vu_cong": true}.' };
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_ATTRIBUTES) return { vi: `"attributes" có ${keys.length} thuộc tính, tối đa ${MAX_ATTRIBUTES}.`, en: `"attributes" has ${keys.length} entries, at most ${MAX_ATTRIBUTES}.` };
  for (const key of keys) {
    if (!ATTRIBUTE_ID.test(key)) return { vi: `"attributes": mã thuộc tính ${JSON.stringify(key.slice(0, 70))} không hợp lệ (chữ thường không dấu, số, gạch dưới).`, en: `"attributes": invalid attribute id ${JSON.stringify(key.slice(0, 70))}.` };
    const v = (value as Record<string, unknown>)[key];
    if (typeof v !== 'boolean' && !(typeof v === 'string' && v.length <= MAX_VALUE_CHARS)) {
      return { vi: `"attributes.${key}" phải là true/false hoặc một mã (chữ), đang là ${JSON.stringify(v)?.slice(0, 70) ?? String(v)}.`, en: `"attributes.${key}" must be true/false or an id, got ${JSON.stringify(v)?.slice(0, 70) ?? String(v)}.` };
    }
  }
  return undefined;
}

/** The attributes as a map without a prototype (keys come from the file). */
export function ownAttributes(value: Record<string, unknown>): Record<string, unknown> {
  const own = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) own[key] = value[key];
  return own;
}

const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi').replace(/\s+/g, ' ');
const YES = ['có', 'co', 'true'];
const NO = ['không', 'khong', 'false'];

/** The Vietnamese words of a yes/no attribute, as the template's dropdown offers them. */
export const ATTRIBUTE_YES_NO = { yes: 'Có', no: 'Không' } as const;

/**
 * One stated value against its declaration: true/false or an option id, or
 * what is wrong. JSON takes true/false and option ids only; text (CSV, a
 * spreadsheet) also takes Có/Không and an option's label as the dropdown
 * shows it.
 */
export function readAttributeValue(def: UnitAttributeDef, raw: unknown, mode: ReadMode): { value: boolean | string } | { wrong: Localized; hint: Localized } {
  const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 60)) : JSON.stringify(raw);
  if (def.type === 'boolean') {
    if (typeof raw === 'boolean') return { value: raw };
    if (mode === 'text' && typeof raw === 'string') {
      const f = fold(raw);
      if (YES.includes(f)) return { value: true };
      if (NO.includes(f)) return { value: false };
    }
    return {
      wrong: { vi: `thuộc tính «${def.label}» (${def.id}) chỉ nhận Có hoặc Không, nhận được ${shown}`, en: `attribute "${def.label}" (${def.id}) takes yes or no only, got ${shown}` },
      hint: mode === 'json' ? { vi: `Ghi "${def.id}": true hoặc false.`, en: `Write "${def.id}": true or false.` } : { vi: 'Ghi "Có" hoặc "Không".', en: 'Write "Có" (yes) or "Không" (no).' },
    };
  }
  const options = def.options ?? [];
  if (typeof raw === 'string') {
    // JSON takes the id exactly, as the submission schema's enum does; text may carry spaces around it.
    const byId = options.find((o) => o.id === (mode === 'json' ? raw : raw.trim()));
    if (byId) return { value: byId.id };
    if (mode === 'text') {
      const byLabel = options.find((o) => fold(o.label) === fold(raw));
      if (byLabel) return { value: byLabel.id };
    }
  }
  return {
    wrong: { vi: `thuộc tính «${def.label}» (${def.id}) không có mức ${shown}`, en: `attribute "${def.label}" (${def.id}) has no option ${shown}` },
    hint: { vi: `Các mức: ${options.map((o) => `${o.id} (${o.label})`).join('; ')}.`, en: `Options: ${options.map((o) => o.id).join(', ')}.` },
  };
}

/** How an attribute's value reads for people: Có/Không, or the option's label. */
export function attributeValueText(def: UnitAttributeDef, value: boolean | string): string {
  if (def.type === 'boolean') return value === true ? ATTRIBUTE_YES_NO.yes : ATTRIBUTE_YES_NO.no;
  return def.options?.find((o) => o.id === value)?.label ?? String(value);
}
