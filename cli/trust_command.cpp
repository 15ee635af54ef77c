// sealift trust init|rotate|show: the site's trust root (TUF root metadata).
#include <iostream>
#include <set>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "trust/trust.hpp"

namespace {

using namespace sealift;

using cli::OptionSpec;

constexpr OptionSpec kExpires{"--expires", "", "DURATION|DATE", "expiry, e.g. 365d, 2w, 2027-06-30 (default 365d)"};

constexpr cli::CommandSpec kInit{
    "trust init",
    "--root-key ROOT.key [--root-key ...] [--root-pub ROOT.pub ...] [--root-threshold N] "
    "--release-key RELEASE.pub [--release-key ...] [--threshold N] [--expires 365d] --out trust.json",
    std::to_array<OptionSpec>({
        {"--root-key", "", "ROOT.key", "root key that signs this root (repeat)"},
        {"--root-pub", "", "ROOT.pub", "root key that does not sign now (repeat)"},
        {"--root-threshold", "", "N", "root signatures required (default 1)"},
        {"--release-key", "", "RELEASE.pub", "key of the release role (repeat)"},
        {"--threshold", "", "N", "release signatures required on a bundle (default 1)"},
        kExpires,
        {"--out", "-o", "trust.json", "where the root is written (never overwritten)"},
    })};

constexpr cli::CommandSpec kRotate{
    "trust rotate",
    "--from trust.json --root-key KEY.key [--root-key ...] [--new-root-pub NEW.pub ...] "
    "[--root-threshold N] [--release-key RELEASE.pub ...] [--threshold N] [--expires 365d] --out trust-N.json",
    std::to_array<OptionSpec>({
        {"--from", "", "trust.json", "the current root (version N)"},
        {"--root-key", "", "KEY.key", "root key that signs: old keys and new ones (repeat)"},
        {"--new-root-pub", "", "NEW.pub", "the new root's root keys (repeat; default: keep)"},
        {"--root-threshold", "", "N", "root signatures required (default: keep)"},
        {"--release-key", "", "RELEASE.pub", "the new release keys (repeat; default: keep)"},
        {"--threshold", "", "N", "release signatures required (default: keep)"},
        kExpires,
        {"--out", "-o", "trust-N.json", "where root version N+1 is written"},
    })};

constexpr cli::CommandSpec kShow{"trust show", "trust.json", std::array<OptionSpec, 0>{}};

std::vector<trust::PrivateKey> load_private_keys(const std::vector<std::string>& paths) {
    std::vector<trust::PrivateKey> keys;
    for (const auto& path : paths) keys.push_back(trust::PrivateKey::load_pem(path));
    return keys;
}

std::vector<trust::PublicKey> load_public_keys(const std::vector<std::string>& paths) {
    std::vector<trust::PublicKey> keys;
    for (const auto& path : paths) keys.push_back(trust::PublicKey::load_pem(path));
    return keys;
}

// The distinct keys of a role of `root`, in the order listed.
std::vector<trust::PublicKey> role_keys(const trust::TrustRoot& root, std::string_view role) {
    std::vector<trust::PublicKey> keys;
    std::set<std::string> seen;
    for (const auto& id : root.role(role).keyids)
        if (seen.insert(root.key(id).spki_der()).second) keys.push_back(root.key(id));
    return keys;
}

template <const auto& Spec>
TimePoint expiry_option(const cli::CommandArgs<Spec>& args) {
    TimePoint now = build_time();
    TimePoint expires = parse_expiry(args.value("--expires").value_or("365d"), now);
    if (expires <= now) fail(Errc::usage, "sealift trust: --expires " + format_time(expires) + " is not in the future");
    return expires;
}

// Never replaces an existing root: losing the current one would lock the site out.
void write_new_root(const std::filesystem::path& out, const std::string& text) {
    if (std::filesystem::exists(std::filesystem::symlink_status(out)))
        fail(Errc::usage, out.string() + " already exists; refusing to overwrite it");
    write_file_atomically(out, text);
}

void print_written(const std::filesystem::path& out, const trust::RootSpec& spec) {
    std::cout << "wrote " << out.string() << ": root version " << spec.version << ", expires "
              << format_time(spec.expires) << ", " << spec.root_threshold << " of " << spec.root_keys.size()
              << " root keys, " << spec.release_threshold << " of " << spec.release_keys.size() << " release keys\n";
}

int init(const std::vector<std::string>& argv) {
    cli::CommandArgs<kInit> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    auto out = args.required("--out");
    auto signers = load_private_keys(args.values("--root-key"));
    if (signers.empty()) fail(Errc::usage, "sealift trust init: at least one --root-key is required to sign the root");
    trust::RootSpec spec;
    for (const auto& signer : signers) spec.root_keys.push_back(signer.public_key());
    for (auto& key : load_public_keys(args.values("--root-pub"))) spec.root_keys.push_back(std::move(key));
    spec.root_threshold = args.number("--root-threshold", 1, 1000, 1);
    spec.release_keys = load_public_keys(args.values("--release-key"));
    spec.release_threshold = args.number("--threshold", 1, 1000, 1);
    spec.expires = expiry_option(args);
    write_new_root(out, trust::make_root(spec, signers));
    print_written(out, spec);
    return 0;
}

int rotate(const std::vector<std::string>& argv) {
    cli::CommandArgs<kRotate> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    auto out = args.required("--out");
    trust::TrustRoot old = trust::TrustRoot::load(args.required("--from"));
    old.verify_self();
    auto signers = load_private_keys(args.values("--root-key"));

    trust::RootSpec spec;
    spec.version = old.version() + 1;
    spec.root_keys = args.values("--new-root-pub").empty() ? role_keys(old, "root")
                                                           : load_public_keys(args.values("--new-root-pub"));
    spec.root_threshold = args.number("--root-threshold", 1, 1000, old.role("root").threshold);
    spec.release_keys = args.values("--release-key").empty() ? role_keys(old, "targets")
                                                             : load_public_keys(args.values("--release-key"));
    spec.release_threshold = args.number("--threshold", 1, 1000, old.role("targets").threshold);
    spec.expires = expiry_option(args);

    auto is_root_key = [](const std::vector<trust::PublicKey>& keys, const trust::PublicKey& key) {
        for (const auto& k : keys)
            if (k.spki_der() == key.spki_der()) return true;
        return false;
    };
    auto old_root_keys = role_keys(old, "root");
    for (std::size_t i = 0; i < signers.size(); ++i)
        if (!is_root_key(old_root_keys, signers[i].public_key()) &&
            !is_root_key(spec.root_keys, signers[i].public_key()))
            fail(Errc::usage, "sealift trust rotate: " + args.values("--root-key")[i] +
                                  " is a root key of neither version " + std::to_string(old.version()) +
                                  " nor the new root");

    std::string text = trust::make_root(spec, signers);
    old.verify_successor(text, out);  // what a site holding version N will check
    write_new_root(out, text);
    print_written(out, spec);
    return 0;
}

void print_role(const trust::TrustRoot& root, const char* name, const char* label) {
    const auto& role = root.role(name);
    std::cout << label << ": " << role.threshold << " of " << role.keyids.size() << " keys\n";
    for (const auto& id : role.keyids)
        std::cout << "  " << id << "  " << trust::key_type_name(root.key(id).type()) << "\n";
}

int show(const std::vector<std::string>& argv) {
    cli::CommandArgs<kShow> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    std::string path = args.positionals(1, "one trust root file")[0];
    trust::TrustRoot root = trust::TrustRoot::load(path);
    bool expired = now_seconds() >= root.expires();
    std::cout << path << ": root version " << root.version() << ", expires " << format_time(root.expires())
              << (expired ? " (EXPIRED)" : "") << "\n";
    print_role(root, "root", "root role");
    print_role(root, "targets", "release role (TUF targets)");
    for (const char* name : {"snapshot", "timestamp"}) {
        const auto &role = root.role(name), &release = root.role("targets");
        if (role.keyids == release.keyids && role.threshold == release.threshold)
            std::cout << "TUF " << name << " role: same as release\n";
        else
            print_role(root, name, (std::string("TUF ") + name + " role").c_str());
    }
    try {
        auto signers = root.verify_role("root", root.signed_bytes(), root.signatures(), path);
        std::cout << "signatures: OK, by root keys";
        for (const auto& id : signers) std::cout << " " << id;
        std::cout << "\n";
    } catch (const Error& e) {
        if (e.code() != Errc::signature) throw;
        std::cout << "signatures: INVALID: " << e.what() << "\n";
        return 1;
    }
    return expired ? 1 : 0;
}

int trust_command(const std::vector<std::string>& argv) {
    const std::string usage = "usage: sealift trust init|rotate|show [OPTIONS] (see sealift trust SUBCOMMAND --help)";
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
        std::cout << usage << "\n\n"
                  << "  init    create root version 1\n"
                  << "  rotate  create root version N+1, signed by old and new root keys\n"
                  << "  show    print a root's version, expiry, roles and keys, and check its signatures\n";
        return argv.empty() ? 2 : 0;
    }
    std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (argv[0] == "init") return init(rest);
    if (argv[0] == "rotate") return rotate(rest);
    if (argv[0] == "show") return show(rest);
    fail(Errc::usage, "sealift trust: unknown subcommand '" + argv[0] + "'; " + usage);
}

sealift::cli::CommandRegistration registration{"trust", "create, rotate and show the trust root", trust_command};

}  // namespace
