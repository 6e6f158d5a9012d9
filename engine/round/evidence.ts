/**
 * Evidence ("tài liệu minh chứng"): what a criterion needs, what a unit filed,
 * what is missing. A criterion declares `evidence_required` in its YAML; when
 * it does not, the kinds are read from its "căn cứ tính điểm" text, so the
 * 2023 decision's wording ("Ngày ban hành văn bản", "Căn cứ Hệ thống thông
 * tin…", "ảnh, clip minh chứng") gives the list without editing the set.
 *
 * Missing evidence is flagged, never scored: only an appraisal decision with
 * its reason changes a score because of it.
 */
import type { CompiledCriterion } from '../compile/level.js';
import { foldText } from '../compile/input-types.js';
import type { EvidenceKind } from '../model.js';
import type { Localized } from '../problems.js';

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['van-ban', 'trich-xuat', 'hinh-anh', 'bao-cao'];

export const EVIDENCE_LABELS: Record<EvidenceKind, Localized> = {
  'van-ban': { vi: 'văn bản (số, ngày ban hành)', en: 'a document (number and date)' },
  'trich-xuat': { vi: 'bản trích xuất từ hệ thống thông tin', en: 'an export from the information system' },
  'hinh-anh': { vi: 'hình ảnh, clip minh chứng', en: 'photos or clips' },
  'bao-cao': { vi: 'báo cáo của đơn vị', en: "the unit's report" },
};

/** One piece of evidence a unit filed for a criterion. */
export interface EvidenceItem {
  kind: EvidenceKind;
  number?: string;
  date?: string;
  issuer?: string;
  /** A file name (sent with the declaration, or kept by the unit) … */
  file?: string;
  /** … or a link to it. */
  link?: string;
  summary?: string;
}

/** The kinds a criterion requires: declared, or read from its evidence text. */
export function requiredEvidence(criterion: CompiledCriterion): { kinds: EvidenceKind[]; derived: boolean } {
  if (criterion.def.evidence_required) return { kinds: [...criterion.def.evidence_required], derived: false };
  const text = foldText(criterion.def.evidence);
  const kinds = new Set<EvidenceKind>();
  // The decision's wording, most specific first: a plan or document ("Ngày ban hành văn bản", "Căn cứ Kế hoạch"),
  // photos and clips, an information system ("Cổng DVC tỉnh", "số liệu … cung cấp"); otherwise the unit's report.
  if (/ngay ban hanh|van ban lien quan|ke hoach|chuong trinh|cong van|quyet dinh/.test(text)) kinds.add('van-ban');
  if (/hinh anh|\banh\b|clip/.test(text)) kinds.add('hinh-anh');
  if (kinds.size === 0 && /he thong|cong dvc|cung cap|phan mem/.test(text)) kinds.add('trich-xuat');
  if (kinds.size === 0) kinds.add('bao-cao');
  return { kinds: EVIDENCE_KINDS.filter((k) => kinds.has(k)), derived: true };
}

/** Why an item does not count for its kind, or undefined when it does. */
export function itemShortfall(item: EvidenceItem): Localized | undefined {
  const hasCopy = Boolean(item.file || item.link);
  if (item.kind === 'van-ban' && !(item.number && item.date)) return { vi: 'văn bản cần số và ngày ban hành', en: 'a document needs its number and date' };
  if ((item.kind === 'trich-xuat' || item.kind === 'hinh-anh') && !hasCopy) return { vi: 'cần tên tệp hoặc đường dẫn', en: 'needs a file name or a link' };
  if (item.kind === 'bao-cao' && !hasCopy && !(item.number && item.date)) return { vi: 'báo cáo cần số và ngày, hoặc tên tệp, đường dẫn', en: 'a report needs its number and date, or a file or link' };
  return undefined;
}

export interface EvidenceCheck {
  required: EvidenceKind[];
  /** Required kinds with no item that counts. */
  missing: EvidenceKind[];
  /** Kinds satisfied by the data itself: an agency's export of the figures. */
  byProvider: EvidenceKind[];
  items: EvidenceItem[];
}

/**
 * Check what a unit filed for one criterion. `fromAgencies` is true when
 * every input of the criterion came from an agency: the agency's file is the
 * system export.
 */
export function checkEvidence(criterion: CompiledCriterion, items: readonly EvidenceItem[], fromAgencies: boolean): EvidenceCheck {
  const { kinds } = requiredEvidence(criterion);
  const byProvider: EvidenceKind[] = [];
  const missing: EvidenceKind[] = [];
  for (const kind of kinds) {
    if (items.some((i) => i.kind === kind && !itemShortfall(i))) continue;
    if (kind === 'trich-xuat' && fromAgencies) {
      byProvider.push(kind);
      continue;
    }
    missing.push(kind);
  }
  return { required: kinds, missing, byProvider, items: [...items] };
}
