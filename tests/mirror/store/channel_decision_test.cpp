// The one channel decision both importers apply (the store with its state, a
// registry import with the registry's release records), case by case.
#include <catch2/catch.hpp>

#include "mirror/store/channel_decision.hpp"

using namespace sealift;
using namespace sealift::mirror::store;

namespace {

ChannelVerdict decide(const std::string& version, const std::string& bundle, std::optional<HeldRelease> same,
                      std::optional<HeldRelease> current) {
    return decide_channel(manifests::SemVer::parse(version), Sha256::of(bundle), same, current);
}

HeldRelease held(const std::string& version, const std::string& bundle) { return {version, Sha256::of(bundle)}; }

}  // namespace

TEST_CASE("channel decision: forward only, one version one bundle") {
    CHECK(decide("1.0.0", "a", {}, {}) == ChannelVerdict::new_release);
    CHECK(decide("2.0.0", "b", {}, held("1.0.0", "a")) == ChannelVerdict::new_release);
    CHECK(decide("1.0.0", "a", held("1.0.0", "a"), held("1.0.0", "a")) == ChannelVerdict::unchanged);
    CHECK(decide("1.0.0", "a", held("1.0.0", "a"), held("2.0.0", "b")) == ChannelVerdict::behind_current);
    CHECK(decide("2.0.0", "b", held("2.0.0", "b"), held("1.0.0", "a")) == ChannelVerdict::ahead_of_current);
    CHECK(decide("1.5.0", "c", {}, held("2.0.0", "b")) == ChannelVerdict::older);
    CHECK(decide("2.0.0+build.2", "c", {}, held("2.0.0+build.1", "b")) == ChannelVerdict::not_newer);
    // Another bundle of a held version is refused whatever the order.
    CHECK(decide("1.0.0", "x", held("1.0.0", "a"), held("2.0.0", "b")) == ChannelVerdict::equivocation);
    CHECK(decide("2.0.0", "x", held("2.0.0", "b"), held("2.0.0", "b")) == ChannelVerdict::equivocation);

    CHECK(is_downgrade(ChannelVerdict::older));
    CHECK(is_downgrade(ChannelVerdict::not_newer));
    CHECK_FALSE(is_downgrade(ChannelVerdict::behind_current));
    CHECK(channel_refusal(ChannelVerdict::older, Sha256::of("c"), {}, held("2.0.0", "b")) ==
          "is older than the current version 2.0.0");
    CHECK(channel_refusal(ChannelVerdict::equivocation, Sha256::of("x"), held("1.0.0", "a"), held("2.0.0", "b")) ==
          "was imported from a different bundle (manifest " + Sha256::of("a").str() + ", this one " +
              Sha256::of("x").str() + "): one version is one bundle");
    CHECK(channel_refusal(ChannelVerdict::new_release, Sha256::of("c"), {}, {}).empty());
}
