#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/text.hpp"
#include "mirror/site/site.hpp"

namespace sealift::mirror::site {

namespace {

// File name part: what the receipt is about, with anything outside [A-Za-z0-9._+-] as '_'.
std::string file_part(const std::string& text) {
    std::string out;
    for (char c : text)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '+' || c == '-') ? c : '_';
    return out.empty() ? "bundle" : out;
}

// 2026-11-24T01:02:03Z -> 20261124T010203Z: sorts by time and has no ':'.
std::string compact_time(TimePoint t) {
    std::string out;
    for (char c : format_time(t))
        if (c != '-' && c != ':') out += c;
    return out;
}

// The receipt signed by the site key, as its file holds it.
std::string signed_receipt_text(manifests::ImportReceipt receipt, const trust::PrivateKey& key) {
    receipt.site_keyid = key.public_key().keyid();
    return canonical_json(trust::Envelope::sign(receipt.signed_json(), key).to_json()) + "\n";
}

}  // namespace

manifests::ImportReceipt new_receipt(std::string target, const std::filesystem::path& bundle,
                                     std::string_view verdict) {
    manifests::ImportReceipt r;
    r.time = now_seconds();
    r.target = std::move(target);
    r.bundle.file = bundle.filename().string();
    r.verdict = std::string(verdict);
    return r;
}

void write_receipt(const std::filesystem::path& file, manifests::ImportReceipt receipt, const trust::PrivateKey& key) {
    write_file_atomically(file, signed_receipt_text(std::move(receipt), key));
}

std::filesystem::path write_store_receipt(const std::filesystem::path& store, manifests::ImportReceipt receipt,
                                          const trust::PrivateKey& key) {
    std::filesystem::path dir = store / "receipts";
    std::filesystem::create_directories(dir);
    std::string about = receipt.bundle.release ? receipt.bundle.release->name + "-" + receipt.bundle.release->version
                                               : receipt.bundle.file;
    std::string stem = compact_time(receipt.time) + "-" + file_part(about) + "-" + receipt.verdict;
    std::filesystem::path file = dir / (stem + ".receipt.json");
    std::string text = signed_receipt_text(std::move(receipt), key);  // signed once, whatever name it gets
    // Imports run one at a time per store only while they commit: two in the same
    // second may both get here, so each takes a name nobody holds yet.
    for (unsigned n = 2;; ++n) {
        AtomicFile out(file);
        out.file().write_all(text);
        out.file().sync();
        if (::link(out.temp_path().c_str(), file.c_str()) == 0) {
            fsync_directory(dir);
            return file;  // the temporary name is removed when `out` is destroyed uncommitted
        }
        if (errno != EEXIST)
            fail(Errc::io, file.string() + ": cannot write the import receipt: " + std::strerror(errno));
        file = dir / (stem + "-" + std::to_string(n) + ".receipt.json");
    }
}

bool store_has_receipt(const std::filesystem::path& store, const std::string& name, const std::string& version,
                       std::string_view verdict) {
    // TIME-PART-VERDICT[-N].receipt.json, TIME being compact_time's 16 characters.
    const std::string wanted = "-" + file_part(name + "-" + version) + "-" + std::string(verdict);
    constexpr std::string_view suffix = ".receipt.json";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(store / "receipts", ec)) {
        std::string file = e.path().filename().string();
        if (file.size() < 16 + wanted.size() + suffix.size() || !file.ends_with(suffix)) continue;
        std::string rest = file.substr(16, file.size() - 16 - suffix.size());
        if (rest.rfind(wanted, 0) != 0) continue;
        std::string counter = rest.substr(wanted.size());
        if (counter.empty() || (counter[0] == '-' && all_digits(counter.substr(1)))) return true;
    }
    return false;
}

std::size_t clean_receipt_temp_files(const std::filesystem::path& store) {
    namespace fs = std::filesystem;
    std::size_t removed = 0;
    std::error_code ec;
    const auto old_enough = fs::file_time_type::clock::now() - std::chrono::minutes(1);
    std::vector<fs::path> stale;
    for (const auto& e : fs::directory_iterator(store / "receipts", ec)) {
        std::string file = e.path().filename().string();
        auto at = file.rfind(".receipt.json.tmp-");
        if (at == std::string::npos || !all_digits(file.substr(at + 18))) continue;
        std::error_code file_ec;
        if (e.is_regular_file(file_ec) && e.last_write_time(file_ec) < old_enough && !file_ec)
            stale.push_back(e.path());
    }
    for (const auto& p : stale)
        if (fs::remove(p, ec)) ++removed;
    return removed;
}

manifests::ImportReceipt read_receipt(const std::filesystem::path& file, const trust::PublicKey& key) {
    std::string what = "receipt " + file.string();
    Json signed_object = trust::open_signed_by(read_small_file(file, kMaxReceiptBytes), key, "site", what);
    return manifests::ImportReceipt::parse_signed(signed_object, what);
}

}  // namespace sealift::mirror::site
