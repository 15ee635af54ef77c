#include "mirror/import/registry_push.hpp"

#include <future>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/worker_pool.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/chart_archive.hpp"

namespace sealift::mirror {

namespace mt = manifests::media_type;

// Two placements may need one blob in one repository (the empty config of two
// SBOM referrers, a layer two tags of a repository share). The first makes it
// present and the others wait for it: distribution 2.8 can refuse a manifest
// naming a blob while a second identical upload of it commits.
void RegistryPush::once_per_blob(const std::string& repo, const Digest& digest,
                                 const std::function<void()>& make_present) {
    std::promise<void> mine;
    std::shared_future<void> done;
    bool first = false;
    {
        std::lock_guard lock(mu_);
        auto [it, inserted] = blobs_placed_.try_emplace({repo, digest});
        if (inserted) it->second = mine.get_future().share(), first = true;
        done = it->second;
    }
    if (!first) return done.get();  // rethrows the first one's failure
    try {
        make_present();
    } catch (const Error&) {
        mine.set_exception(std::current_exception());
        throw;
    }
    mine.set_value();
}

void RegistryPush::ensure_blob(const std::string& repo, const Digest& digest, std::uint64_t size,
                               const std::string& home) {
    if (home == repo) return;  // found there, or uploaded there, while the bundle streamed
    once_per_blob(repo, digest, [&] {
        if (client_.blob_exists(repo, digest)) return;
        if (!home.empty() && client_.mount_blob(repo, digest, home)) return;
        if (home.empty()) fail(Errc::internal, host_ + "/" + repo + ": blob " + digest.str() + " was never uploaded");
        // The registry would not mount: copy it across, registry to registry. The
        // download checks the digest before it ends; an upload that fails stops it.
        auto download = client_.open_blob(home, digest, size);
        client_.upload_blob(repo, digest, size, *download, registry::BlobCheck::source_verified);
    });
}

void RegistryPush::ensure_blob_bytes(const std::string& repo, const std::string& bytes, const Digest& d) {
    once_per_blob(repo, d, [&] { client_.ensure_blob(repo, d, bytes); });
}

void RegistryPush::ensure_manifest(const std::string& repo, const std::string& media_type, const std::string& bytes,
                                   const Digest& digest) {
    if (client_.head_manifest(repo, digest.str())) return;
    client_.put_manifest(repo, digest.str(), media_type, bytes);
    std::lock_guard lock(mu_);
    ++manifests_pushed_;
}

void RegistryPush::check_external_blobs() {
    const auto& m = plan_.manifest();
    if (m.external_blobs.empty()) return;
    std::set<std::string> repos;
    for (const auto& img : plan_.images()) repos.insert(img.repository);
    for (const auto& c : plan_.charts()) repos.insert(c.repository);
    std::map<Digest, std::set<std::string>> missing;  // digest -> images and charts lacking it
    // The registry's copy is what the pushed manifests will point at: its size must be the one they declare.
    auto sized = [&](const std::string& repo, const Digest& blob) {
        auto size = client_.blob_size(repo, blob);
        if (size && *size != m.find_external(blob)->size)
            fail(Errc::integrity, m.delta_description() + ": blob " + blob.str() + ", which it leaves out, is " +
                                      std::to_string(*size) + " bytes in " + host_ + "/" + repo +
                                      ", but the bundle declares " + std::to_string(m.find_external(blob)->size) +
                                      " (nothing was tagged)");
        return size.has_value();
    };
    // Present in `repo`, or mounted there from another repository of the release.
    auto present = [&](const std::string& repo, const Digest& blob) {
        if (sized(repo, blob)) return true;
        for (const auto& from : repos)
            if (from != repo && sized(from, blob) && client_.mount_blob(repo, blob, from)) return true;
        return false;
    };
    for (const auto& img : plan_.images())
        for (const auto& blob : img.blobs)
            if (m.find_external(blob) && !present(img.repository, blob))
                missing[blob].insert(img.source_ref + " (" + host_ + "/" + img.repository + ")");
    for (const auto& c : plan_.charts())
        if (c.chart.left_out && !present(c.repository, c.digest))
            missing[c.digest].insert("chart " + c.chart.name + ":" + c.chart.version + " (" + host_ + "/" +
                                     c.repository + ")");
    if (missing.empty()) return;
    std::string list;
    for (const auto& [digest, in] : missing) {
        list += (list.empty() ? "" : ", ") + digest.str() + " of ";
        for (auto it = in.begin(); it != in.end(); ++it) list += (it == in.begin() ? "" : ", ") + *it;
    }
    std::string remedy =
        m.base ? "import the base release first" : "the registry no longer holds what the site inventory listed";
    fail(Errc::policy, m.delta_description() + ": " + std::to_string(missing.size()) +
                           " blob(s) it leaves out are not in the registry: " + list + "; " + remedy +
                           " (nothing was tagged)");
}

void RegistryPush::add_tag(std::string repo, std::string tag, std::string media_type, std::string bytes,
                           const Digest& digest) {
    std::lock_guard lock(mu_);
    tags_.push_back({std::move(repo), std::move(tag), std::move(media_type), std::move(bytes), digest});
}

void RegistryPush::run(const std::map<Digest, std::string>& homes,
                       const std::function<const std::string&(const std::string&)>& document, unsigned parallel) {
    // Each step's results land in slots by position, so the report keeps the plan's order.
    const auto& images = plan_.images();
    const auto& charts = plan_.charts();
    const auto& sboms = plan_.sboms();
    std::vector<ImportedArtifact> placed(images.size() + charts.size() + sboms.size());
    check_external_blobs();
    WorkerPool pool(parallel);
    for (std::size_t i = 0; i < images.size(); ++i) pool.submit([&, i] { placed[i] = place_image(images[i], homes); });
    pool.wait();  // SBOMs refer to their images: those go first
    std::size_t at = images.size();
    // A left-out chart's archive is read back from its repository, where check_external_blobs made sure it is.
    auto site = registry_chart_reader(client_);
    for (const auto& chart : charts)
        pool.submit([&, i = at++] {
            auto archive = chart_archive(chart, document, site);
            if (!archive)
                fail(Errc::registry, host_ + "/" + chart.repository + ": " + left_out_chart_name(chart) +
                                         " is gone since it was checked");
            placed[i] = place_chart(chart, *archive);
        });
    for (const auto& sbom : sboms)
        pool.submit([&, i = at++] { placed[i] = place_sbom(sbom, document(sbom.sbom.path)); });
    pool.wait();
    for (const auto& [key, referrers] : fallback_referrers_)
        pool.submit([&, &key = key, &referrers = referrers] { add_fallback_tag(key.first, key.second, referrers); });
    pool.wait();
    // Tags last, so a release appears only when everything it names is there.
    for (std::size_t i = 0; i < tags_.size(); ++i) pool.submit([this, i] { set_tag_if_moved(i); });
    pool.wait();
    artifacts_ = std::move(placed);
}

ImportedArtifact RegistryPush::place_image(const PlannedImage& image, const std::map<Digest, std::string>& homes) {
    const auto& m = plan_.manifest();
    for (const auto& blob : image.blobs) {
        if (m.find_external(blob)) continue;  // present: check_external_blobs made sure
        const auto* entry = m.find(manifests::bundle_paths::blob(blob));
        if (!entry) fail(Errc::format, "image " + image.source_ref + ": blob " + blob.str() + " is not in the bundle");
        auto home = homes.find(blob);
        ensure_blob(image.repository, blob, entry->size, home == homes.end() ? std::string() : home->second);
    }
    for (const auto& d : image.manifests)
        ensure_manifest(image.repository, plan_.manifest_media_type(d), plan_.manifest_bytes(d), d);
    add_tag(image.repository, image.tag, image.top.media_type, plan_.manifest_bytes(image.top.digest),
            image.top.digest);
    place_attachments(image);
    return {"image", image.source_ref, host_ + "/" + image.repository + ":" + image.tag, image.top.digest};
}

// Cosign finds signatures and attestations by tag; referrers are found through
// the referrers API, or the fallback tag where the registry has no such API.
void RegistryPush::place_attachments(const PlannedImage& image) {
    for (const auto& a : image.attachments) {
        const std::string& bytes = plan_.manifest_bytes(a.digest);
        if (a.kind != manifests::attachment_kind::referrer) {
            add_tag(image.repository, a.tag, a.media_type, bytes, a.digest);
            continue;
        }
        if (client_.referrers(image.repository, a.subject)) continue;  // the registry indexes subjects itself
        manifests::Descriptor referrer =
            manifests::referrer_descriptor(bytes, a.media_type, "referrer " + a.digest.str());
        std::lock_guard lock(mu_);
        fallback_referrers_[{image.repository, a.subject}].push_back(std::move(referrer));
    }
}

ImportedArtifact RegistryPush::place_chart(const PlannedChart& chart, const std::string& archive) {
    Artifact a = ImportPlan::chart_artifact(chart, archive);
    ensure_blob_bytes(chart.repository, archive, chart.digest);
    ensure_blob_bytes(chart.repository, a.config, Sha256::of(a.config));
    ensure_manifest(chart.repository, mt::oci_manifest, a.manifest, a.manifest_digest);
    add_tag(chart.repository, chart.tag, mt::oci_manifest, a.manifest, a.manifest_digest);
    return {"chart", chart.chart.name + ":" + chart.chart.version, host_ + "/" + chart.repository + ":" + chart.tag,
            a.manifest_digest};
}

ImportedArtifact RegistryPush::place_sbom(const PlannedSbom& sbom, const std::string& content) {
    const auto& img = *sbom.image;
    Artifact a = ImportPlan::sbom_artifact(sbom);
    ensure_blob_bytes(sbom.repository, content, sbom.entry->digest);
    ensure_blob_bytes(sbom.repository, a.config, Sha256::of(a.config));
    bool indexed = false;
    if (client_.head_manifest(sbom.repository, a.manifest_digest.str())) {
        indexed = client_.referrers(sbom.repository, img.top.digest).has_value();
    } else {
        indexed = client_.put_manifest(sbom.repository, a.manifest_digest.str(), mt::oci_manifest, a.manifest)
                      .subject_indexed;
        std::lock_guard lock(mu_);
        ++manifests_pushed_;
    }
    if (!indexed) {
        std::lock_guard lock(mu_);
        fallback_referrers_[{sbom.repository, img.top.digest}].push_back(
            manifests::referrer_descriptor(a.manifest, mt::oci_manifest, "referrer " + a.manifest_digest.str()));
    }
    return {"sbom", sbom.sbom.path, host_ + "/" + sbom.repository + "@" + a.manifest_digest.str(), a.manifest_digest};
}

// Registries without the referrers API (distribution 2.8) keep referrers in an
// index tagged sha256-<subject hex>; add these to it, keeping the others.
void RegistryPush::add_fallback_tag(const std::string& repo, const Digest& subject,
                                    const std::vector<manifests::Descriptor>& referrers) {
    std::string tag = registry::referrers_fallback_tag(subject);
    std::string existing;
    Json index = {{"schemaVersion", 2}, {"mediaType", mt::oci_index}, {"manifests", Json::array()}};
    if (client_.get_manifest(repo, tag, existing)) index = parse_json_strict(existing, host_ + "/" + repo + ":" + tag);
    if (!index.contains("manifests") || !index["manifests"].is_array())
        fail(Errc::registry,
             host_ + "/" + repo + ":" + tag + ": the referrers fallback tag does not hold an image index");
    bool added = false;
    for (const auto& referrer : referrers) {
        bool listed = false;
        for (const auto& d : index["manifests"]) listed = listed || d.value("digest", "") == referrer.digest.str();
        if (listed) continue;
        index["manifests"].push_back(referrer.to_json());
        added = true;
    }
    if (!added) return;
    std::string bytes = dump_json_safe(index);
    add_tag(repo, tag, mt::oci_index, bytes, Sha256::of(bytes));
}

void RegistryPush::set_tag_if_moved(std::size_t i) {
    const PendingTag& t = tags_[i];
    if (auto current = client_.head_manifest(t.repo, t.tag); current && current->digest == t.digest) return;
    client_.put_manifest(t.repo, t.tag, t.media_type, t.bytes);
    std::lock_guard lock(mu_);
    ++tags_set_;
}

}  // namespace sealift::mirror
