#!/bin/sh
# Dựng lại examples/rounds/2026-xa-phuong/received/ và journal.jsonl từ examples/rounds/inbox-2026-xa-phuong/
# (thời điểm nhận hư cấu). Chạy từ thư mục gốc của kho:
#   npm run build && sh examples/rounds/nhan-2026-xa-phuong.sh
# Rebuilds the fictional 2026 commune round's received files from its inbox, one `round receive` per file.
set -e
T=${TIEUCHI:-"node dist/engine/cli/main.js"}
R=examples/rounds/2026-xa-phuong
I=examples/rounds/inbox-2026-xa-phuong
rm -rf "$R/received" "$R/journal.jsonl"
nhan() { from=$1; at=$2; shift 2; $T round receive "$R" --from "$from" --at "$at" --by "Văn thư Sở KH&CN (hư cấu)" "$@" >/dev/null 2>&1 || true; }
nhan cong-dvc 2026-12-04T08:00:00+07:00 "$I/cong-dvc.json"
nhan cong-an  2026-12-05T08:00:00+07:00 "$I/cong-an.json"
nhan so-khcn  2026-12-05T14:00:00+07:00 "$I/so-khcn-su-co.json"
m=10
for u in xa-an-binh xa-hoa-tan phuong-1 phuong-2 xa-long-phu xa-my-xuyen xa-tan-thanh xa-vinh-hai xa-lich-hoi xa-tai-van xa-ngoc-to phuong-3; do
  nhan "$u" "2026-12-10T08:${m}:00+07:00" "$I/$u.json"
  m=$((m + 3))
done
nhan xa-an-binh 2026-12-11T09:00:00+07:00 "$I/tu-danh-gia/xa-an-binh.yaml"
nhan phuong-3   2026-12-11T10:00:00+07:00 "$I/tu-danh-gia/phuong-3.yaml"
