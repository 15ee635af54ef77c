// The lock file's text form: canonical, sorted, and strict when read back.
#include <catch2/catch.hpp>

#include "builder/lock_file.hpp"
#include "core/error.hpp"
#include "support/support.hpp"

using namespace sealift;
using builder::LockFile;

namespace {

const std::string kApi = "registry.example.com/platform/api:1.0.0";
const std::string kWeb = "registry.example.com/platform/web:1.0.0";

std::string entry(const std::string& ref, const std::string& digest) {
    return "{\"digest\":\"" + digest + "\",\"ref\":\"" + ref + "\"}";
}

std::string error_of(const std::string& text) {
    return test::error_of([&] { LockFile::parse(text, "lock file L"); }, "ACCEPTED");
}

}  // namespace

TEST_CASE("a lock file is canonical JSON sorted by ref, and reads back") {
    LockFile lock;
    lock.images = {{kApi, Sha256::of("api")}, {kWeb, Sha256::of("web")}};
    std::string text = lock.text();
    CHECK(text == "{\"images\":[" + entry(kApi, Sha256::of("api").str()) + "," + entry(kWeb, Sha256::of("web").str()) +
                      "],\"lockVersion\":1}\n");
    auto back = LockFile::parse(text, "lock file L");
    REQUIRE(back.find(kWeb));
    CHECK(back.find(kWeb)->digest == Sha256::of("web"));
    CHECK(back.find("registry.example.com/platform/db:1.0.0") == nullptr);
    CHECK(back.text() == text);
}

TEST_CASE("a bad lock file is refused naming the file, the entry and the reason") {
    const std::string api = entry(kApi, Sha256::of("api").str()), web = entry(kWeb, Sha256::of("web").str());
    auto doc = [](const std::string& images, const std::string& rest = ",\"lockVersion\":1") {
        return "{\"images\":[" + images + "]" + rest + "}";
    };
    CHECK_THAT(error_of("[]"), Catch::Contains("lock file L: expected a JSON object"));
    CHECK_THAT(error_of(doc(api, ",\"lockVersion\":1,\"extra\":true")),
               Catch::Contains("lock file L: unknown field 'extra'"));
    CHECK_THAT(error_of(doc(api, ",\"lockVersion\":2")),
               Catch::Contains("lock file L: lockVersion 2 is not supported"));
    CHECK_THAT(error_of(doc(api, "")), Catch::Contains("lock file L") && Catch::Contains("lockVersion"));
    CHECK_THAT(error_of("{\"images\":{},\"lockVersion\":1}"), Catch::Contains("lock file L: images must be an array"));
    CHECK_THAT(error_of(doc("{\"ref\":\"" + kApi + "\",\"digest\":\"" + Sha256::of("api").str() + "\",\"tag\":\"x\"}")),
               Catch::Contains("lock file L images[0]: unknown field 'tag'"));
    CHECK_THAT(
        error_of(doc(entry("platform/api:1.0.0", Sha256::of("api").str()))),
        Catch::Contains(
            "lock file L images[0]: ref 'platform/api:1.0.0' is not written in full ('docker.io/platform/api:1.0.0')"));
    CHECK_THAT(error_of(doc(entry(kApi, "sha256:abc"))),
               Catch::Contains("lock file L images[0] (" + kApi + "): 'sha256:abc' is not a sha256 digest"));
    CHECK_THAT(error_of(doc(web + "," + api)),
               Catch::Contains("lock file L images[1]: " + kApi + " is out of order or listed twice"));
    CHECK_THAT(error_of(doc(api + "," + api)),
               Catch::Contains("lock file L images[1]: " + kApi + " is out of order or listed twice"));
    CHECK_THAT(error_of(doc(api) + "x"), Catch::Contains("lock file L"));
}
