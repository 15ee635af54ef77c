#!/usr/bin/env python3
"""Prints the benchmark tables from the files bench/run.sh writes.

usage: report.py OUT_DIR [--scale-only]
  OUT_DIR/results.tsv  label, seconds, peak RSS KiB   (or: label, "error", reason)
  OUT_DIR/rows.tsv     step, sealift label, baseline label, min ratio, max sealift RSS MiB
                       (empty when no target)
  OUT_DIR/zstd.tsv     level, input bytes, output bytes, compress label, decompress label
  OUT_DIR/delta.tsv    full bytes, delta bytes, full build label, delta build label
  OUT_DIR/inventory.tsv  the same for the hotfix cut against a site inventory
  OUT_DIR/dryrun.tsv   import label, dry-run label
  OUT_DIR/scale.tsv    command, images, seconds, peak RSS KiB (or: command, images, "error", reason),
                       from bench/scale.sh; --scale-only prints its growth table alone
A row whose measurement failed prints "error" and its reason; that is not a FAIL.
"""
import csv, os, sys


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row]


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def load_results(out):
    results = {}
    for label, value, extra in read_tsv(os.path.join(out, "results.tsv")):
        if value == "error":
            results[label] = ("error", extra)
        else:
            results[label] = (float(value), int(extra))
    return results


def comparison_rows(out, results):
    rows = []
    for step, ours, theirs, min_ratio, max_rss in read_tsv(os.path.join(out, "rows.tsv")):
        s, b = results.get(ours, ("error", "not run")), results.get(theirs, ("error", "not run"))
        targets = ([f">= {float(min_ratio):g}x"] if min_ratio else []) + ([f"RSS < {max_rss} MiB"] if max_rss else [])
        s_sec = f"{s[0]:.2f}" if s[0] != "error" else "error"
        b_sec = f"{b[0]:.2f}" if b[0] != "error" else "error"
        if "error" in (s[0], b[0]):
            why = s[1] if s[0] == "error" else b[1]
            rows.append([step, s_sec, b_sec, "-", "-", ", ".join(targets), f"error: {why}"])
            continue
        ratio = b[0] / max(s[0], 0.01)  # /usr/bin/time has 10 ms resolution
        rss_mib = s[1] / 1024
        ok = (not min_ratio or ratio >= float(min_ratio)) and (not max_rss or rss_mib < float(max_rss))
        rows.append([step, s_sec, b_sec, f"{ratio:.2f}x", f"{rss_mib:.1f}", ", ".join(targets),
                     "PASS" if ok else "FAIL"])
    return rows


def zstd_rows(out, results):
    rows = []
    for level, in_bytes, out_bytes, comp, decomp in read_tsv(os.path.join(out, "zstd.tsv")):
        in_mb = int(in_bytes) / 1e6
        speed = lambda label: (f"{in_mb / max(results[label][0], 0.01):.0f}"
                               if results.get(label, ("error",))[0] != "error" else "error")
        rows.append([level, f"{int(out_bytes) / 2**20:.1f}", f"{int(in_bytes) / max(int(out_bytes), 1):.3f}",
                     speed(comp), speed(decomp)])
    return rows


def size_share_row(label, full_bytes, part_bytes):
    """A bundle that leaves out what the site has, against the full one: target < 1% (0 bytes: not built)."""
    full_b, part_b = int(full_bytes), int(part_bytes)
    share = 100 * part_b / max(full_b, 1)
    return [label, f"{full_b / 2**20:.1f}", f"{part_b / 2**20:.3f}", f"{share:.3f} %", "< 1 %",
            "PASS" if part_b and share < 1 else "FAIL"]


def delta_rows(out, results):
    """The hotfix delta against the full hotfix bundle: size (target < 1%) and build time."""
    rows = []
    for full_bytes, delta_bytes, full_label, delta_label in read_tsv(os.path.join(out, "delta.tsv")):
        rows.append(size_share_row("size MiB", full_bytes, delta_bytes))
        full_s, delta_s = results.get(full_label, ("error",))[0], results.get(delta_label, ("error",))[0]
        if "error" in (full_s, delta_s):
            rows.append(["build s", str(full_s), str(delta_s), "-", "-", "error"])
        else:
            rows.append(["build s", f"{full_s:.2f}", f"{delta_s:.2f}", f"{100 * delta_s / max(full_s, 0.01):.0f} %", "-", "-"])
    if rows:
        print("\nHotfix delta bundle (--base) against the full hotfix bundle\n")
        table(["", "full", "delta", "delta / full", "target", "result"], rows)


def inventory_rows(out, results):
    """The hotfix cut against a site's inventory (size, target < 1%) and --dry-run against a real import (< 5%)."""
    rows = []
    for full_bytes, inv_bytes, _, _ in read_tsv(os.path.join(out, "inventory.tsv")):
        rows.append(size_share_row("hotfix for the site: size MiB", full_bytes, inv_bytes))
    for full_label, dry_label in read_tsv(os.path.join(out, "dryrun.tsv")):
        full_s, dry_s = results.get(full_label, ("error",))[0], results.get(dry_label, ("error",))[0]
        if "error" in (full_s, dry_s):
            rows.append(["import --dry-run s", str(full_s), str(dry_s), "-", "< 5 %", "error"])
            continue
        share = 100 * dry_s / max(full_s, 0.01)
        rows.append(["import --dry-run s", f"{full_s:.2f}", f"{dry_s:.2f}", f"{share:.1f} %", "< 5 %", "PASS" if share < 5 else "FAIL"])
    if rows:
        print("\nInventory delta (--site-inventory) against the full hotfix bundle; store import --dry-run against the import\n")
        table(["", "full", "inventory delta / dry run", "share", "target", "result"], rows)


def serving_rows(out):
    """The embedded registry against docker-registry and nginx (bench/serving.sh): requests/s, errors, RSS."""
    rows = []
    for metric, ours, base_name, theirs, unit, min_ratio, errors, base_errors, rss_kib in read_tsv(
            os.path.join(out, "serving.tsv")):
        ours_v, theirs_v = float(ours or 0), float(theirs or 0)
        ratio = ours_v / theirs_v if theirs_v else 0
        rss_mib = int(rss_kib or 0) / 1024
        ok = (not min_ratio or ratio >= float(min_ratio)) and int(errors) == 0 and 0 < rss_mib < 256
        targets = ([f">= {float(min_ratio):g}x"] if min_ratio else []) + ["0 errors", "RSS < 256 MiB"]
        rows.append([metric, f"{ours_v:.0f} {unit}", base_name, f"{theirs_v:.0f} {unit}", f"{ratio:.2f}x",
                     f"{errors} / {base_errors}",
                     f"{rss_mib:.1f}", ", ".join(targets), "PASS" if ok else "FAIL"])
    if rows:
        print("\nEmbedded registry (sealift mirror serve) against docker-registry and nginx (sendfile)\n")
        table(["measure", "mirror", "baseline", "baseline value", "ratio", "errors mirror / baseline",
               "mirror peak RSS MiB", "target",
               "result"], rows)


SCALE_RSS_TARGET = ("build", "verify")  # peak RSS under 64 MiB + 2 KiB per image


def scale_table(out):
    """Growth with the release's image count (bench/scale.sh): per command, seconds and MiB at each
    count; linear when the largest count's time is within 3x of (largest / smallest) x the smallest's."""
    measured = {}  # command -> {images: (seconds, rss KiB) or ("error", reason)}
    for label, n, value, extra in read_tsv(os.path.join(out, "scale.tsv")):
        measured.setdefault(label, {})[int(n)] = ("error", extra) if value == "error" else (float(value), int(extra))
    if not measured:
        return
    sizes = sorted({n for by_n in measured.values() for n in by_n})
    name = lambda n: f"{n / 1000:g}k" if n >= 1000 else str(n)
    rows = []
    for label, by_n in measured.items():
        cells, errors, rss_ok = [], [], True
        for n in sizes:
            v = by_n.get(n, ("error", "not run"))
            if v[0] == "error":
                cells += ["error", "-"]
                errors.append(f"{name(n)}: {v[1]}")
                continue
            cells += [f"{v[0]:.2f}", f"{v[1] / 1024:.1f}"]
            if label in SCALE_RSS_TARGET and v[1] / 1024 >= 64 + 2 * n / 1024:
                rss_ok = False
        targets = []
        if len(sizes) > 1:
            lo, hi = sizes[0], sizes[-1]
            targets.append(f"{name(hi)} <= 3 x {hi / lo:g} x {name(lo)}")
        if label in SCALE_RSS_TARGET:
            targets.append("RSS < 64 MiB + 2 KiB/image")
        if errors:
            rows.append([label] + cells + ["-", ", ".join(targets), "error: " + "; ".join(errors)])
            continue
        growth, linear = "-", True
        if len(sizes) > 1:
            t_lo, t_hi = by_n[sizes[0]][0], by_n[sizes[-1]][0]
            ratio = t_hi / max(t_lo, 0.01)  # /usr/bin/time has 10 ms resolution
            growth = f"{ratio:.1f}x"
            linear = ratio <= 3 * sizes[-1] / sizes[0]
        rows.append([label] + cells + [growth, ", ".join(targets), "PASS" if linear and rss_ok else "FAIL"])
    header = ["command"]
    for n in sizes:
        header += [f"{name(n)} s", f"{name(n)} MiB"]
    print(f"\nGrowth with the number of images (bench/scale.sh; synthetic releases of {', '.join(map(name, sizes))} "
          "small images; seconds and peak RSS)\n")
    table(header + [f"time {name(sizes[-1])} / {name(sizes[0])}", "target", "result"], rows)


def main():
    out = sys.argv[1]
    if sys.argv[2:] == ["--scale-only"]:
        scale_table(out)
        return
    results = load_results(out)
    print("\nSealift against the do-it-yourself pipeline (best of the runs; warm page cache)\n")
    table(["step", "sealift s", "baseline s", "ratio", "sealift peak RSS MiB", "target", "result"],
          comparison_rows(out, results))
    zrows = zstd_rows(out, results)
    if zrows:
        print("\nzstd level trade-off on the bundle's tar (zstd -T2; MB/s of uncompressed bytes)\n")
        table(["level", "compressed MiB", "ratio", "compress MB/s", "decompress MB/s"], zrows)
    delta_rows(out, results)
    inventory_rows(out, results)
    serving_rows(out)
    scale_table(out)


if __name__ == "__main__":
    main()
