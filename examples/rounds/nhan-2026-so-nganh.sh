#!/bin/sh
# Dựng lại examples/rounds/2026-so-nganh/received/ và journal.jsonl từ examples/rounds/inbox-2026-so-nganh/
# (thời điểm nhận hư cấu). Chạy từ thư mục gốc của kho:
#   npm run build && sh examples/rounds/nhan-2026-so-nganh.sh
# Rebuilds the fictional 2026 departments round's received files from its inbox, one `round receive` per file.
set -e
T=${TIEUCHI:-"node dist/engine/cli/main.js"}
R=examples/rounds/2026-so-nganh
I=examples/rounds/inbox-2026-so-nganh
rm -rf "$R/received" "$R/journal.jsonl"
nhan() { from=$1; at=$2; shift 2; $T round receive "$R" --from "$from" --at "$at" --by "Văn thư Sở KH&CN (hư cấu)" "$@" >/dev/null 2>&1 || true; }
nhan cong-dvc 2026-12-04T08:00:00+07:00 "$I/cong-dvc.json"
m=10
for u in so-cong-thuong so-tai-chinh so-nong-nghiep so-khcn so-noi-vu so-tu-phap so-xay-dung so-y-te so-giao-duc van-phong-ubnd thanh-tra ban-dan-toc; do
  nhan "$u" "2026-12-10T08:${m}:00+07:00" "$I/$u.json"
  m=$((m + 3))
done
