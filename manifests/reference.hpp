// Image references as users and tools write them ("nginx",
// "registry.example.com:5000/platform/api:1.0.0", "repo@sha256:..."), parsed
// by the distribution reference grammar and normalised the way Docker does:
// no registry means docker.io, a one-component Docker Hub path gets "library/",
// and no tag and no digest means ":latest".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/digest.hpp"

namespace sealift::manifests {

struct ImageReference {
    std::string registry;    // "docker.io", "registry.example.com:5000", "[::1]:5000"
    std::string repository;  // "library/nginx", "platform/api"
    std::string tag;         // empty only when a digest is given without a tag
    std::optional<Digest> digest;

    // Fails with "<what>: invalid image reference '<text>': <which part and why>".
    static ImageReference parse(std::string_view text, const std::string& what);

    std::string str() const;   // registry/repository[:tag][@digest]
    std::string name() const;  // registry/repository

    bool operator==(const ImageReference&) const = default;
};

// Whether `first`, the first '/'-separated component of a name, is a registry
// host rather than a repository path component. Distribution's splitDockerDomain
// rule: it holds '.' or ':', is "localhost", or has upper case letters (which no
// repository component may); a '[' counts too, so a broken IPv6 address is
// reported as a host. It says nothing of validity: see domain_problem.
// Image references, the stored keys of the embedded mirror ("HOST/path" beside
// "charts/x") and the node configurations all split names with this one rule.
bool looks_like_registry_host(std::string_view first);

// Why `domain`, a registry host as references name it (host[:port], [IPv6][:port]),
// is not valid, or "" when it is.
std::string domain_problem(std::string_view domain);

// A repository path as registries accept it in /v2/<name>/...: lowercase
// components "[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*" joined by "/", at most 255 characters.
bool valid_repository_name(std::string_view name);

// A tag: "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}".
bool valid_tag(std::string_view tag);

}  // namespace sealift::manifests
