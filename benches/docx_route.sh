#!/usr/bin/env bash
# The .docx route's speed and memory: `formscan process` over N copies of the sample Word
# forms, on 1 worker and on all cores, with peak resident memory. Memory is measured at two
# batch sizes to show that it does not grow with the batch.
# Usage: benches/docx_route.sh [N]   (default 1000; needs target/release/formscan)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
bin=target/release/formscan
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
forms=(samples/forms/*.docx)
make_batch() {
  rm -rf "$tmp/in"; mkdir -p "$tmp/in"
  for i in $(seq "$1"); do cp "${forms[$((i % ${#forms[@]}))]}" "$tmp/in/$(printf %05d "$i").docx"; done
}
run() { # jobs label
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$bin" process "$tmp/in" -o "$tmp/out" --jobs "$1" >/dev/null
  read -r secs kb < "$tmp/t"
  printf "%-28s %6.2f s  %8.0f forms/s  peak %6.1f MB\n" "$2" "$secs" "$(echo "$3 / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
cores=$(nproc)
make_batch "$n"
echo "formscan process, .docx route, $n forms ($(nproc) cores)"
run 1 "1 worker" "$n"
run "$cores" "$cores workers" "$n"
small=$((n / 5))
make_batch "$small"
run "$cores" "$cores workers, $small forms" "$small"
