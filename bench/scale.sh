#!/usr/bin/env bash
# Growth of Sealift's metadata work with the number of images in a release (issue 15).
# For each N in BENCH_SCALE_SIZES (default "1000 3000 10000"), scripts/make-corpus.py --synthetic N
# makes a release of N small images sharing one base layer (real gzip layers, an OCI layout, an SBOM
# per image) and its 1.0.1 hotfix (one image's top layer changed); then, under /usr/bin/time
# (seconds, peak RSS), BENCH_SCALE_RUNS runs each (default 1, the fastest counts) of:
#   build         sealift build of the release
#   verify        sealift verify --trust of its bundle
#   inspect       sealift inspect of the bundle
#   sbom          sealift sbom --format cyclonedx of the bundle
#   diff          sealift diff of the release's bundle against its hotfix's
#   import-store  sealift mirror import --store into an empty store
# The growth table (report.py) has, per command, seconds and peak RSS MiB at each N, and checks:
#   linear: time at the largest N within 3x of (largest N / smallest N) x the time at the smallest
#           (10k within 3 x 10 x 1k);
#   memory: peak RSS of build and verify under 64 MiB + 2 KiB per image, at every N.
# A row that misses a target is FAIL. Corpora are cached in bench/out/scale-corpora (remade when
# the generator changes); everything else is made anew.
# Run alone (prints its own table) or from bench/run.sh (BENCH_SCALE_TEST=0 skips it there).
# BENCH_OUT names the output folder (default bench/out).
# Exit status: 0 when every measurement ran (FAIL rows included), 1 when one could not be made.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
SYNTH_SCRIPT=$ROOT/scripts/make-corpus.py  # --synthetic is the project's own generator's option

SIZES=${BENCH_SCALE_SIZES:-1000 3000 10000}
SCALE_RUNS=${BENCH_SCALE_RUNS:-1}
out=${BENCH_OUT:-$ROOT/bench/out}  # scale.tsv goes there, the work and logs to its scale/
corpora=$ROOT/bench/out/scale-corpora
dir=$out/scale
mkdir -p "$dir" "$corpora" && cd "$dir"
rm -rf work logs && mkdir -p work/keys logs
: > "$out"/scale.tsv
scale_failures=0

# scale_measure N LABEL PREPARE COMMAND: appends "LABEL N seconds rss_kib" (or "LABEL N error reason")
# to scale.tsv; PREPARE runs untimed before each run.
scale_measure() {
  local n=$1 label=$2 prepare=$3 cmd=$4 log=logs/$2-$1.log timing=logs/$2-$1.time best="" rss="" i s k
  echo "bench scale: $label at $n images ($SCALE_RUNS run(s))"
  for ((i = 1; i <= SCALE_RUNS; i++)); do
    echo "### run $i: $cmd" >> "$log"
    if ! bash -o pipefail -c "$prepare" >> "$log" 2>&1; then
      printf '%s\t%s\terror\tsetup failed, see %s/%s\n' "$label" "$n" "$dir" "$log" >> "$out"/scale.tsv
      scale_failures=$((scale_failures + 1)); return 0
    fi
    if ! /usr/bin/time -f '%e %M' -o "$timing" bash -o pipefail -c "$cmd" >> "$log" 2>&1; then
      printf '%s\t%s\terror\t%s, see %s/%s\n' "$label" "$n" "$(head -n 1 "$timing")" "$dir" "$log" >> "$out"/scale.tsv
      scale_failures=$((scale_failures + 1)); return 0
    fi
    read -r s k < "$timing"
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s rss=$k; fi
  done
  printf '%s\t%s\t%s\t%s\n' "$label" "$n" "$best" "$rss" >> "$out"/scale.tsv
}

"$SEALIFT" keygen --out work/keys/root > logs/keys.log 2>&1
"$SEALIFT" keygen --out work/keys/release >> logs/keys.log 2>&1
"$SEALIFT" trust init --root-key work/keys/root.key --release-key work/keys/release.pub --out work/trust.json >> logs/keys.log 2>&1

generator=$(sha256sum < "$SYNTH_SCRIPT")
for n in $SIZES; do
  c=$corpora/$n
  if [ "$(cat "$c".stamp 2>/dev/null)" != "$generator" ] || [ ! -d "$c"/hotfix ]; then
    echo "bench scale: making the release of $n images and its hotfix (once; cached in $corpora)"
    rm -rf "$c" "$c".stamp && mkdir -p "$c"
    python3 "$SYNTH_SCRIPT" "$c"/release --synthetic "$n" --version 1.0.0 > /dev/null
    python3 "$SYNTH_SCRIPT" "$c"/hotfix --synthetic "$n" --version 1.0.1 --hotfix-of "$c"/release > /dev/null
    echo "$generator" > "$c".stamp
  fi
  w=work/$n
  mkdir -p "$w"
  "$ROOT"/scripts/write-release-yaml.sh "$c"/release "$w"/release.yaml synth 1.0.0 stable
  "$ROOT"/scripts/write-release-yaml.sh "$c"/hotfix "$w"/hotfix.yaml synth 1.0.1 hotfix
  key=work/keys/release.key
  bundle=$w/dist/synth-1.0.0-stable.bundle
  hotfix=$w/hotfix-dist/synth-1.0.1-hotfix.bundle

  scale_measure "$n" build "rm -rf $w/dist" "'$SEALIFT' build -q -f $w/release.yaml --key $key -o $w/dist"
  if [ ! -f "$bundle" ]; then
    for label in verify inspect sbom diff import-store; do
      printf '%s\t%s\terror\tno bundle (the build failed)\n' "$label" "$n" >> "$out"/scale.tsv
      scale_failures=$((scale_failures + 1))
    done
    continue
  fi
  scale_measure "$n" verify ":" "'$SEALIFT' verify -q '$bundle' --trust work/trust.json"
  scale_measure "$n" inspect ":" "'$SEALIFT' inspect '$bundle' > /dev/null"
  scale_measure "$n" sbom "rm -f $w/sbom.cdx.json" "'$SEALIFT' sbom '$bundle' --format cyclonedx -o $w/sbom.cdx.json"
  if "$SEALIFT" build -q -f "$w"/hotfix.yaml --key "$key" -o "$w"/hotfix-dist > logs/hotfix-build-"$n".log 2>&1; then
    scale_measure "$n" diff ":" "'$SEALIFT' diff '$bundle' '$hotfix' > /dev/null"
  else
    printf 'diff\t%s\terror\tthe hotfix build failed, see %s/logs/hotfix-build-%s.log\n' "$n" "$dir" "$n" >> "$out"/scale.tsv
    scale_failures=$((scale_failures + 1))
  fi
  scale_measure "$n" import-store "rm -rf $w/store" \
    "'$SEALIFT' mirror import -q '$bundle' --trust work/trust.json --store $w/store"
  rm -rf "$w"/store "$w"/hotfix-dist "$w"/sbom.cdx.json
done

# Alone, print the table; run.sh sets BENCH_SCALE_REPORT=0 and report.py prints it with the others.
[ "${BENCH_SCALE_REPORT:-1}" = 1 ] && python3 "$ROOT"/bench/report.py "$out" --scale-only
if [ "$scale_failures" -gt 0 ]; then
  echo "bench scale: $scale_failures measurement(s) could not be made (see the error rows)" >&2
  exit 1
fi
