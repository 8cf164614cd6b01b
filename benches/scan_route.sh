#!/usr/bin/env bash
# The scan route's speed against Tesseract's own CLI on the same pages, the speed-up of a
# second worker, and peak memory as the batch grows.
# Usage: benches/scan_route.sh SAMPLE_DIR [COPIES]
#   SAMPLE_DIR: a set written by `formscan samples` (its scans are used as they are);
#   COPIES: how many times the set is repeated for the memory run (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir=${1:?usage: benches/scan_route.sh SAMPLE_DIR [COPIES]}
copies=${2:-20}
bin=$PWD/target/release/formscan
export OMP_THREAD_LIMIT=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The scans only (not truth.jsonl, not the Word copies).
mkdir -p "$tmp/in"
find "$set_dir" -maxdepth 1 -type f \( -name '*.pdf' -o -name '*.tif' -o -name '*.jpg' -o -name '*.png' \) -exec cp {} "$tmp/in/" \;
forms=$("$bin" process "$tmp/in" -o "$tmp/count" --jobs 1 | awk 'NR==1{print $1}')

# Tesseract's CLI on every page, whole: the pages as PNG at their own resolution. A scanned
# PDF is rasterised at its scan's resolution (the pixels formscan reads); a PDF without
# images at 200 dpi, formscan's working resolution.
mkdir -p "$tmp/pages"
i=0
for f in "$tmp"/in/*; do
  i=$((i + 1))
  case "$f" in
    *.pdf)
      ppi=$(pdfimages -list "$f" 2>/dev/null | awk 'NR > 2 { print int($13 + 0.5); exit }')
      pdftoppm -r "${ppi:-200}" -png "$f" "$tmp/pages/$i" ;;
    *.tif) tiffsplit "$f" "$tmp/pages/$i-" ;;
    *) cp "$f" "$tmp/pages/" ;;
  esac
done
npages=$(ls "$tmp/pages" | wc -l)
start=$(date +%s.%N)
for p in "$tmp"/pages/*; do tesseract "$p" - -l chi_sim >/dev/null 2>&1 || true; done
cli=$(echo "$(date +%s.%N) - $start" | bc -l)

run() { /usr/bin/time -f "%e %M" -o "$tmp/t" "$bin" process "$1" -o "$tmp/out" --jobs "$2" >/dev/null || true; cat "$tmp/t"; }
read -r one mem1 < <(run "$tmp/in" 1)
read -r two mem2 < <(run "$tmp/in" 2)
printf "forms %s, pages %s (rasterised for the CLI: %s)\n" "$forms" "$(ls "$tmp"/in | wc -l)" "$npages"
printf "tesseract CLI, whole pages, 1 process at a time: %.2f s (%.2f s/form)\n" "$cli" "$(echo "$cli / $forms" | bc -l)"
printf "formscan, 1 worker:  %.2f s (%.2f s/form) — %.2f× the CLI's time\n" "$one" "$(echo "$one / $forms" | bc -l)" "$(echo "$one / $cli" | bc -l)"
printf "formscan, 2 workers: %.2f s — speed-up %.2f×\n" "$two" "$(echo "$one / $two" | bc -l)"

mkdir -p "$tmp/many"
for c in $(seq "$copies"); do for f in "$tmp"/in/*; do b=$(basename "$f"); cp "$f" "$tmp/many/c$c-$b"; done; done
read -r _ memsmall < <(run "$tmp/in" 2)
read -r tmany memmany < <(run "$tmp/many" 2)
printf "peak memory: %.0f MB at %s forms, %.0f MB at %s forms (%.1f s)\n" "$(echo "$memsmall / 1024" | bc -l)" "$forms" "$(echo "$memmany / 1024" | bc -l)" "$((forms * copies))" "$tmany"
