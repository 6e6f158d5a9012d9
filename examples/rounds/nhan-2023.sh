#!/bin/sh
# Dựng lại examples/rounds/2023/received/ và journal.jsonl từ các tệp gửi đến (examples/rounds/inbox-2023/),
# mỗi tệp nhận bằng `tieuchi round receive … --at` với thời điểm nhận hư cấu. Chạy từ thư mục gốc của kho:
#   npm run build && sh examples/rounds/nhan-2023.sh
# Rebuilds the fictional 2023 round's received files from its inbox, one `round receive` per file.
set -e
T=${TIEUCHI:-"node dist/engine/cli/main.js"}
R=examples/rounds/2023
I=examples/rounds/inbox-2023
rm -rf "$R/received" "$R/journal.jsonl"
nhan() { from=$1; at=$2; shift 2; $T round receive "$R" --from "$from" --at "$at" --by "Văn thư Sở TT&TT (hư cấu)" "$@" >/dev/null 2>&1 || true; }
nhan cong-dvc      2023-12-05T08:00:00+07:00 "$I/cong-dvc-ty-le.csv"
nhan xa-thanh-phu  2023-12-06T10:15:00+07:00 "$I/xa-thanh-phu-hong.json"
nhan so-noi-vu     2023-12-07T09:00:00+07:00 "$I/so-noi-vu.json"
nhan so-tai-chinh  2023-12-07T14:30:00+07:00 "$I/so-tai-chinh.json"
nhan so-y-te       2023-12-07T16:00:00+07:00 "$I/so-y-te.json"
nhan ban-qlda      2023-12-08T08:30:00+07:00 "$I/ban-qlda.json"
nhan tp-soc-trang  2023-12-08T09:45:00+07:00 "$I/tp-soc-trang.json"
nhan huyen-my-tu   2023-12-08T15:10:00+07:00 "$I/huyen-my-tu.json"
nhan tx-vinh-chau  2023-12-09T08:20:00+07:00 "$I/tx-vinh-chau.json"
nhan huyen-tran-de 2023-12-09T10:00:00+07:00 "$I/huyen-tran-de.json"
nhan cong-an-tinh  2023-12-10T07:30:00+07:00 "$I/cong-an-tinh-vneid.json"
nhan xa-dai-tam    2023-12-11T08:00:00+07:00 "$I/xa-dai-tam.csv"
nhan phuong-1      2023-12-11T09:00:00+07:00 "$I/phuong-1.csv"
nhan tt-my-xuyen   2023-12-11T10:00:00+07:00 "$I/tt-my-xuyen.csv"
nhan xa-lich-hoi-thuong 2023-12-11T11:00:00+07:00 "$I/xa-lich-hoi-thuong.csv"
nhan phuong-1      2023-12-12T08:00:00+07:00 "$I/phuong-1-gui-nham.json"
nhan xa-thanh-phu  2023-12-12T09:30:00+07:00 "$I/xa-thanh-phu.csv"
nhan so-y-te       2023-12-13T10:00:00+07:00 "$I/so-y-te-bo-sung.json"
nhan so-tttt       2023-12-14T15:00:00+07:00 "$I/so-tttt-chu-ky-so.json"
for f in "$I"/tu-danh-gia/*.yaml; do
  [ -e "$f" ] || continue
  u=$(basename "$f" .yaml)
  nhan "$u" 2023-12-14T16:00:00+07:00 "$f"
done
nhan tx-vinh-chau  2023-12-18T09:00:00+07:00 "$I/tx-vinh-chau-tre-han.json"
