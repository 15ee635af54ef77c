#!/usr/bin/env bash
# Writes a Sealift release description for a corpus made by make-corpus.py:
#   write-release-yaml.sh CORPUS_DIR OUT.yaml [NAME] [VERSION] [CHANNEL]
# Paths in the YAML are relative to the YAML's folder, as `sealift build` reads them.
# Each SBOM names the image it describes from its own metadata.component.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 CORPUS_DIR OUT.yaml [NAME] [VERSION] [CHANNEL]" >&2; exit 2; }
corpus=$1 out=$2 name=${3:-platform} version=${4:-1.0.0} channel=${5:-stable}
rel=$(realpath --relative-to="$(dirname "$out")" "$corpus")

{
  echo "apiVersion: sealift.dev/v1"
  echo "kind: Release"
  echo "metadata: {name: $name, version: $version, channel: $channel}"
  echo "images:"
  echo "  - layout: $rel/images"
  echo "charts:"
  for chart in "$corpus"/charts/*.tgz; do
    echo "  - path: $rel/charts/$(basename "$chart")"
  done
  echo "sboms:"
  # One jq for every SBOM (a release of thousands of images would otherwise start thousands).
  shopt -s nullglob
  sboms=("$corpus"/sboms/*.cdx.json)
  if [ ${#sboms[@]} -gt 0 ]; then
    jq -er --arg rel "$rel/sboms/" \
      '"  - path: \($rel)\(input_filename | sub(".*/"; ""))\n    for: \(.metadata.component | "\(.name):\(.version)")"' \
      "${sboms[@]}"
  fi
  echo "releaseNotes: $rel/RELEASE_NOTES.md"
} > "$out"
