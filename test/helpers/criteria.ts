import { fileURLToPath } from 'node:url';
import { loadCriteriaSet, type CriteriaSet } from '../../engine/criteria-set.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const criteria2023Dir = fileURLToPath(new URL('../../criteria/2023', import.meta.url));

let cached: CriteriaSet | undefined;

/** The bundled 2023 set, loaded once per test file; fails loudly if it has errors. */
export function criteria2023(): CriteriaSet {
  if (!cached) {
    const { set, problems } = loadCriteriaSet(criteria2023Dir);
    if (!set) throw new Error('criteria/2023 does not load:\n' + problems.map((p) => `${p.code} ${p.location?.file}:${p.location?.line} ${p.message.en}`).join('\n'));
    cached = set;
  }
  return cached;
}

/** A complete, valid province submission (every input reported), with overrides per criterion. */
export function provinceInputs(overrides: Record<string, Record<string, unknown> | undefined> = {}): Record<string, unknown> {
  const base: Record<string, Record<string, unknown>> = {
    'ke-hoach-cds': { ngay_ban_hanh_ke_hoach: '2023-02-15', ngay_bao_cao_ket_qua: '2023-12-10' },
    'nhan-su-cntt': { muc_bo_tri: 'dai_hoc' },
    'dvc-toan-trinh': { ty_le: 90 },
    'ho-so-cong-viec-tren-mang': { ty_le: 95 },
    'van-ban-dien-tu': { ty_le: 98.5 },
    'bao-cao-dinh-ky': { so_lan_tre_ky_thang: 0, so_lan_tre_ky_quy: 0, so_lan_tre_ky_6_thang: 0, so_lan_tre_ky_nam: 0 },
    'kiem-tra-tren-moi-truong-so': { co_kiem_tra_qua_moi_truong_mang: true },
    'ho-so-dung-han': { ty_le_dung_han: 100 },
    'thu-cong-vu-qlvb': { ty_le: 100 },
    'app-cong-dan-can-bo': { ty_le: 100 },
    'chu-ky-so': { ty_le: 100 },
    'vneid-can-bo': { ty_le: 100 },
    'ho-tro-dvc-thanh-toan': { muc_trien_khai: 'to_chuc' },
    'thanh-toan-truc-tuyen': { ty_le: 60 },
    'cap-do-attt': { he_thong_duoc_phe_duyet: { achieved: 2, total: 2 } },
    'ngay-cds': { muc_huong_ung: 'thiet_thuc_va_phong_trao' },
  };
  const result: Record<string, unknown> = { ...base };
  for (const [criterion, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[criterion];
    else result[criterion] = { ...base[criterion], ...value };
  }
  return result;
}
