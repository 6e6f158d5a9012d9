/**
 * Merge what the round received into one set of inputs per unit, each value
 * carrying its provider and its place in the file it came from.
 *
 * Rules (the same for files from disk and from the service):
 * - a unit's own file may hold only that unit's data; an agency's file may
 *   cover many units but only the inputs the agency supplies (round.yaml
 *   `providers[].supplies`); the department may send anything;
 * - a later file from the same provider supersedes an earlier one input by
 *   input; the earlier value stays in the history;
 * - two providers giving different values for one input is a conflict: the
 *   input is not scored until the department decides (an appraisal);
 * - a file received after the deadline is kept and reported; its values are
 *   used only when round.yaml says `late: accept`;
 * - nothing is silently dropped: every value not used says why.
 */
import { readFileSync } from 'node:fs';
import type { CompiledLevel } from '../compile/level.js';
import { isReadError, readInput } from '../compile/input-types.js';
import { readAttributeValue } from '../contract/unit-attributes.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../load/submissions.js';
import type { JsonValue, Submission } from '../model.js';
import { problem, type Localized, type Problem, type SourceLocation } from '../problems.js';
import { formatDate } from '../report/format.js';
import { cellReference, SHEETS } from '../xlsx/layout.js';
import { providerName, providersOf, UNIT_SELF, type RegisteredUnit, type Round } from './config.js';
import { looksLikeDeclaration, parseDeclarationText, readDeclaration } from './declarations.js';
import type { EvidenceItem } from './evidence.js';
import { isLate, listReceived, type ReceivedFile } from './received.js';
import { isRecord } from './yaml-file.js';

/** One reported value, where it came from, and whether it is used. */
export interface SourcedValue {
  /** The provider role: "don-vi" (the unit itself), an agency's id, or the department's id. */
  provider: string;
  /** Who sent the file (for a unit's own file, the unit's id). */
  sender: string;
  file: string;
  /** ISO time the file was received. */
  at: string;
  /** The value's place, for people: "received/…/x.json:12:7", "received/…/x.xlsx 'Số liệu'!E7". */
  source: string;
  location?: SourceLocation;
  /** Normalised (a number, {achieved,total}, an ISO date or null, an option id, a boolean); absent when unreadable. */
  value?: JsonValue;
  late: boolean;
  status: 'used' | 'superseded' | 'late' | 'conflict' | 'unreadable';
}

export interface UnitInputs {
  unit: RegisteredUnit;
  /** "criterion.input" → every value received, in the order received. */
  history: Map<string, SourcedValue[]>;
  /** "criterion.input" → the value used. */
  chosen: Map<string, SourcedValue>;
  /** "criterion.input" → the problem that keeps it from being used (conflict, unreadable). */
  blocked: Map<string, Problem>;
  selfAssessment: Map<string, { points: number; source: string; at: string }>;
  evidence: Map<string, (EvidenceItem & { source: string })[]>;
  /** When the last value used arrived: the "earlier submission" tie-break. */
  lastUsedAt?: string;
}

export interface FileReport {
  file: string;
  sender: string;
  senderName: string;
  at: string;
  late: boolean;
  kind: 'data' | 'declaration' | 'unreadable';
  /** Units the file gave something for. */
  units: string[];
  problems: Problem[];
}

export interface Collected {
  units: Map<string, UnitInputs>;
  files: FileReport[];
  problems: Problem[];
}

const PROBLEM_FREE = new Set(['submission.missing-input', 'xlsx.unit-without-data']);

function whereOf(file: ReceivedFile, submission: Submission, path: string[]): { source: string; location?: SourceLocation } {
  const origin = submission.origin;
  if (file.ext === 'json' && origin?.locate) {
    const location = origin.locate(path.length ? ['inputs', ...path] : []);
    return { source: `${file.file}:${location.line}:${location.column}`, location };
  }
  const key = path.length >= 2 ? `${path[0]}.${path[1]}` : undefined;
  const column = (key && origin?.columns?.[key]) || 1;
  const line = origin?.line ?? 1;
  const location = { file: file.file, start: 0, end: 0, line, column };
  if (file.ext === 'xlsx') return { source: `${file.file} ${cellReference(SHEETS.data, line, column)}`, location };
  return { source: `${file.file}:${line}:${column}`, location };
}

function senderRole(round: Round, sender: string): { role: string; kind: 'unit' | 'agency' | 'department' } | undefined {
  if (sender === round.config.department.id) return { role: sender, kind: 'department' };
  if (round.config.providers.some((p) => p.id === sender)) return { role: sender, kind: 'agency' };
  if (round.units.has(sender)) return { role: UNIT_SELF, kind: 'unit' };
  return undefined;
}

function emptyUnit(unit: RegisteredUnit): UnitInputs {
  return { unit, history: new Map(), chosen: new Map(), blocked: new Map(), selfAssessment: new Map(), evidence: new Map() };
}

/** Read one received data file into submissions (the public readers; spreadsheets need the criteria). */
async function readData(round: Round, file: ReceivedFile, text: string | undefined): Promise<{ submissions: Submission[]; problems: Problem[] }> {
  if (file.ext === 'xlsx') {
    const { readWorkbookFile } = await import('../xlsx/read-workbook.js');
    return readWorkbookFile(file.path, file.file, round.set);
  }
  return file.ext === 'csv' ? readSubmissionsCsv(file.file, text!) : readSubmissionsJson(file.file, text!);
}

/** Collect everything received by the round. */
export async function collectRound(round: Round): Promise<Collected> {
  const listed = listReceived(round);
  const units = new Map<string, UnitInputs>([...round.units.values()].map((u) => [u.id, emptyUnit(u)]));
  const files: FileReport[] = [];
  const levels = new Map(round.set.levels.map((l) => [l.id, l]));
  const levelOfUnit = (id: string) => {
    const unit = round.units.get(id);
    return unit ? levels.get(unit.level) : undefined;
  };

  for (const file of listed.files) {
    const late = isLate(round, file.at);
    const report: FileReport = { file: file.file, sender: file.sender, senderName: providerName(round, file.sender), at: file.at.toISOString(), late, kind: 'data', units: [], problems: [] };
    files.push(report);
    const role = senderRole(round, file.sender);
    if (!role) {
      report.kind = 'unreadable';
      report.problems.push(
        problem('round.wrong-provider', { vi: `Tệp ${file.file}: người gửi "${file.sender}" không phải đơn vị, cơ quan cung cấp hay sở chủ trì của đợt đánh giá; tệp được giữ lại nhưng không dùng.`, en: `${file.file}: sender "${file.sender}" is no unit, provider or department of the round; the file is kept but not used.` }, {
          file: file.file,
          hint: { vi: 'Khai cơ quan này trong round.yaml (providers) hoặc đơn vị trong units.yaml, rồi chạy lại.', en: 'Declare it in round.yaml (providers) or units.yaml, then run again.' },
        }),
      );
      continue;
    }
    if (late) {
      const used = round.config.late === 'accept';
      report.problems.push(
        problem(
          'round.late',
          {
            vi: `Tệp ${file.file} của ${report.senderName} nhận lúc ${vnTime(file.at)}, sau hạn ${formatDate(round.config.deadline)}; ${used ? 'vẫn được dùng để chấm (round.yaml: late: accept)' : 'được giữ lại nhưng không dùng để chấm (round.yaml: late: reject)'}.`,
            en: `${file.file} from ${file.sender} was received at ${file.at.toISOString()}, after the deadline ${round.config.deadline}; ${used ? 'it is still scored (late: accept)' : 'it is kept but not scored (late: reject)'}.`,
          },
          { file: file.file, severity: used ? 'warning' : 'error', hint: { vi: 'Sở chủ trì quyết định: chấp nhận số liệu trễ bằng một quyết định thẩm định (có lý do), hoặc đổi late trong round.yaml.', en: 'The department decides: accept the late figure with an appraisal decision (with a reason), or change late in round.yaml.' } },
        ),
      );
    }
    let text: string | undefined;
    if (file.ext !== 'xlsx') {
      try {
        text = readFileSync(file.path, 'utf8');
      } catch (err) {
        report.kind = 'unreadable';
        report.problems.push(problem('round.received', { vi: `Không đọc được ${file.file}: ${(err as Error).message}`, en: `Cannot read ${file.file}: ${(err as Error).message}` }, { file: file.file }));
        continue;
      }
    }
    if (file.ext === 'yaml' || (file.ext === 'json' && looksLikeDeclaration(safeJson(text!)))) {
      report.kind = 'declaration';
      collectDeclaration(round, file, text!, role, report, units, levelOfUnit, late);
      continue;
    }
    const read = await readData(round, file, text);
    // Readers' problems: a missing cell or a unit row without data is normal in a provider's partial file.
    const readerByInput = new Map<string, Problem>();
    for (const p of read.problems) {
      if (PROBLEM_FREE.has(p.code)) continue;
      if (p.code === 'xlsx.layout' && p.input) continue;
      if (p.unit && p.criterion && p.input) readerByInput.set(`${p.unit}\u0000${p.criterion}.${p.input}`, p);
      else report.problems.push(text !== undefined ? locateJsonError(p, text) : p);
    }
    if (read.submissions.length === 0 && report.problems.some((p) => p.severity === 'error')) report.kind = 'unreadable';
    for (const submission of read.submissions) {
      collectSubmission(round, file, submission, role, report, units, levels, late, readerByInput);
    }
  }

  // Choose per input: the latest usable value of each provider; different values from different providers conflict.
  for (const entry of units.values()) choose(round, entry);
  const problems = [...listed.problems, ...files.flatMap((f) => f.problems)];
  return { units, files, problems };
}

/** JSON.parse names a character position ("at position 161"): turn it into a line and column. */
function locateJsonError(p: Problem, text: string): Problem {
  const m = /position (\d+)/.exec(p.message.en);
  if (p.location || p.code !== 'submission.unreadable' || !m || !p.file) return p;
  const offset = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, offset).replace(/^\uFEFF/, '');
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { ...p, location: { file: p.file, start: offset, end: Math.min(offset + 1, text.length), line, column } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

/** 2023-12-16T01:00:00Z → "08:00 16/12/2023" (Vietnam time). */
export function vnTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(11, 16)} ${formatDate(local.slice(0, 10))}`;
}

function collectSubmission(
  round: Round,
  file: ReceivedFile,
  submission: Submission,
  role: { role: string; kind: 'unit' | 'agency' | 'department' },
  report: FileReport,
  units: Map<string, UnitInputs>,
  levels: Map<string, CompiledLevel>,
  late: boolean,
  readerByInput: Map<string, Problem>,
): void {
  const at = whereOf(file, submission, []);
  const located = at.location ? { location: at.location } : { file: file.file };
  const entry = units.get(submission.id);
  if (!entry) {
    report.problems.push(
      problem('round.wrong-unit', { vi: `${at.source}: đơn vị "${submission.id}" (${submission.name}) không có trong danh sách đơn vị của đợt đánh giá; số liệu của nó không được dùng.`, en: `${at.source}: unit "${submission.id}" is not in the round's register; its data is not used.` }, {
        ...located,
        unit: submission.id,
        hint: { vi: 'Kiểm tra mã đơn vị (xem units.yaml); nếu là đơn vị mới, thêm vào units.yaml.', en: 'Check the unit id (see units.yaml); add a new unit to units.yaml.' },
      }),
    );
    return;
  }
  if (role.kind === 'unit' && submission.id !== file.sender) {
    report.problems.push(
      problem('round.wrong-unit', { vi: `${at.source}: tệp do đơn vị "${file.sender}" gửi nhưng có số liệu của đơn vị khác "${submission.id}"; một đơn vị chỉ gửi số liệu của chính mình, phần này không được dùng.`, en: `${at.source}: the file from unit "${file.sender}" holds data of another unit "${submission.id}"; a unit reports only for itself, this part is not used.` }, {
        ...located,
        unit: submission.id,
        hint: { vi: `Số liệu của "${submission.id}" phải do chính đơn vị đó hoặc sở chủ trì gửi.`, en: `Data of "${submission.id}" must come from that unit or the department.` },
      }),
    );
    return;
  }
  const level = levels.get(entry.unit.level)!;
  if (submission.level !== entry.unit.level) {
    report.problems.push(
      problem('round.wrong-unit', { vi: `${at.source}: đơn vị "${submission.id}" ghi cấp "${submission.level}", nhưng trong danh sách đơn vị là cấp "${entry.unit.level}" (${level.name}); số liệu không được dùng.`, en: `${at.source}: unit "${submission.id}" names level "${submission.level}" but is "${entry.unit.level}" in the register; not used.` }, { ...located, unit: submission.id }),
    );
    return;
  }
  if (!report.units.includes(submission.id)) report.units.push(submission.id);
  report.problems.push(...registeredAsStated(level, entry.unit, submission, at.source, located));
  const inputs = isRecord(submission.inputs) ? submission.inputs : {};
  for (const [criterionId, block] of Object.entries(inputs)) {
    const criterion = level.criteria.find((c) => c.id === criterionId);
    const where = whereOf(file, submission, [criterionId]);
    const loc = where.location ? { location: where.location } : { file: file.file };
    if (!criterion) {
      report.problems.push(problem('submission.unknown-criterion', { vi: `${where.source}: cấp "${level.name}" không có tiêu chí "${criterionId}".`, en: `${where.source}: level "${level.id}" has no criterion "${criterionId}".` }, { ...loc, unit: submission.id, criterion: criterionId, level: level.id }));
      continue;
    }
    if (!isRecord(block)) {
      report.problems.push(problem('submission.shape', { vi: `${where.source}: số liệu của tiêu chí ${criterion.number} phải là một khối {mã_số_liệu: giá_trị}.`, en: `${where.source}: data of criterion ${criterion.number} must be {input: value}.` }, { ...loc, unit: submission.id, criterion: criterionId }));
      continue;
    }
    for (const [inputId, raw] of Object.entries(block)) {
      const key = `${criterionId}.${inputId}`;
      const here = whereOf(file, submission, [criterionId, inputId]);
      const hereLoc = here.location ? { location: here.location } : { file: file.file };
      const def = Object.prototype.hasOwnProperty.call(criterion.def.inputs, inputId) ? criterion.def.inputs[inputId] : undefined;
      const context = { unit: submission.id, criterion: criterionId, input: inputId, level: level.id };
      if (!def) {
        report.problems.push(problem('submission.unknown-input', { vi: `${here.source}: tiêu chí ${criterion.number} ("${criterionId}") không có số liệu "${inputId}".`, en: `${here.source}: criterion ${criterion.number} has no input "${inputId}".` }, { ...hereLoc, ...context }));
        continue;
      }
      const allowed = providersOf(round.config, level.id, key);
      if (role.kind !== 'department' && !allowed.includes(role.role)) {
        report.problems.push(
          problem(
            'round.wrong-provider',
            {
              vi: `${here.source}: ${providerName(round, file.sender)} gửi số liệu "${def.label}" (${key}) của đơn vị ${submission.id}, nhưng số liệu này do ${allowed.map((p) => providerName(round, p)).join(', ')} cung cấp; giá trị này không được dùng.`,
              en: `${here.source}: ${file.sender} sent "${key}" for unit ${submission.id}, which is supplied by ${allowed.join(', ')}; the value is not used.`,
            },
            { ...hereLoc, ...context, hint: { vi: 'Xem round.yaml (providers: supplies) để biết cơ quan nào cung cấp số liệu nào; bỏ cột/giá trị này khỏi tệp.', en: 'See round.yaml (providers: supplies) for who supplies what; remove this value from the file.' } },
          ),
        );
        continue;
      }
      const value: SourcedValue = { provider: role.role, sender: file.sender, file: file.file, at: file.at.toISOString(), source: here.source, ...(here.location ? { location: here.location } : {}), late, status: 'used' };
      const read = readInput(def, raw, submission.mode);
      if (isReadError(read)) {
        const fromReader = readerByInput.get(`${submission.id}\u0000${key}`);
        const located = fromReader ?? problem(read.code, { vi: `${here.source}: ${read.message.vi}`, en: `${here.source}: ${read.message.en}` }, { ...hereLoc, ...context, ...(read.hint ? { hint: read.hint } : {}) });
        report.problems.push(located);
        value.status = 'unreadable';
        if (!entry.blocked.has(key)) entry.blocked.set(key, located);
      } else value.value = read.reported;
      if (late && round.config.late === 'reject') value.status = 'late';
      const list = entry.history.get(key) ?? [];
      list.push(value);
      entry.history.set(key, list);
    }
  }
}

/**
 * structures (issue 11): a round scores each unit by the type and attributes units.yaml gives it;
 * a received file stating others is told so (a warning), never silently overruled.
 */
function registeredAsStated(level: CompiledLevel, unit: RegisteredUnit, submission: Submission, source: string, located: { location: SourceLocation } | { file: string }): Problem[] {
  const structure = level.structure;
  const out: Problem[] = [];
  if (!structure) return out;
  if (structure.unitTypes.size && submission.type !== undefined && submission.type !== unit.type) {
    out.push(
      problem('submission.unit-type', { vi: `${source}: tệp ghi loại đơn vị "${String(submission.type).slice(0, 60)}" cho ${unit.id}, nhưng units.yaml ghi "${unit.type ?? '(chưa ghi)'}"; đợt đánh giá chấm theo units.yaml.`, en: `${source}: the file states type "${String(submission.type).slice(0, 60)}" for ${unit.id}, units.yaml says "${unit.type ?? '(none)'}"; the round scores by units.yaml.` }, {
        ...located,
        severity: 'warning',
        unit: unit.id,
        level: level.id,
        hint: { vi: 'Nếu loại trong units.yaml sai, sở chủ trì sửa units.yaml; nếu không, bỏ "type" khỏi tệp.', en: 'If units.yaml is wrong, the department fixes it; otherwise drop "type" from the file.' },
      }),
    );
  }
  const stated = submission.attributes;
  if (structure.attributes.size && stated && typeof stated === 'object') {
    for (const [key, raw] of Object.entries(stated)) {
      const def = structure.attributes.get(key);
      const read = def ? readAttributeValue(def, raw, submission.mode) : undefined;
      const value = read && 'value' in read ? read.value : raw;
      if (def && unit.attributes && unit.attributes[key] === value) continue;
      out.push(
        problem('submission.unit-attribute', { vi: `${source}: tệp ghi thuộc tính "${key.slice(0, 60)}" = ${JSON.stringify(raw)?.slice(0, 60)} cho ${unit.id}, khác units.yaml (${unit.attributes && Object.prototype.hasOwnProperty.call(unit.attributes, key) ? JSON.stringify(unit.attributes[key]) : 'không ghi'}); đợt đánh giá chấm theo units.yaml.`, en: `${source}: the file states attribute "${key.slice(0, 60)}" for ${unit.id}, unlike units.yaml; the round scores by units.yaml.` }, {
          ...located,
          severity: 'warning',
          unit: unit.id,
          level: level.id,
          hint: { vi: 'Nếu thuộc tính trong units.yaml sai, sở chủ trì sửa units.yaml; nếu không, bỏ "attributes" khỏi tệp.', en: 'If units.yaml is wrong, the department fixes it; otherwise drop "attributes" from the file.' },
        }),
      );
    }
  }
  return out;
}

function collectDeclaration(
  round: Round,
  file: ReceivedFile,
  text: string,
  role: { role: string; kind: 'unit' | 'agency' | 'department' },
  report: FileReport,
  units: Map<string, UnitInputs>,
  levelOf: (unit: string) => CompiledLevel | undefined,
  late: boolean,
): void {
  const parsed = parseDeclarationText(file.file, text);
  report.problems.push(...parsed.problems);
  if (parsed.value === undefined) {
    report.kind = 'unreadable';
    return;
  }
  const declaration = readDeclaration(parsed.value, parsed.check, levelOf);
  report.problems.push(...parsed.check.problems);
  if (!declaration) return;
  if (role.kind === 'agency' || (role.kind === 'unit' && declaration.unit !== file.sender)) {
    report.problems.push(
      problem(
        'round.wrong-unit',
        role.kind === 'agency'
          ? { vi: `Tệp ${file.file}: bản tự đánh giá và minh chứng do chính đơn vị gửi, không do ${providerName(round, file.sender)}; không được dùng.`, en: `${file.file}: a declaration comes from the unit itself, not from ${file.sender}; not used.` }
          : { vi: `Tệp ${file.file}: đơn vị "${file.sender}" gửi bản tự đánh giá của đơn vị khác "${declaration.unit}"; không được dùng.`, en: `${file.file}: unit "${file.sender}" sent the declaration of another unit "${declaration.unit}"; not used.` },
        { ...(parsed.check.locate ? { location: parsed.check.locate(['unit']) } : { file: file.file }), unit: declaration.unit },
      ),
    );
    return;
  }
  if (late && round.config.late === 'reject') return;
  const entry = units.get(declaration.unit)!;
  report.units.push(declaration.unit);
  const source = (location?: SourceLocation) => (location ? `${file.file}:${location.line}:${location.column}` : file.file);
  // A later declaration supersedes per criterion.
  for (const [criterion, self] of declaration.selfAssessment) entry.selfAssessment.set(criterion, { points: self.points, source: source(self.location), at: file.at.toISOString() });
  for (const [criterion, items] of declaration.evidence) entry.evidence.set(criterion, items.map(({ location, ...item }) => ({ ...item, source: source(location) })));
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function choose(round: Round, entry: UnitInputs): void {
  for (const [key, list] of entry.history) {
    // Latest usable value per provider; the earlier ones are superseded.
    const latest = new Map<string, SourcedValue>();
    for (const v of list) {
      if (v.status === 'late') continue;
      const previous = latest.get(v.provider);
      if (previous && previous.status === 'used') previous.status = 'superseded';
      latest.set(v.provider, v);
    }
    const candidates = [...latest.values()];
    const readable = candidates.filter((v) => v.status === 'used');
    if (readable.length === 0) continue;
    // A provider's newest value unreadable blocks the input (already reported).
    if (candidates.some((v) => v.status === 'unreadable')) continue;
    entry.blocked.delete(key);
    const first = readable[0]!;
    if (readable.every((v) => same(v.value, first.value))) {
      // Providers that agree: the earliest value is the one shown; all of them stay "used".
      entry.chosen.set(key, readable.reduce((a, b) => (a.at <= b.at ? a : b)));
      continue;
    }
    for (const v of readable) v.status = 'conflict';
    const [criterionId, inputId] = key.split('.') as [string, string];
    const text = (v: SourcedValue) => `${providerName(round, v.provider)}: ${JSON.stringify(v.value)} (${v.source})`;
    const message: Localized = {
      vi: `Số liệu ${key} của đơn vị ${entry.unit.id} có hai giá trị khác nhau từ hai nguồn — ${readable.map(text).join('; ')}. Tiêu chí này chưa được chấm cho đến khi sở chủ trì quyết định.`,
      en: `Input ${key} of unit ${entry.unit.id} has different values from different providers — ${readable.map((v) => `${v.provider}: ${JSON.stringify(v.value)} (${v.source})`).join('; ')}. The criterion is not scored until the department decides.`,
    };
    entry.blocked.set(
      key,
      problem('round.conflict', message, {
        ...(readable[0]!.location ? { location: readable[0]!.location } : { file: readable[0]!.file }),
        unit: entry.unit.id,
        level: entry.unit.level,
        criterion: criterionId,
        input: inputId,
        hint: { vi: 'Thẩm định: ghi quyết định "correct_input" với giá trị đúng và lý do, hoặc đề nghị một nguồn gửi lại.', en: 'Appraise: record a "correct_input" decision with the right value and a reason, or ask one provider to resend.' },
      }),
    );
  }
  let last: string | undefined;
  for (const v of entry.chosen.values()) if (!last || v.at > last) last = v.at;
  if (last) entry.lastUsedAt = last;
}

/** The merged submission of a unit: every chosen value, normalised (JSON mode). */
export function mergedSubmission(entry: UnitInputs, corrections: Map<string, JsonValue> = new Map()): Submission {
  const inputs: Record<string, Record<string, JsonValue>> = {};
  for (const [key, v] of entry.chosen) {
    const [c, i] = key.split('.') as [string, string];
    (inputs[c] ??= {})[i] = v.value!;
  }
  for (const [key, value] of corrections) {
    const [c, i] = key.split('.') as [string, string];
    (inputs[c] ??= {})[i] = value;
  }
  return { id: entry.unit.id, name: entry.unit.name, level: entry.unit.level, inputs, mode: 'json' };
}
