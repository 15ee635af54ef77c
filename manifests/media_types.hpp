// Every media type Sealift reads or writes, in one place: OCI and Docker
// manifests, configs and layers, Helm charts, cosign signatures, SBOMs, and
// Sealift's own documents. Code names a media type through these constants,
// never through a string literal of its own.
#pragma once

namespace sealift::manifests::media_type {

// OCI image spec.
inline constexpr const char* oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* oci_index = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* oci_config = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* oci_layer_tar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* oci_layer_tar_gzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* oci_layer_tar_zstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* oci_nondistributable_tar = "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr const char* oci_nondistributable_tar_gzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr const char* oci_nondistributable_tar_zstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr const char* oci_empty = "application/vnd.oci.empty.v1+json";
inline constexpr const char* oci_layout_header = "application/vnd.oci.layout.header.v1+json";  // the oci-layout file

// Docker image manifest v2, schema 2.
inline constexpr const char* docker_manifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* docker_manifest_list = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* docker_config = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* docker_layer_tar_gzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* docker_foreign_layer_tar_gzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

// Helm charts in OCI registries.
inline constexpr const char* helm_config = "application/vnd.cncf.helm.config.v1+json";
inline constexpr const char* helm_chart = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
inline constexpr const char* helm_provenance = "application/vnd.cncf.helm.chart.provenance.v1.prov";

// cosign's key-based signatures: the layer holding the signed payload.
inline constexpr const char* cosign_simple_signing = "application/vnd.dev.cosign.simplesigning.v1+json";

// SBOMs.
inline constexpr const char* cyclonedx_json = "application/vnd.cyclonedx+json";
inline constexpr const char* spdx_json = "application/spdx+json";

// Sealift's own: trust root metadata in a bundle, release records in a registry.
inline constexpr const char* sealift_trust_root = "application/vnd.sealift.trust-root.v1+json";
inline constexpr const char* sealift_release = "application/vnd.sealift.release.v1+json";

// Generic types: bundle entries (release notes, SHA256SUMS) and registry API bodies.
inline constexpr const char* json = "application/json";
inline constexpr const char* octet_stream = "application/octet-stream";
inline constexpr const char* text_plain = "text/plain";
inline constexpr const char* text_markdown = "text/markdown";

}  // namespace sealift::manifests::media_type
