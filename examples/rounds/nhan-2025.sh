#!/bin/sh
# Dựng lại examples/rounds/2025/received/ và journal.jsonl từ examples/rounds/inbox-2025/ (thời điểm nhận hư cấu).
#   npm run build && sh examples/rounds/nhan-2025.sh
set -e
T=${TIEUCHI:-"node dist/engine/cli/main.js"}
R=examples/rounds/2025
I=examples/rounds/inbox-2025
rm -rf "$R/received" "$R/journal.jsonl"
nhan() { from=$1; at=$2; shift 2; $T round receive "$R" --from "$from" --at "$at" --by "Văn thư Sở KH&CN (hư cấu)" "$@" >/dev/null 2>&1 || true; }
nhan cong-dvc   2025-12-05T08:00:00+07:00 "$I/cong-dvc.json"
nhan cong-an-tp 2025-12-06T08:00:00+07:00 "$I/cong-an-tp.json"
h=8
for u in so-noi-vu so-tai-chinh so-y-te ban-qlda phuong-phu-loi xa-my-tu xa-my-xuyen xa-tai-van; do
  nhan "$u" "2025-12-10T0${h}:00:00+07:00" "$I/$u.json"
  h=$((h + 1)); [ $h -gt 9 ] && h=1
done
