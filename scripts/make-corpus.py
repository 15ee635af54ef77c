#!/usr/bin/env python3
"""Sealift's demo and test corpus: a made-up release, the same bytes from the same arguments.

usage: make-corpus.py OUT [--scale small|medium|large] [--version 1.0.0] [--hotfix-of DIR]
       make-corpus.py OUT --synthetic N [--version 1.0.0]

Writes, under OUT:
  images/                      an OCI image layout (oci-layout, index.json, blobs/sha256/) whose
                               images share one base layer; index.json names each one with
                               org.opencontainers.image.ref.name = registry.example.com/<repo>:<tag>
  charts/<name>-<version>.tgz  Helm charts (Chart.yaml, values.yaml, templates/) deploying the images
  sboms/<ref, / as _>.cdx.json a CycloneDX 1.5 SBOM per image, listing the packages in its layers
  RELEASE_NOTES.md

--scale small     2 images, a few MB: the demo and the end-to-end tests
        medium    5 images, a few hundred MB: the benchmarks
        large     7 images, a few GB
--hotfix-of DIR   the release in DIR (made with the same --scale) with one image's top layer rebuilt
--synthetic N     N small images sharing one base layer, for tests with thousands of images

Nothing comes from the machine or the clock, so any machine on any day makes the same corpus. File
contents come from SHAKE-128 of their paths (not Python's `random`, whose algorithms may change
between versions), with integer arithmetic only; tar entries are sorted, with a fixed mtime, owner
and mode; gzip has mtime 0 and level 1. The tars, and so the diff_ids, are identical everywhere;
the gzip bytes depend on zlib's deflate too, as every gzip does.
"""
import argparse, collections, functools, hashlib, json, os, shutil, struct, sys, tarfile, zlib

KiB, MiB = 1 << 10, 1 << 20
MTIME = 1704067200  # 2024-01-01T00:00:00Z
CREATED = "2024-01-01T00:00:00Z"
GZIP_LEVEL = 1  # large corpora are gigabytes; level 6 compresses text 15% better at a quarter of the speed
REGISTRY = "registry.example.com"

# scale: (base layer bytes, {image: bytes of its own packages}, largest file), before compression.
SCALES = {
    "small": (3 * MiB, {"api": 3 * MiB, "web": 2 * MiB}, 256 * KiB),
    "medium": (48 * MiB, {"api": 64 * MiB, "cache": 32 * MiB, "db": 96 * MiB, "web": 40 * MiB,
                          "worker": 56 * MiB}, 8 * MiB),
    "large": (320 * MiB, {"api": 512 * MiB, "cache": 256 * MiB, "db": 768 * MiB, "ml": 1024 * MiB,
                          "search": 640 * MiB, "web": 320 * MiB, "worker": 448 * MiB}, 64 * MiB),
}


class Rng:
    """Random numbers from SHAKE-128 of a name: the same on every machine and Python version."""

    def __init__(self, *name):
        self.name, self.n = "/".join(map(str, name)).encode(), 0

    def bytes(self, size):
        self.n += 1
        return hashlib.shake_128(self.name + b"#%d" % self.n).digest(size)

    def below(self, n):
        return int.from_bytes(self.bytes(8), "big") % n

    def pick(self, items):
        return items[self.below(len(items))]

    def picks(self, items, k):
        """k picks for the price of one hash (up to 65536 items)."""
        draws = self.bytes(2 * k)
        return [items[(draws[2 * i] << 8 | draws[2 * i + 1]) % len(items)] for i in range(k)]

    def size(self, lo, hi):
        """Log-uniform in [lo, hi], so many small and a few large; integers only, as float pow
        may round differently from one libm to the next."""
        bits = lo.bit_length() + self.below(hi.bit_length() - lo.bit_length() + 1)
        low, high = max(lo, 1 << (bits - 1)), min(hi, (1 << bits) - 1)
        return low + self.below(high - low + 1)


# --- file contents ------------------------------------------------------------------------------

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["th", "ch", "st", "ng", "x"]
SEPARATORS = [" ", " ", " ", " = ", ", ", ": ", "(", ") ", ". ", " -- ", "_", "/", "."]
# A translate() table folding random bytes onto 16 values common in x86 code: compresses like it.
OPCODES = bytes(b"\x00\x48\x89\x8b\xe8\xff\x0f\x85\x24\x44\xc7\x45\x08\x10\x01\x83" * 16)


@functools.cache
def vocabulary():
    """(words, lines): made-up words, and 4096 lines of them that text files are drawn from."""
    rng = Rng("vocabulary")
    words = ["".join(rng.picks(SYLLABLES, 1 + n % 3)) for n in rng.bytes(2048)]
    lines = []
    for n in rng.bytes(4096):
        k = 3 + n % 12
        parts = map(str.__add__, rng.picks(words, k), rng.picks(SEPARATORS, k))
        lines.append(("    " * (n // 86) + "".join(parts).rstrip() + "\n").encode())
    return words, lines


def text(rng, size):
    """Config, source and docs: lines of the vocabulary, half of them repeating a few of the
    file's own (as real text repeats itself), the rest from all 4096. gzip -1: about 3x."""
    lines = vocabulary()[1]
    draws = rng.bytes(96 + 2 * (size // 4 + 16))
    own = [lines[(draws[2 * i] << 8 | draws[2 * i + 1]) % len(lines)] for i in range(48)]
    out, done, at = [], 0, 96
    while done < size:
        a, b = draws[at], draws[at + 1]
        line = own[b % len(own)] if a < 128 else lines[(a << 8 | b) % len(lines)]
        out.append(line)
        done, at = done + len(line), at + 2
    return b"".join(out)[:size]


def binary(rng, size):
    """Executables and libraries: machine-code-like runs, raw data, zero padding and strings.
    gzip -1: about 2x."""
    done = 0
    while done < size:
        kind, n = rng.below(10), rng.size(256, 16 * KiB)
        if kind < 6:
            piece = rng.bytes(n).translate(OPCODES)
        elif kind < 7:
            piece = rng.bytes(n)
        elif kind < 9:
            piece = bytes(n)
        else:
            piece = text(rng, n)
        yield piece
        done += n


def noise(rng, size):
    """Already-compressed files (archives, images, .gz): incompressible."""
    for at in range(0, size, MiB):
        yield rng.bytes(min(MiB, size - at))


KINDS = {"text": lambda rng, size: [text(rng, size)], "binary": binary, "noise": noise}


def content(f):
    """The bytes of planned file `f`, in pieces, exactly f.size of them."""
    left = f.size
    for piece in KINDS[f.kind](Rng(f.seed), f.size):
        if left <= 0:
            break
        yield piece[:left]
        left -= len(piece)


# --- what each layer holds ----------------------------------------------------------------------

# One planned tar entry: kind is text, binary, noise (contents from `seed`) or link (to `target`).
File = collections.namedtuple("File", "path kind size seed mode target", defaults=(0o644, ""))


def package_files(style, big):
    """What a package installs: (path, kind, (fewest, most), smallest, largest). {p} is the
    package, {a} the application, {w} a word and {n} a digit. `big`: the scale's largest file."""
    if style == "deb":
        return [("usr/share/doc/{p}/copyright", "text", (1, 1), 600, 6 * KiB),
                ("usr/share/doc/{p}/changelog.Debian.gz", "noise", (1, 1), 300, 8 * KiB),
                ("usr/share/man/man1/{p}-{w}.1.gz", "noise", (0, 3), 500, 6 * KiB),
                ("usr/bin/{p}-{w}", "binary", (0, 3), 8 * KiB, big // 4),
                ("usr/lib/x86_64-linux-gnu/lib{p}-{w}.so.{n}", "binary", (0, 2), 16 * KiB, big),
                ("usr/share/{p}/{w}.conf", "text", (0, 40), 200, 32 * KiB),
                ("usr/share/{p}/{w}.pack", "noise", (0, 1), 32 * KiB, big // 2)]
    return [("opt/{a}/lib/{p}/{w}.py", "text", (2, 60), 300, 48 * KiB),
            ("opt/{a}/lib/{p}/_{w}.so", "binary", (0, 2), 16 * KiB, big),
            ("opt/{a}/share/{p}/{w}.dat", "noise", (0, 1), 16 * KiB, big // 2)]


def plan_packages(layer, budget, big, style, app=""):
    """(files, packages) of a layer of made-up packages, about `budget` bytes in all."""
    rng, words = Rng(layer, "plan"), vocabulary()[0]
    files, packages, total = {}, [], 0
    while total < budget:
        name = rng.pick(words) + rng.pick(words)
        if any(name == p for p, _ in packages):
            continue
        packages.append((name, f"{1 + rng.below(9)}.{rng.below(20)}.{rng.below(10)}" +
                         (f"-{1 + rng.below(3)}" if style == "deb" else "")))
        for template, kind, (fewest, most), lo, hi in package_files(style, big):
            for _ in range(fewest + rng.below(most - fewest + 1)):
                path = template.format(p=name, a=app, w=rng.pick(words), n=1 + rng.below(9))
                if path in files:
                    continue
                mode = 0o755 if "bin/" in template else 0o644
                files[path] = File(path, kind, rng.size(lo, max(lo, hi)), f"{layer}/{path}", mode)
                total += files[path].size
                if ".so." in path:  # the development name, as -dev packages link it
                    link = path[:path.index(".so.") + 3]
                    files[link] = File(link, "link", 0, "", 0o777, os.path.basename(path))
    return list(files.values()), packages


def plan_app(app, big, patch=""):
    """The application itself: the top layer, the one a hotfix rebuilds (`patch` names the fix)."""
    seed = f"app/{app}"
    files = [File(f"opt/{app}/bin/{app}", "binary", max(4 * KiB, big // 32), seed + "/bin" + patch, 0o755),
             File(f"opt/{app}/entrypoint.sh", "text", 700, seed + "/entrypoint", 0o755),
             File(f"etc/{app}/{app}.yaml", "text", 1500, seed + "/config")]
    if patch:
        files.append(File(f"opt/{app}/PATCHES", "text", 300, seed + "/patches" + patch))
    return files


# --- writing --------------------------------------------------------------------------------------

class TarGz:
    """A tar stream gzip-compressed into `path`, with the sha256 of both on the way."""

    def __init__(self, path):
        self.file, self.size = open(path, "wb"), 0
        self.gz_sha, self.tar_sha, self.crc, self.tar_size = hashlib.sha256(), hashlib.sha256(), 0, 0
        self.deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._out(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")  # gzip: no name, mtime 0, unknown OS

    def _out(self, data):
        self.file.write(data)
        self.gz_sha.update(data)
        self.size += len(data)

    def _tar(self, data, compressible=True):
        self.tar_sha.update(data)
        self.crc, self.tar_size = zlib.crc32(data, self.crc), self.tar_size + len(data)
        if compressible or len(data) < 64 * KiB:
            self._out(self.deflate.compress(data))
            return
        # Stored deflate blocks, what zlib would end up writing here, without its slow search for
        # matches. The full flush byte-aligns the stream and keeps zlib's later blocks from
        # referring back past these.
        self._out(self.deflate.flush(zlib.Z_FULL_FLUSH))
        for at in range(0, len(data), 0xFFFF):
            block = data[at:at + 0xFFFF]
            self._out(struct.pack("<BHH", 0, len(block), len(block) ^ 0xFFFF) + block)

    def add(self, path, size=0, pieces=(), mode=0o644, kind=tarfile.REGTYPE, target="", compressible=True):
        info = tarfile.TarInfo(path)
        info.type, info.size, info.mode, info.mtime, info.linkname = kind, size, mode, MTIME, target
        info.uid, info.gid, info.uname, info.gname = 0, 0, "root", "root"
        self._tar(info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict"))
        for piece in pieces:
            self._tar(piece, compressible)
        self._tar(bytes(-size % 512))

    def close(self):
        """Returns (gzip sha256 digest, gzip size, tar sha256 digest)."""
        self._tar(bytes(1024))  # end of archive
        self._out(self.deflate.flush() + struct.pack("<II", self.crc, self.tar_size & 0xFFFFFFFF))
        self.file.close()
        return "sha256:" + self.gz_sha.hexdigest(), self.size, "sha256:" + self.tar_sha.hexdigest()


def write_files(tgz, files):
    """Every file and the folders holding them, in path order."""
    folders = set()
    for f in files:
        parent = os.path.dirname(f.path)
        while parent and parent not in folders:
            folders.add(parent)
            parent = os.path.dirname(parent)
    for path, f in sorted([(d, None) for d in folders] + [(f.path, f) for f in files], key=lambda e: e[0]):
        if f is None:
            tgz.add(path, mode=0o755, kind=tarfile.DIRTYPE)
        elif f.kind == "link":
            tgz.add(path, mode=f.mode, kind=tarfile.SYMTYPE, target=f.target)
        else:
            tgz.add(path, f.size, content(f), f.mode, compressible=f.kind != "noise")


class Layout:
    """The OCI image layout being written."""

    def __init__(self, root):
        self.root, self.blobs, self.index = root, os.path.join(root, "blobs", "sha256"), []
        os.makedirs(self.blobs)
        self.write("oci-layout", {"imageLayoutVersion": "1.0.0"})

    def write(self, name, doc):
        with open(os.path.join(self.root, name), "w") as out:
            json.dump(doc, out, indent=2, sort_keys=True)
            out.write("\n")

    def put(self, media_type, doc):
        data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.blobs, digest[7:]), "wb") as out:
            out.write(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def layer(self, files):
        """(descriptor, diff_id) of a gzip-compressed tar of `files`."""
        tmp = os.path.join(self.blobs, "layer.partial")
        tgz = TarGz(tmp)
        write_files(tgz, files)
        digest, size, diff_id = tgz.close()
        os.replace(tmp, os.path.join(self.blobs, digest[7:]))
        return {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size}, diff_id

    def image(self, repo, tag, app, layers):
        """Adds an image of `layers` ((descriptor, diff_id, how it was made) each); returns its manifest digest."""
        config = {"architecture": "amd64", "os": "linux", "created": CREATED,
                  "config": {"Entrypoint": [f"/opt/{app}/entrypoint.sh"], "Cmd": [f"/opt/{app}/bin/{app}"],
                             "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                             "WorkingDir": f"/opt/{app}",
                             "Labels": {"org.opencontainers.image.title": app, "org.opencontainers.image.version": tag}},
                  "rootfs": {"type": "layers", "diff_ids": [diff_id for _, diff_id, _ in layers]},
                  "history": [{"created": CREATED, "created_by": how} for _, _, how in layers]}
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": self.put("application/vnd.oci.image.config.v1+json", config),
                    "layers": [desc for desc, _, _ in layers]}
        desc = self.put(manifest["mediaType"], manifest)
        self.index.append(dict(desc, annotations={"org.opencontainers.image.ref.name": f"{REGISTRY}/{repo}:{tag}"}))
        return desc["digest"]

    def close(self):
        self.write("index.json", {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                                  "manifests": self.index})


def write_sbom(out, repo, tag, digest, packages):
    components = [{"type": "library", "name": name, "version": version, "purl": purl}
                  for purl, name, version in sorted(packages)]
    sbom = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "metadata": {"timestamp": CREATED,
                         "component": {"type": "container", "name": f"{REGISTRY}/{repo}", "version": tag,
                                       "purl": f"pkg:oci/{repo.split('/')[-1]}@{digest.replace(':', '%3A')}"}},
            "components": components}
    with open(os.path.join(out, "sboms", f"{REGISTRY}/{repo}".replace("/", "_") + ".cdx.json"), "w") as f:
        json.dump(sbom, f, indent=1, sort_keys=True)


CHART_TEMPLATES = {
    "templates/_helpers.tpl": '{{- define "platform.fullname" -}}\n'
                              '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}\n'
                              '{{- end -}}\n',
    "templates/deployment.yaml": """{{- range $name, $image := .Values.images }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "platform.fullname" $ }}-{{ $name }}
  labels: {app.kubernetes.io/name: {{ $name }}}
spec:
  replicas: {{ $.Values.replicaCount }}
  selector:
    matchLabels: {app.kubernetes.io/name: {{ $name }}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: {{ $name }}}
    spec:
      containers:
        - name: {{ $name }}
          image: "{{ $image.repository }}:{{ $image.tag }}@{{ $image.digest }}"
          ports: [{containerPort: {{ $.Values.port }}}]
{{- end }}
""",
    "templates/service.yaml": """{{- range $name, $image := .Values.images }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "platform.fullname" $ }}-{{ $name }}
spec:
  selector: {app.kubernetes.io/name: {{ $name }}}
  ports: [{port: {{ $.Values.port }}}]
{{- end }}
""",
}


def write_chart(out, name, version, images):
    """charts/<name>-<version>.tgz deploying `images` ((app, repo, digest) each)."""
    values = "replicaCount: 2\nport: 8080\nimages:\n" + "".join(
        f"  {app}:\n    repository: {REGISTRY}/{repo}\n    tag: \"{version}\"\n    digest: {digest}\n"
        for app, repo, digest in images)
    files = dict(CHART_TEMPLATES, **{
        "Chart.yaml": f"apiVersion: v2\nname: {name}\ndescription: The platform's {name.split('-')[-1]} services\n"
                      f"type: application\nversion: {version}\nappVersion: \"{version}\"\n",
        "values.yaml": values, ".helmignore": ".git/\n*.orig\n"})
    tgz = TarGz(os.path.join(out, "charts", f"{name}-{version}.tgz"))
    for path, body in sorted(files.items()):
        data = body.encode()
        tgz.add(f"{name}/{path}", len(data), [data])
    tgz.close()


# --- the release -------------------------------------------------------------------------------

def plan_release(scale, version, hotfix, synthetic):
    """[(app, repo, layers as (files, how), packages as (purl, name, version))]; the base layer
    (the same object in every image) first."""
    if synthetic:
        width = max(4, len(str(synthetic - 1)))
        name, base_bytes, apps, big = "synthetic", 1 * MiB, {f"app{i:0{width}d}": 0 for i in range(synthetic)}, 128 * KiB
    else:
        name, (base_bytes, apps, big) = scale, SCALES[scale]
    base_files, base_packages = plan_packages(f"{name}/base", base_bytes, big, "deb")
    base = (base_files, "base: the operating system's packages")
    deb = [(f"pkg:deb/debian/{n}@{v}?arch=amd64", n, v) for n, v in base_packages]
    release = []
    for app, budget in sorted(apps.items()):
        layers, packages = [base], list(deb)
        if budget:
            files, own = plan_packages(f"{name}/{app}", budget, big, "app", app)
            layers.append((files, f"{app}: its dependencies"))
            packages += [(f"pkg:pypi/{n}@{v}", n, v) for n, v in own]
        patch = f"+hotfix-{version}" if hotfix and not release else ""
        layers.append((plan_app(app, big, patch), f"{app}: the application{patch}"))
        release.append((app, ("synth/" if synthetic else "platform/") + app, layers, packages))
    return release


def check_hotfix_base(base_dir, layers):
    """A hotfix shares all its other layers ((ref, digest) each) with the release in `base_dir`."""
    for ref, digest in layers:
        if not os.path.exists(os.path.join(base_dir, "images", "blobs", "sha256", digest[7:])):
            sys.exit(f"make-corpus.py: --hotfix-of {base_dir}: it lacks layer {digest} of {ref}; "
                     "was it made with the same --scale or --synthetic?")


def write_notes(out, version, images, hotfix):
    with open(os.path.join(out, "RELEASE_NOTES.md"), "w") as f:
        f.write(f"# Platform {version}\n\n")
        if hotfix:
            f.write(f"A hotfix: the top layer of `{images[0][0]}` is rebuilt; every other layer is unchanged.\n\n")
        f.write("Images:\n\n" + "".join(f"- `{REGISTRY}/{repo}:{version}` ({digest[:19]})\n" for _, repo, digest in images))
        f.write(f"\nCharts: `platform-core` {version}, `platform-edge` {version}.\n")


def make(out, args):
    for folder in ("charts", "sboms"):
        os.makedirs(os.path.join(out, folder))
    layout, written, images, kept = Layout(os.path.join(out, "images")), {}, [], []
    hotfix = args.hotfix_of is not None
    for app, repo, layers, packages in plan_release(args.scale, args.version, hotfix, args.synthetic):
        made = []
        for files, how in layers:
            if how not in written:  # the base layer is written once
                written[how] = layout.layer(files)
            made.append(written[how] + (how,))
        digest = layout.image(repo, args.version, app, made)
        write_sbom(out, repo, args.version, digest, packages)
        rebuilt = made[-1:] if hotfix and not images else []  # plan_release patches the first image
        kept += [(f"{REGISTRY}/{repo}", layer[0]["digest"]) for layer in made if layer not in rebuilt]
        images.append((app, repo, digest))
    layout.close()
    if hotfix:
        check_hotfix_base(args.hotfix_of, kept)
    half = (len(images) + 1) // 2
    write_chart(out, "platform-core", args.version, images[:half])
    write_chart(out, "platform-edge", args.version, images[half:] or images)
    write_notes(out, args.version, images, hotfix)
    return len(images)


def main():
    ap = argparse.ArgumentParser(description="Writes Sealift's demo and test corpus (see the top of this file).")
    ap.add_argument("out")
    ap.add_argument("--scale", default="small", choices=sorted(SCALES))
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--hotfix-of", metavar="DIR", help="the release in DIR with one image's top layer rebuilt")
    ap.add_argument("--synthetic", type=int, metavar="N", help="N small images sharing one base layer")
    a = ap.parse_args()
    if a.synthetic is not None and a.synthetic < 1:
        ap.error("--synthetic needs at least 1 image")
    if os.path.exists(a.out) and not (os.path.isdir(a.out) and not os.listdir(a.out)):
        ap.error(f"{a.out} exists and is not an empty folder")
    if a.hotfix_of and not os.path.isdir(os.path.join(a.hotfix_of, "images", "blobs", "sha256")):
        ap.error(f"--hotfix-of {a.hotfix_of}: not a corpus (no images/blobs/sha256 in it)")
    partial = a.out.rstrip("/") + ".partial"  # renamed to OUT once complete: never a half corpus
    shutil.rmtree(partial, ignore_errors=True)
    try:
        count = make(partial, a)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if os.path.isdir(a.out):
        os.rmdir(a.out)
    os.rename(partial, a.out)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(a.out) for f in fs)
    print(f"corpus {a.out}: {count} images, {total / MiB:.1f} MiB")


if __name__ == "__main__":
    main()
