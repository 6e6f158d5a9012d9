/** A minimal valid criteria file, to plant one mistake in at a time. */
export const MINIMAL = `format_version: 1
year: 2023
decision:
  number: 1/QĐ-UBND
  date: "2023-10-05"
  issuer: Chủ tịch UBND tỉnh
  title: Tiêu chí thử
level:
  id: province
  name: Đơn vị cấp tỉnh
total_points: 10
scoring:
  clamp_to_max: true
  rounding: { decimals: 1, mode: half_up }
  total: sum_of_rounded
parameters:
  nguong:
    type: percent
    value: 95
    label: ngưỡng
criteria:
  - id: ty-le
    number: "1"
    name: Tỉ lệ
    max_points: 10
    rule: Điểm = Tỉ lệ đạt/95*điểm chuẩn
    evidence: Báo cáo
    inputs:
      ty_le: { type: percent, label: Tỉ lệ }
    formula:
      "*": [{ "/": [{ var: ty_le }, { var: nguong }] }, { var: max_points }]
    examples:
      - { inputs: { ty_le: 95 }, points: 10 }
`;
