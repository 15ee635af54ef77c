# Serving benchmark of the embedded registry (`sealift mirror serve`), sourced by bench/run.sh.
# The same content in one run from docker-registry, nginx (one static blob file, sendfile) and the
# mirror: wrk -t2 -c32 on one 2 MiB blob and on one manifest by tag, skopeo copy of every corpus image
# to a local OCI layout, the mirror's peak RSS, and errors. Rows go to serving.tsv for report.py:
#   metric, mirror req/s, baseline label, baseline req/s, unit, min ratio (mirror/baseline),
#   mirror errors, baseline errors, mirror peak RSS KiB (best of BENCH_RUNS interleaved wrk runs)
# Needs: $bundle, work/trust.json, work/keys/release.key, corpus/, $SEALIFT.
bench_serving() {
  local dir=$work/serving wrk_time=${BENCH_WRK_SECONDS:-10}
  if [ -z "$bundle" ] || ! command -v wrk > /dev/null || ! command -v nginx > /dev/null; then
    printf 'serving\terror\tno bundle, or wrk / nginx missing\n' >> results.tsv; failures=$((failures + 1)); return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"/blob-release/images/blobs/sha256 "$dir"/nginx
  echo "bench: serving (docker-registry, nginx, sealift mirror serve)"

  # One image with a 2 MiB layer, so all three serve the same 2 MiB file.
  local lay=$dir/blob-release/images layer config manifest_json manifest
  head -c 2097152 /dev/urandom > "$dir"/layer
  layer=$(sha256sum < "$dir"/layer | cut -d' ' -f1)
  mv "$dir"/layer "$lay"/blobs/sha256/"$layer"
  local config_json='{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
  config=$(printf '%s' "$config_json" | sha256sum | cut -d' ' -f1)
  printf '%s' "$config_json" > "$lay"/blobs/sha256/"$config"
  manifest_json="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config\",\"size\":${#config_json}},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$layer\",\"size\":2097152}]}"
  manifest=$(printf '%s' "$manifest_json" | sha256sum | cut -d' ' -f1)
  printf '%s' "$manifest_json" > "$lay"/blobs/sha256/"$manifest"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$lay"/oci-layout
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"registry.example.com/bench/blob:1.0.0"}}]}' \
    "$manifest" "${#manifest_json}" > "$lay"/index.json
  printf 'apiVersion: sealift.dev/v1\nkind: Release\nmetadata: {name: blob, version: 1.0.0, channel: stable}\nimages:\n  - layout: images\n' > "$dir"/blob-release/release.yaml

  # The mirror's store: the corpus release and the blob release.
  local store=$dir/store
  if ! { "$SEALIFT" build -q -f "$dir"/blob-release/release.yaml --key work/keys/release.key -o "$dir"/dist &&
         "$SEALIFT" mirror init --store "$store" &&
         "$SEALIFT" mirror import -q "$bundle" --trust work/trust.json --store "$store" &&
         "$SEALIFT" mirror import -q "$dir"/dist/blob-1.0.0-stable.bundle --trust work/trust.json --store "$store"; } \
       > logs/serving-import.log 2>&1; then
    printf 'serving\terror\tstore import failed, see bench/out/logs/serving-import.log\n' >> results.tsv; failures=$((failures + 1)); return 0
  fi

  # docker-registry with the same images under the same paths.
  local reg=$dir/registry reg_port refs ref
  reg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$ROOT"/scripts/registry.sh start "$reg" "$reg_port"
  refs=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' corpus/images/index.json)
  for ref in $refs; do
    skopeo copy -q --dest-tls-verify=false "oci:corpus/images:$ref" "docker://127.0.0.1:$reg_port/${ref#*/}" >> logs/serving-registry.log 2>&1
  done
  skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$lay:registry.example.com/bench/blob:1.0.0" \
    "docker://127.0.0.1:$reg_port/bench/blob:1.0.0" >> logs/serving-registry.log 2>&1

  # nginx serving the same blob file.
  local ng_port
  ng_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$dir"/nginx/nginx.conf <<NGINX
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx;
  uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  server { listen 127.0.0.1:$ng_port; root $lay/blobs/sha256; }
}
NGINX
  nginx -c "$dir"/nginx/nginx.conf -p "$dir"/nginx > logs/serving-nginx.log 2>&1

  # The mirror.
  "$SEALIFT" mirror serve --store "$store" --listen 127.0.0.1:0 --default-registry registry.example.com > "$dir"/serve.out 2>&1 &
  local serve_pid=$! mirror="" i
  for i in $(seq 1 100); do mirror=$(grep -m1 '^127.0.0.1:' "$dir"/serve.out || true); [ -n "$mirror" ] && break; sleep 0.05; done
  trap '"$ROOT"/scripts/registry.sh stop "'"$reg"'"; kill "'"$serve_pid"'" 2>/dev/null; kill "$(cat "'"$dir"'"/nginx/nginx.pid 2>/dev/null)" 2>/dev/null' EXIT

  # wrk: requests/s and errors (non-2xx answers and socket errors).
  serving_wrk() {  # LABEL URL [ACCEPT]
    local out=logs/serving-$1.wrk rps errors
    wrk -t2 -c32 -d"${wrk_time}s" ${3:+-H "Accept: $3"} "$2" > "$out" 2>&1
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$out")
    errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")
    printf '%s\t%s\t%s\n' "$1" "${rps:-0}" "$errors" >> "$dir"/wrk.tsv
  }
  # Interleaved, best of $RUNS each: the machine's other load shifts between runs, not within one.
  local blob_path=/v2/bench/blob/blobs/sha256:$layer oci=application/vnd.oci.image.manifest.v1+json run
  : > "$dir"/wrk.tsv
  for ((run = 1; run <= RUNS; run++)); do
    serving_wrk nginx-blob "http://127.0.0.1:$ng_port/$layer"
    serving_wrk mirror-blob "http://$mirror$blob_path"
    serving_wrk registry-blob "http://127.0.0.1:$reg_port$blob_path"
    serving_wrk registry-manifest "http://127.0.0.1:$reg_port/v2/platform/api/manifests/1.0.0" "$oci"
    serving_wrk mirror-manifest "http://$mirror/v2/platform/api/manifests/1.0.0" "$oci"
  done

  # skopeo copy of every corpus image (timed with `measure`, like the other rows).
  copies_from() { local r cmd=""; for r in $refs; do cmd+="skopeo copy -q --src-tls-verify=false docker://$1/${r#*/} oci:$dir/pulled:${r##*:}-${RANDOM} && "; done; echo "$cmd true"; }
  measure registry-skopeo-pull "rm -rf $dir/pulled" "$(copies_from 127.0.0.1:$reg_port)"
  measure mirror-skopeo-pull "rm -rf $dir/pulled" "$(copies_from "$mirror")"

  local rss_kib
  rss_kib=$(awk '/VmHWM/ { print $2 }' /proc/$serve_pid/status)
  kill -TERM "$serve_pid"; wait "$serve_pid" || true
  "$ROOT"/scripts/registry.sh stop "$reg"
  kill "$(cat "$dir"/nginx/nginx.pid)" 2>/dev/null || true
  trap - EXIT

  # serving.tsv: what report.py prints.
  awk -F'\t' -v rss="$rss_kib" '
    { if ($2 > rps[$1]) rps[$1] = $2; err[$1] += $3 }
    function row(metric, base, target) {
      printf "%s\t%s\t%s\t%s\treq/s\t%s\t%d\t%d\t%s\n", metric, rps["mirror-" base[2]],
             base[1] == "registry" ? "docker-registry" : base[1], rps[base[1] "-" base[2]], target,
             err["mirror-" base[2]], err[base[1] "-" base[2]], rss
    }
    END {
      split("nginx blob", a, " "); row("blob GET 2 MiB (wrk -t2 -c32)", a, "0.9")
      split("registry blob", b, " "); row("blob GET 2 MiB (wrk -t2 -c32)", b, "")
      split("registry manifest", m, " "); row("manifest by tag (wrk -t2 -c32)", m, "10")
    }' "$dir"/wrk.tsv > serving.tsv
  rm -rf "$dir"/pulled
  compare "skopeo pull, every corpus image" mirror-skopeo-pull registry-skopeo-pull 1.2
}
