#!/usr/bin/env bash
# Sealift end to end on a small release: keys, trust root, release description, build, verify,
# inspect, a tampered copy refused, then the same bundle read with stock tools only.
# Everything is written under demo-out/ (recreated on each run). The corpus comes from the project's
# own generator, scripts/make-corpus.py: the demo needs nothing outside this repository.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

out=$ROOT/demo-out
rm -rf "$out" && mkdir -p "$out" && cd "$out"

n=0
step() { n=$((n + 1)); printf '\n==> %d. %s\n' "$n" "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# A command that must be refused with a given exit status.
run_refused() {
  local want=$1; shift
  printf '$ %s   # expected to be refused (exit %s)\n' "$*" "$want"
  local got=0
  "$@" || got=$?
  [ "$got" = "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

step "Make a small release corpus (OCI images, Helm charts, SBOMs, notes)"
run python3 "$CORPUS_SCRIPT" corpus --scale small

step "Generate a root key (kept offline) and a release signing key"
run sealift keygen --out keys/root
run sealift keygen --out keys/release
ls -l keys

step "Create the trust root the air-gapped site pins (TUF root metadata)"
run sealift trust init --root-key keys/root.key --release-key keys/release.pub --expires 365d --out trust.json
jq . trust.json

step "Describe the release"
"$ROOT"/scripts/write-release-yaml.sh corpus release.yaml platform 1.0.0 stable
cat release.yaml

step "Build the signed bundle"
printf '$ %s\n' "sealift build -f release.yaml --key keys/release.key -o dist"
bundle=$(sealift build -f release.yaml --key keys/release.key -o dist | tail -n 1)
[ -f "$bundle" ] || { echo "demo: sealift build did not print a bundle path (got '$bundle')" >&2; exit 1; }
ls -l "$bundle"

step "Verify it offline against the pinned trust root"
run sealift verify "$bundle" --trust trust.json

step "Inspect it"
run sealift inspect "$bundle"

step "A tampered copy is refused"
cp "$bundle" tampered.bundle
middle=$(( $(stat -c %s tampered.bundle) / 2 ))
printf '\xff' | dd of=tampered.bundle bs=1 seek="$middle" conv=notrunc status=none
echo "(one byte at offset $middle overwritten with 0xff)"
run_refused 1 sealift verify tampered.bundle --trust trust.json

step "Stock tools read the same bundle: list it with tar"
run tar --zstd -tvf "$bundle" > listing.txt
head -n 20 listing.txt
echo "... ($(wc -l < listing.txt) entries in all)"

step "Extract it and check every file with sha256sum"
extracted=extracted
mkdir "$extracted"
run tar --zstd -xf "$bundle" -C "$extracted"
(cd "$extracted" && run sha256sum -c --quiet SHA256SUMS && echo "SHA256SUMS: all $(wc -l < SHA256SUMS) files OK")

step "Check the manifest signature with openssl (Ed25519 over the exact manifest bytes)"
jq -er 'if type == "array" then . else .signatures end | .[0].sig' "$extracted/sealift/signatures.json" | xxd -r -p > manifest.sig
run openssl pkeyutl -verify -pubin -inkey keys/release.pub -rawin \
  -in "$extracted/sealift/manifest.json" -sigfile manifest.sig

step "Read an image from the bundle's OCI layout with skopeo"
ref=$(jq -er '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$extracted/images/index.json")
run skopeo inspect "oci:$extracted/images:$ref"

# The site side, with Sealift's embedded mirror: a store folder served as an OCI registry.
step "Create the site's mirror store (every other command refuses a folder that is not one)"
run sealift mirror init --store store

step "Import the bundle into the site's mirror store: verified while it streams, committed all at once"
run sealift mirror import "$bundle" --trust trust.json --store store

step "The tampered copy changes nothing in the store"
run_refused 1 sealift mirror import tampered.bundle --trust trust.json --store store

step "The releases the mirror holds, per channel"
run sealift mirror releases --store store

step "Every import left a receipt signed with the store's site key; the vendor checks it with site.pub"
run sealift mirror site-key --store store -o site.pub
receipt=$(ls store/receipts/*-imported.receipt.json | head -n 1)
run sealift receipt verify "$receipt" --site-key site.pub
run sealift mirror inventory --store store -o site.inventory

step "Before an upgrade: is everything the release needs present and intact?"
run sealift mirror preflight "$bundle" --trust trust.json --store store

step "Serve the store on 127.0.0.1 (a containerd / CRI-O mirror for the cluster's nodes)"
printf '$ %s\n' "sealift mirror serve --store store --listen 127.0.0.1:0 &"
"$SEALIFT" mirror serve --store store --listen 127.0.0.1:0 > serve.out 2> serve.log &  # the binary itself, so $! is its pid
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s serve.out ] && break; sleep 0.05; done
mirror=$(head -n 1 serve.out)
[ -n "$mirror" ] || { echo "demo: the mirror did not start, see $out/serve.log" >&2; exit 1; }
echo "mirror on $mirror"

step "Pull an image back by its original name and compare its digest with the signed manifest"
want=$(sealift inspect --json "$bundle" | jq -er --arg ref "$ref" '.images[] | select(.ref == $ref) | .digest')
upstream=${ref%%/*}
run skopeo copy -q --src-tls-verify=false "docker://$mirror/${ref#*/}" "oci:pulled:image"
got=$(skopeo inspect "oci:pulled:image" | jq -er .Digest)
echo "signed manifest: $want"
echo "pulled back:     $got   (from $mirror, the mirror of $upstream)"
[ "$want" = "$got" ] || { echo "demo: the pulled image's digest differs from the signed one" >&2; exit 1; }

step "Stop the mirror (SIGTERM: it finishes the requests in flight)"
kill -TERM "$serve_pid" && wait "$serve_pid"
trap - EXIT

# Sites with a registry of their own (Harbor, distribution, zot) import over the distribution API.
step "Or import into an existing registry (Debian's docker-registry on 127.0.0.1 plays it)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ROOT"/scripts/registry.sh start "$out/registry" "$port"
trap '"$ROOT"/scripts/registry.sh stop "$out/registry"' EXIT
run sealift mirror import "$bundle" --trust trust.json --to "127.0.0.1:$port/site" --plain-http \
  --site-key store/site/site.key --receipt registry.receipt.json
run sealift receipt verify registry.receipt.json --site-key site.pub
run sealift mirror preflight "$bundle" --trust trust.json --registry "127.0.0.1:$port/site" --plain-http

printf '\nDemo complete: everything is under %s\n' "$out"
