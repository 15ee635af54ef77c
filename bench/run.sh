#!/usr/bin/env bash
# Measures Sealift against the pipeline a release engineer scripts today, on the medium corpus.
#   build:  sealift build    vs  find|sort|xargs sha256sum > SHA256SUMS; openssl pkeyutl -sign -rawin
#                                (Ed25519); tar -cf - corpus | zstd -T0 -3
#   verify: sealift verify   vs  zstd -d | tar -x; openssl pkeyutl -verify; sha256sum -c
# plus the zstd level trade-off on the bundle's tar, and (bench/scale.sh, BENCH_SCALE_TEST=0 skips it)
# the growth of build, verify, inspect, sbom, diff and a store import from 1,000 to 10,000 images.
# Each command runs BENCH_RUNS times (default 3) under /usr/bin/time -f '%e %M'; the fastest run
# counts. Nothing is dropped from the page cache: every run reads warm files, the baseline as much
# as Sealift.
# To add a comparison: `measure` each side, then `compare` them (see the bottom of this file).
# Exit status: 0 when every measurement ran (FAIL rows included), 1 when one could not be made.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

RUNS=${BENCH_RUNS:-3}
SCALE=${BENCH_SCALE:-medium}
# Earlier results were measured on ../shared/corpus/make-corpus.py, which packs this machine's own
# files: it stays the benchmark corpus where it exists (and SEALIFT_CORPUS_SCRIPT is not set), the
# project's own scripts/make-corpus.py is used otherwise.
shared_corpus_script=$ROOT/../shared/corpus/make-corpus.py
if [ -z "${SEALIFT_CORPUS_SCRIPT:-}" ] && [ -f "$shared_corpus_script" ]; then
  CORPUS_SCRIPT=$(realpath "$shared_corpus_script")
fi
echo "bench: the $SCALE corpus comes from $CORPUS_SCRIPT"
ZSTD_LEVELS=${BENCH_ZSTD_LEVELS:---fast=5 --fast=1 -1 -3 -6}
out=$ROOT/bench/out      # the corpus is cached here across runs
work=$out/work           # everything else is made anew on each run
mkdir -p "$out" && cd "$out"
rm -rf "$work" logs results.tsv rows.tsv zstd.tsv scale.tsv
mkdir -p "$work"/keys "$work"/diy logs
: > results.tsv; : > rows.tsv

# --- the corpus, rebuilt only when the generator or the scale changed -----------------------
stamp="$SCALE with-hotfix $(sha256sum < "$CORPUS_SCRIPT")"  # "with-hotfix": older caches made the hotfix apart
if [ "$(cat corpus.stamp 2>/dev/null)" != "$stamp" ] || [ ! -d hotfix ]; then
  echo "bench: making the $SCALE corpus and its 1.0.1 hotfix (once; cached in bench/out)"
  rm -rf corpus hotfix corpus.stamp hotfix.stamp
  python3 "$CORPUS_SCRIPT" corpus --scale "$SCALE"
  # Right after the corpus: ../shared's generator packs the machine's own files, which change
  # over time, so a hotfix made later would differ from its base in more than its one new layer.
  python3 "$CORPUS_SCRIPT" hotfix --scale "$SCALE" --version 1.0.1 --hotfix-of corpus
  echo "$stamp" > corpus.stamp
fi
"$ROOT"/scripts/write-release-yaml.sh corpus release.yaml platform 1.0.0 stable

# --- measuring ----------------------------------------------------------------------------
failures=0
# measure LABEL PREPARE COMMAND: PREPARE runs untimed before each run (in bench/out, like COMMAND).
# Appends "LABEL seconds rss_kib" of the fastest run to results.tsv, or "LABEL error reason".
measure() {
  local label=$1 prepare=$2 cmd=$3 log=logs/$1.log timing=logs/$1.time best="" rss="" i s k
  echo "bench: $label ($RUNS runs): $cmd"
  for ((i = 1; i <= RUNS; i++)); do
    echo "### run $i: $cmd" >> "$log"
    if ! bash -o pipefail -c "$prepare" >> "$log" 2>&1; then
      printf '%s\terror\tsetup failed, see bench/out/%s\n' "$label" "$log" >> results.tsv
      failures=$((failures + 1)); return 0
    fi
    if ! /usr/bin/time -f '%e %M' -o "$timing" bash -o pipefail -c "$cmd" >> "$log" 2>&1; then
      printf '%s\terror\t%s, see bench/out/%s\n' "$label" "$(head -n 1 "$timing")" "$log" >> results.tsv
      failures=$((failures + 1)); return 0
    fi
    read -r s k < "$timing"
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s rss=$k; fi
  done
  printf '%s\t%s\t%s\n' "$label" "$best" "$rss" >> results.tsv
}
not_measured() {
  printf '%s\terror\t%s\n' "$1" "$2" >> results.tsv
  failures=$((failures + 1))
}
# compare STEP SEALIFT_LABEL BASELINE_LABEL MIN_RATIO [MAX_SEALIFT_RSS_MIB]: one row of the table.
compare() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >> rows.tsv; }

# --- keys (untimed) -------------------------------------------------------------------------
openssl genpkey -algorithm ed25519 -out work/keys/diy.key
openssl pkey -in work/keys/diy.key -pubout -out work/keys/diy.pub
sealift_keys="'$SEALIFT' keygen --out work/keys/root && '$SEALIFT' keygen --out work/keys/release &&
  '$SEALIFT' trust init --root-key work/keys/root.key --release-key work/keys/release.pub --out work/trust.json"
bash -c "$sealift_keys" > logs/sealift-keys.log 2>&1 || echo "bench: sealift keygen/trust init failed (bench/out/logs/sealift-keys.log)"

# --- build --------------------------------------------------------------------------------
if [ -f work/trust.json ]; then
  measure sealift-build "rm -rf work/dist" \
    "'$SEALIFT' build -f release.yaml --key work/keys/release.key -o work/dist --quiet"
else
  not_measured sealift-build "keygen or trust init failed, see bench/out/logs/sealift-keys.log"
fi
measure diy-build "rm -f work/diy/*.zst" \
  "find corpus -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > work/diy/SHA256SUMS &&
   openssl pkeyutl -sign -rawin -inkey work/keys/diy.key -in work/diy/SHA256SUMS -out work/diy/SHA256SUMS.sig &&
   tar -cf - corpus -C work/diy SHA256SUMS SHA256SUMS.sig | zstd -q -T0 -3 -o work/diy/out.tar.zst"
compare build sealift-build diy-build 3

# --- verify -------------------------------------------------------------------------------
bundles=(work/dist/*.bundle)
bundle=${bundles[0]}
[ -f "$bundle" ] || bundle=""
if [ -n "$bundle" ]; then
  measure sealift-verify ":" "'$SEALIFT' verify '$bundle' --trust work/trust.json"
else
  not_measured sealift-verify "no bundle to verify (sealift build did not make one)"
fi
measure diy-verify "rm -rf work/diy/unpacked && mkdir work/diy/unpacked" \
  "zstd -q -d -c work/diy/out.tar.zst | tar -x -C work/diy/unpacked &&
   openssl pkeyutl -verify -pubin -inkey work/keys/diy.pub -rawin -in work/diy/unpacked/SHA256SUMS -sigfile work/diy/unpacked/SHA256SUMS.sig &&
   cd work/diy/unpacked && sha256sum -c --quiet SHA256SUMS"
compare verify sealift-verify diy-verify 4 64
rm -rf work/diy/unpacked

# --- hotfix delta bundle: its size and build time against the full hotfix bundle --------------
# make-corpus.py --hotfix-of changes one image's top layer; the delta leaves the rest to the base
# (the bundle built above). Targets: delta < 1% of the full bundle's size (report.py).
rm -f delta.tsv
if [ -n "$bundle" ]; then
  "$ROOT"/scripts/write-release-yaml.sh hotfix hotfix.yaml platform 1.0.1 hotfix
  measure sealift-build-hotfix-full "rm -rf work/hotfix-full" \
    "'$SEALIFT' build -q -f hotfix.yaml --key work/keys/release.key -o work/hotfix-full"
  measure sealift-build-hotfix-delta "rm -rf work/hotfix-delta" \
    "'$SEALIFT' build -q -f hotfix.yaml --key work/keys/release.key -o work/hotfix-delta --base '$bundle' --trust work/trust.json"
  size_of() { stat -c %s "$1"/*.bundle 2>/dev/null || echo 0; }
  printf '%s\t%s\t%s\t%s\n' "$(size_of work/hotfix-full)" "$(size_of work/hotfix-delta)" \
    sealift-build-hotfix-full sealift-build-hotfix-delta > delta.tsv
fi

# --- the hotfix cut for one site, and `mirror import --dry-run` ------------------------------
# The site is a store that imported the 1.0.0 bundle; the hotfix is cut against its signed
# inventory (target: < 1% of the full hotfix bundle, like --base). The dry run of the full bundle
# into an empty store reads no layer (target: < 5% of the real import's time).
rm -f inventory.tsv dryrun.tsv
if [ -n "$bundle" ] && [ -f hotfix.yaml ]; then
  site=work/site-store
  rm -rf "$site"
  if "$SEALIFT" mirror import -q "$bundle" --trust work/trust.json --create --store "$site" > logs/site-inventory.log 2>&1 &&
     "$SEALIFT" mirror inventory --store "$site" -o work/site.inventory >> logs/site-inventory.log 2>&1; then
    measure sealift-build-hotfix-inventory "rm -rf work/hotfix-inventory" \
      "'$SEALIFT' build -q -f hotfix.yaml --key work/keys/release.key -o work/hotfix-inventory --site-inventory work/site.inventory --site-key $site/site/site.pub"
    printf '%s\t%s\t%s\t%s\n' "$(size_of work/hotfix-full)" "$(size_of work/hotfix-inventory)" \
      sealift-build-hotfix-full sealift-build-hotfix-inventory > inventory.tsv
  else
    not_measured sealift-build-hotfix-inventory "store import or mirror inventory failed, see bench/out/logs/site-inventory.log"
  fi
  measure sealift-import-store "rm -rf work/dry-store" \
    "'$SEALIFT' mirror import -q '$bundle' --trust work/trust.json --create --store work/dry-store"
  measure sealift-import-store-dry-run "rm -rf work/dry-store" \
    "'$SEALIFT' mirror import '$bundle' --trust work/trust.json --create --store work/dry-store --dry-run --json"
  printf '%s\t%s\n' sealift-import-store sealift-import-store-dry-run > dryrun.tsv
  rm -rf work/dry-store "$site"
fi

# --- a bundle past 4 GiB: sizes beyond 32 bits, memory independent of bundle size ----------
# One 4.5 GiB layer (a sparse file of zeros, typed gzip so it is stored, not compressed).
if [ -f work/trust.json ] && [ "${BENCH_LARGE:-1}" = 1 ]; then
  large=work/large
  rm -rf "$large" && mkdir -p "$large"/images/blobs/sha256
  truncate -s 4608M "$large"/layer
  layer=$(openssl dgst -sha256 -r "$large"/layer | cut -d' ' -f1)
  mv "$large"/layer "$large"/images/blobs/sha256/"$layer"
  blob() { local d; d=$(printf '%s' "$1" | sha256sum | cut -d' ' -f1); printf '%s' "$1" > "$large/images/blobs/sha256/$d"; echo "$d"; }
  config=$(blob '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
  manifest_json="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config\",\"size\":$(stat -c %s "$large/images/blobs/sha256/$config")},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$layer\",\"size\":4831838208}]}"
  manifest=$(blob "$manifest_json")
  printf '{"imageLayoutVersion":"1.0.0"}' > "$large"/images/oci-layout
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"registry.example.com/big/layer:1.0.0"}}]}' \
    "$manifest" "${#manifest_json}" > "$large"/images/index.json
  printf 'apiVersion: sealift.dev/v1\nkind: Release\nmetadata: {name: large, version: 1.0.0, channel: stable}\nimages:\n  - layout: images\n' > "$large"/release.yaml
  if "$SEALIFT" build -q -f "$large"/release.yaml --key work/keys/release.key -o "$large"/dist > logs/large-build.log 2>&1; then
    RUNS_SAVED=$RUNS; RUNS=1
    measure sealift-verify-4.5GiB ":" "'$SEALIFT' verify -q $large/dist/large-1.0.0-stable.bundle --trust work/trust.json"
    tar -C "$large" -cf - images | zstd -q -T0 -1 -o "$large"/diy.tar.zst
    (cd "$large"/images && find . -type f -print0 | xargs -0 openssl dgst -sha256 -r > ../SUMS)
    measure diy-verify-4.5GiB "rm -rf $large/unpacked && mkdir $large/unpacked" \
      "zstd -q -d -c $large/diy.tar.zst | tar -x -C $large/unpacked && cd $large/unpacked/images && sha256sum -c --quiet ../../SUMS"
    RUNS=$RUNS_SAVED
    compare "verify 4.5 GiB" sealift-verify-4.5GiB diy-verify-4.5GiB 4 64
  else
    not_measured sealift-verify-4.5GiB "build of the 4.5 GiB bundle failed, see bench/out/logs/large-build.log"
  fi
  rm -rf "$large"
fi

# --- import into docker-registry -------------------------------------------------------------
# Sealift verifies while streaming and pushes as it goes; the do-it-yourself way unpacks, checks
# sha256sum, then runs skopeo copy per image. "first" starts from an empty registry each run;
# "repeat" imports again into the registry the first import filled.
if [ -n "$bundle" ] && command -v docker-registry > /dev/null; then
  reg=$work/registry
  reg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap '"$ROOT"/scripts/registry.sh stop "$reg"' EXIT
  fresh="'$ROOT'/scripts/registry.sh start '$reg' $reg_port"
  refs=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' corpus/images/index.json)
  diy_import="rm -rf work/diy/unpacked && mkdir work/diy/unpacked && zstd -q -d -c work/diy/out.tar.zst | tar -x -C work/diy/unpacked &&
    (cd work/diy/unpacked && sha256sum -c --quiet SHA256SUMS) &&
    for ref in $(echo $refs); do skopeo copy -q --dest-tls-verify=false \"oci:work/diy/unpacked/corpus/images:\$ref\" \"docker://127.0.0.1:$reg_port/diy/\${ref#*/}\"; done"
  sealift_import="'$SEALIFT' mirror import -q '$bundle' --trust work/trust.json --no-receipt --to 127.0.0.1:$reg_port/site --plain-http"
  measure sealift-import-first "$fresh" "$sealift_import"
  measure sealift-import-repeat ":" "$sealift_import"
  measure diy-import-first "$fresh" "$diy_import"
  measure diy-import-repeat ":" "$diy_import"
  "$ROOT"/scripts/registry.sh stop "$reg"
  compare "import (first)" sealift-import-first diy-import-first 2 128
  compare "import (repeat)" sealift-import-repeat diy-import-repeat 10 128
  # Into the embedded mirror's store (measured with the dry run above) against the same pipeline.
  grep -q '^sealift-import-store\s' results.tsv && compare "import into the store (first)" sealift-import-store diy-import-first 5 128
  rm -rf work/diy/unpacked
else
  not_measured sealift-import-first "no bundle, or docker-registry is not installed"
fi

# (later: compare import / mirror rows here, each with its two `measure` calls.)

# --- the embedded registry against docker-registry and nginx (bench/serving.sh) ---------------
source "$ROOT"/bench/serving.sh
[ "${BENCH_SERVING:-1}" = 1 ] && bench_serving

# --- zstd level trade-off -------------------------------------------------------------------
# On the bundle's own tar when sealift built one, else on the baseline's tar of the same corpus.
tar_source=${bundle:-work/diy/out.tar.zst}
[ -f "$tar_source" ] || tar_source=work/diy/out.tar.zst
if [ -f "$tar_source" ]; then
  echo "bench: zstd levels on the tar inside $tar_source"
  zstd -q -d -c "$tar_source" > work/bundle.tar
  in_bytes=$(stat -c %s work/bundle.tar)
  for level in $ZSTD_LEVELS; do
    measure "zstd$level" "rm -f work/level.zst" "zstd -q -T2 $level -c work/bundle.tar > work/level.zst"
    measure "unzstd$level" "test -f work/level.zst" "zstd -q -d -c work/level.zst > /dev/null"
    printf '%s\t%s\t%s\t%s\t%s\n' "$level" "$in_bytes" "$(stat -c %s work/level.zst 2>/dev/null || echo 0)" \
      "zstd$level" "unzstd$level" >> zstd.tsv
  done
  rm -f work/bundle.tar work/level.zst
fi

# --- growth with the number of images: 1k / 3k / 10k (bench/scale.sh) -------------------------
if [ "${BENCH_SCALE_TEST:-1}" = 1 ]; then
  BENCH_OUT=$out BENCH_SCALE_REPORT=0 "$ROOT"/bench/scale.sh || failures=$((failures + 1))
fi

python3 "$ROOT"/bench/report.py "$out"
mib() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }' || echo "none"; }
echo
echo "corpus: $(du -sh --apparent-size corpus | cut -f1)B in $(find corpus -type f | wc -l) files, made by $CORPUS_SCRIPT;" \
     "sealift bundle: $(mib "${bundle:-/nonexistent}"); baseline tar.zst: $(mib work/diy/out.tar.zst)"
echo "machine: $(nproc) cores; page cache warm (nothing dropped); best of $RUNS runs; logs in bench/out/logs/"
if [ "$failures" -gt 0 ]; then
  echo "bench: $failures measurement(s) could not be made (see the error rows)" >&2
  exit 1
fi
