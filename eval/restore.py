#!/usr/bin/env python3
"""Restore the evaluation corpus (eval/corpus/) from git mirrors of public repositories.

Every file of the corpus is listed in eval/sources.toml with the repository, commit and
path it comes from and its sha256. The files are real stories by other people, so they
are never committed here; this script copies each one out of a local git mirror
(``/work/.mirror/<owner>+<name>/repo``, as made by the team's ``fetch`` tool, or any
folder given with --mirrors holding ``<owner>+<name>`` git directories) with
``git --git-dir=... show COMMIT:PATH``, checks its sha256 and writes it to the corpus.

It exits 1 and names the repositories to fetch when a mirror is missing, and names every
file whose content does not match its recorded sha256 (such a file is not written).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MIRRORS = Path("/work/.mirror")


def load_sources(path: Path) -> list[dict[str, str]]:
    """The [[file]] tables of sources.toml, in order."""
    with path.open("rb") as fh:
        return list(tomllib.load(fh)["file"])


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The git directory of a mirrored repository, or None when it is not there."""
    base = mirrors / repo.replace("/", "+")
    for cand in (base / "repo", base / "repo.git", base / ".git", base):
        if (cand / "objects").is_dir() or (cand / "HEAD").is_file():
            return cand
    return None


def read_blob(gdir: Path, commit: str, path: str) -> bytes | None:
    """The bytes of PATH at COMMIT in the git directory, or None when git has no such object."""
    res = subprocess.run(
        ["git", "--git-dir", str(gdir), "show", f"{commit}:{path}"], capture_output=True
    )
    return res.stdout if res.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    """Restore every listed file; exit 1 when a mirror or a file is missing or wrong."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=Path, default=HERE / "sources.toml")
    ap.add_argument(
        "--mirrors",
        type=Path,
        default=DEFAULT_MIRRORS,
        help="folder of <owner>+<name> git mirrors (default /work/.mirror)",
    )
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument("--force", action="store_true", help="rewrite files already present")
    args = ap.parse_args(argv)

    sources = load_sources(args.sources)
    args.corpus.mkdir(parents=True, exist_ok=True)
    missing_repos: dict[str, list[str]] = {}
    bad: list[str] = []
    written = kept = 0
    for src in sources:
        out = args.corpus / src["name"]
        if (
            out.exists()
            and not args.force
            and hashlib.sha256(out.read_bytes()).hexdigest() == src["sha256"]
        ):
            kept += 1
            continue
        gdir = git_dir(args.mirrors, src["repo"])
        if gdir is None:
            missing_repos.setdefault(src["repo"], []).append(src["name"])
            continue
        data = read_blob(gdir, src["commit"], src["path"])
        if data is None:
            bad.append(
                f"{src['name']}: {src['repo']} has no {src['path']} at {src['commit'][:10]}"
                " (mirror too old? fetch it again)"
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != src["sha256"]:
            bad.append(
                f"{src['name']}: sha256 {digest[:12]}… differs from the recorded "
                f"{src['sha256'][:12]}…"
            )
            continue
        out.write_bytes(data)
        written += 1
    print(
        f"{written} restored, {kept} already present, {len(sources)} listed in {args.sources.name}"
    )
    if missing_repos:
        print(
            "\nThese repositories must be fetched first (fetch github:OWNER/NAME), "
            f"then run this again; mirrors are looked for under {args.mirrors}:"
        )
        for repo, names in sorted(missing_repos.items()):
            print(
                f"  github:{repo}   ({len(names)} file(s): {', '.join(names[:3])}"
                f"{', …' if len(names) > 3 else ''})"
            )
    for line in bad:
        print("ERROR " + line)
    return 1 if (missing_repos or bad) else 0


if __name__ == "__main__":
    sys.exit(main())
