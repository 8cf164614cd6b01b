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

# Tesseract's CLI on every page, whole: the pages as PNG at their own resolution. A scanned
# PDF is rasterised at its scan's resolution (the pixels formscan reads); a PDF without
# images at 200 dpi, formscan's working resolution.
rasterise() { # FILE OUTDIR
  local f=$1 out=$2 stem
  stem=$(basename "${f%.*}")
  case "$f" in
    *.pdf)
      ppi=$(pdfimages -list "$f" 2>/dev/null | awk 'NR > 2 { print int($13 + 0.5); exit }')
      pdftoppm -r "${ppi:-200}" -png "$f" "$out/$stem" ;;
    *.tif) tiffsplit "$f" "$out/$stem-" ;;
    *) cp "$f" "$out/" ;;
  esac
}
now() { date +%s.%N; }
# This machine's speed drifts by ±15 % over minutes (shared hosts): the CLI and formscan are
# timed in turns on groups of about ten forms, so that both see the same machine. Each
# formscan run starts Tesseract afresh (0.3 s), which counts against it.
mkdir -p "$tmp/groups"
find "$tmp/in" -type f | sort | awk -v n=10 '{
  b = $0; sub(/.*\//, "", b); key = b; sub(/(-p?[0-9]+)?\.[^.]*$/, "", key)
  if (key != last) { forms++; last = key } print int((forms - 1) / n) "\t" $0 }' > "$tmp/groups.tsv"
forms=$(cut -f2 "$tmp/groups.tsv" | sed -E 's#.*/##; s/(-p?[0-9]+)?\.[^.]*$//' | sort -u | wc -l)
cli=0; one=0; npages=0
for g in $(cut -f1 "$tmp/groups.tsv" | sort -un); do
  rm -rf "$tmp/g" "$tmp/gp"; mkdir -p "$tmp/g" "$tmp/gp"
  awk -F'\t' -v g="$g" '$1 == g { print $2 }' "$tmp/groups.tsv" | while read -r f; do cp "$f" "$tmp/g/"; rasterise "$f" "$tmp/gp"; done
  npages=$((npages + $(ls "$tmp/gp" | wc -l)))
  start=$(now)
  for p in "$tmp"/gp/*; do tesseract "$p" - -l chi_sim >/dev/null 2>&1 || true; done
  cli=$(echo "$cli + $(now) - $start" | bc -l)
  start=$(now)
  "$bin" process "$tmp/g" -o "$tmp/gout" --jobs 1 >/dev/null || true
  one=$(echo "$one + $(now) - $start" | bc -l)
done

run() { /usr/bin/time -f "%e %M" -o "$tmp/t" "$bin" process "$1" -o "$tmp/out" --jobs "$2" >/dev/null || true; cat "$tmp/t"; }
# One worker and two in turns (1 2 2 1), so that a drift in the machine's speed cancels.
read -r a1 _ < <(run "$tmp/in" 1)
read -r b1 memsmall < <(run "$tmp/in" 2)
read -r b2 _ < <(run "$tmp/in" 2)
read -r a2 _ < <(run "$tmp/in" 1)
printf "forms %s in %s files, %s pages (each rasterised for the CLI)\n" "$forms" "$(ls "$tmp"/in | wc -l)" "$npages"
printf "tesseract CLI, whole pages, 1 process at a time: %.2f s (%.2f s/form)\n" "$cli" "$(echo "$cli / $forms" | bc -l)"
printf "formscan, 1 worker, in turns with the CLI:  %.2f s (%.2f s/form) — %.2f× the CLI's time\n" "$one" "$(echo "$one / $forms" | bc -l)" "$(echo "$one / $cli" | bc -l)"
printf "formscan, whole set: 1 worker %.2f s and %.2f s, 2 workers %.2f s and %.2f s — speed-up %.2f×\n" "$a1" "$a2" "$b1" "$b2" "$(echo "($a1 + $a2) / ($b1 + $b2)" | bc -l)"

mkdir -p "$tmp/many"
for c in $(seq "$copies"); do for f in "$tmp"/in/*; do b=$(basename "$f"); cp "$f" "$tmp/many/c$c-$b"; done; done
read -r tmany memmany < <(run "$tmp/many" 2)
printf "peak memory: %.0f MB at %s forms, %.0f MB at %s forms (%.1f s)\n" "$(echo "$memsmall / 1024" | bc -l)" "$forms" "$(echo "$memmany / 1024" | bc -l)" "$((forms * copies))" "$tmany"
