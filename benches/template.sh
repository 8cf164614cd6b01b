#!/usr/bin/env bash
# Times the template generator: one blank form, and one pre-filled form per unit for 200 units.
# Prints forms per second. Run with `make bench` (builds the release binary first).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/formscan
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

start=$(date +%s.%N)
for _ in $(seq 20); do "$bin" template -o "$tmp/blank.docx" >/dev/null; done
end=$(date +%s.%N)
echo "blank template: $(echo "scale=1; 20 / ($end - $start)" | bc) runs/s (process start included)"

{ echo "单位名称,盟市/产业"; for i in $(seq 200); do echo "测试单位$i,包头市"; done; } > "$tmp/units.csv"
start=$(date +%s.%N)
/usr/bin/time -f "peak memory: %M KB" "$bin" template --units "$tmp/units.csv" -o "$tmp/units" >/dev/null
end=$(date +%s.%N)
echo "pre-filled per unit: $(echo "scale=1; 200 / ($end - $start)" | bc) forms/s"
