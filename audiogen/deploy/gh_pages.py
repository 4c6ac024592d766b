"""`publish --to gh-pages` / `git+URL#BRANCH`: the output folder as one commit on a branch.

As `mkdocs gh-deploy` does through ghp-import: each publish is one new commit (its parent the
branch's last) whose tree is exactly the output plus an empty `.nojekyll` (so GitHub Pages
serves the files as they are), pushed without force, so a branch that moved meanwhile is a
rejected push and not a lost publish. We drive git directly, with argument lists, in a
throwaway repository: the user's own repository and branches are never touched, and nothing
is committed or pushed when the tree is the same as the branch's.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import AudiogenError
from ..progress import Reporter
from . import Options, Outcome, Target, check_not_newer
from .site import MANIFEST, Site, git_blob_id, plan

DEFAULT_BRANCH = "gh-pages"
NOJEKYLL = ".nojekyll"
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's id of zero bytes
_VERSION_IN_MESSAGE = re.compile(r"\baudiogen (\d+(?:\.\d+)*)")


class GhPagesTarget(Target):
    def __init__(self, text: str, remote: str, branch: str, settings: tuple[tuple[str, str], ...] = ()):
        self.text, self.remote, self.branch = text, remote, branch
        self.settings = settings  # the repository's own settings for reaching its remotes

    @classmethod
    def parse(cls, text: str, cwd: Path) -> "GhPagesTarget":
        if text == "gh-pages":
            return cls(text, _origin(cwd), DEFAULT_BRANCH, _remote_settings(cwd))
        url, _, branch = text[len("git+"):].partition("#")
        if not url:
            raise AudiogenError(f"publish target {text!r} names no repository: use git+URL#BRANCH")
        branch = branch or DEFAULT_BRANCH
        if subprocess.run(["git", "check-ref-format", f"refs/heads/{branch}"], capture_output=True).returncode:
            raise AudiogenError(f"publish target {text!r}: {branch!r} is not a valid branch name")
        return cls(text, _absolute(url, cwd), branch)

    def served_at(self) -> str | None:
        return pages_url(self.remote)

    def publish(self, site: Site, options: Options, ui: Reporter) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="audiogen-gh-pages-") as tmp:
            git = _Git(Path(tmp) / "scratch.git", self.remote, self.settings)
            git.run("init", "--bare", "-q")
            head = self._fetch(git)
            before: dict[str, str] = {}
            if head:
                before = git.tree(head)
                if before and MANIFEST not in before and not options.force:
                    raise AudiogenError(f"branch {self.branch} of {git.shown} holds files that are no audiogen show "
                                        "(no manifest.json); publish to another branch, or use --force to replace them")
                check_not_newer(_version_in(git.run("log", "-1", "--format=%B", head)), options,
                                f"branch {self.branch} of {git.shown}")
            local = {rel: git_blob_id(path) for rel, path in site.files.items()}
            theirs = {rel: blob for rel, blob in before.items() if rel != NOJEKYLL}
            steps = plan(local, theirs)
            outcome = Outcome(self.text, uploaded=steps.upload, kept=len(steps.keep), deleted=steps.delete)
            if not steps.changes and before.get(NOJEKYLL) == EMPTY_BLOB:
                ui.info(f"branch {self.branch} of {git.shown} already holds this output; nothing to push")
                return outcome
            if options.dry_run:
                return outcome
            with ui.progress("adding", len(steps.upload)) as advance:
                for rel in steps.upload:
                    written = git.run("hash-object", "-w", "--no-filters", "--", str(site.files[rel])).strip()
                    if written != local[rel]:
                        raise AudiogenError(f"{site.files[rel]} changed while it was being published; try again")
                    advance(rel)
            git.run("hash-object", "-w", "--stdin", stdin=b"")
            entries = {**local, NOJEKYLL: EMPTY_BLOB}
            git.run("update-index", "-z", "--add", "--index-info",
                    stdin=b"".join(f"100644 {blob}\t{rel}".encode() + b"\0" for rel, blob in sorted(entries.items())))
            tree = git.run("write-tree").strip()
            parent = ["-p", head] if head else []
            git.need_identity()
            commit = git.run("commit-tree", tree, *parent, "-m", f"Publish the podcast: {options.stamp}").strip()
            ui.info(f"pushing {self.branch} to {git.shown}")
            git.run("push", "-q", self.remote, f"{commit}:refs/heads/{self.branch}",
                    failure=f"the push of {self.branch} to {git.shown} was rejected; the branch is as it was")
            return outcome

    def _fetch(self, git: "_Git") -> str | None:
        """The branch's last commit, fetched into the scratch repository (None: no branch yet)."""
        listed = git.run("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}",
                         failure=f"cannot reach the git repository {git.shown}")
        if not listed.strip():
            return None
        git.run("fetch", "-q", "--no-tags", "--depth=1", self.remote, f"refs/heads/{self.branch}",
                failure=f"cannot fetch branch {self.branch} of {git.shown}")
        return git.run("rev-parse", "--verify", "FETCH_HEAD^{commit}").strip()


class _Git:
    """git on the scratch repository, never through a shell; a failure is one AudiogenError."""

    def __init__(self, git_dir: Path, remote: str, settings: tuple[tuple[str, str], ...] = ()):
        self.git_dir = git_dir
        self.shown = _without_password(remote)
        self.env = {**os.environ, "GIT_DIR": str(git_dir), "GIT_INDEX_FILE": str(git_dir / "publish-index"),
                    "GIT_TERMINAL_PROMPT": "0"}  # a remote that wants a password fails, never waits for one
        for var in ("GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"):
            self.env.pop(var, None)
        # settings passed as git's GIT_CONFIG_KEY_n/VALUE_n: they reach git, never a command line
        self.env["GIT_CONFIG_COUNT"] = str(len(settings))
        for n, (key, value) in enumerate(settings):
            self.env[f"GIT_CONFIG_KEY_{n}"], self.env[f"GIT_CONFIG_VALUE_{n}"] = key, value

    def need_identity(self) -> None:
        """A fresh CI machine has no user.name/user.email; the commit still needs an author."""
        known = [subprocess.run(["git", "config", "--get", key], env=self.env, capture_output=True).returncode == 0
                 for key in ("user.name", "user.email")]
        if not all(known):
            self.env.update(GIT_AUTHOR_NAME="audiogen", GIT_COMMITTER_NAME="audiogen",
                            GIT_AUTHOR_EMAIL="audiogen@localhost", GIT_COMMITTER_EMAIL="audiogen@localhost")

    def run(self, *args: str, stdin: bytes | None = None, failure: str | None = None) -> str:
        try:
            proc = subprocess.run(["git", *args], env=self.env, input=stdin, capture_output=True)
        except OSError:
            raise AudiogenError("git is not installed; gh-pages and git+ targets need it") from None
        if proc.returncode != 0:
            said = _last_words(proc.stderr.decode("utf-8", "replace"))
            raise AudiogenError(f"{failure or f'git {args[0]} failed'}: {said}")
        return proc.stdout.decode("utf-8", "replace")

    def tree(self, commit: str) -> dict[str, str]:
        """Every file of a commit: relative path -> blob id."""
        listing = self.run("ls-tree", "-r", "-z", "--full-tree", commit)
        files = {}
        for entry in filter(None, listing.split("\0")):
            meta, _, rel = entry.partition("\t")
            mode, kind, blob = meta.split()
            if kind == "blob":
                files[rel] = blob
        return files


def pages_url(remote: str) -> str | None:
    """The GitHub Pages address a github.com repository's site is served at (without a custom domain)."""
    match = re.search(r"github\.com[:/]+([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$", remote)
    if not match:
        return None
    owner, repo = match.group(1).lower(), match.group(2)
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def _origin(cwd: Path) -> str:
    """`origin` of the repository `cwd` is in."""
    try:
        proc = subprocess.run(["git", "-C", str(cwd), "remote", "get-url", "origin"], capture_output=True, text=True)
        top = subprocess.run(["git", "-C", str(cwd), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    except OSError:
        raise AudiogenError("git is not installed; gh-pages and git+ targets need it") from None
    if proc.returncode != 0 or not proc.stdout.strip():
        raise AudiogenError(f"--to gh-pages publishes to the 'origin' of the git repository here, and {cwd} has none; "
                            "use git+URL#BRANCH")
    return _absolute(proc.stdout.strip(), Path(top.stdout.strip() or cwd))


def _remote_settings(cwd: Path) -> tuple[tuple[str, str], ...]:
    """How the repository here reaches its remotes (its own `url.*`, `http.*` and `credential.*`
    settings, e.g. the token header actions/checkout leaves in http.<url>.extraheader), so the
    scratch repository reaches `origin` as the repository itself would."""
    proc = subprocess.run(["git", "-C", str(cwd), "config", "--local", "-z", "--get-regexp",
                           r"^(url|http|credential)\."], capture_output=True)
    if proc.returncode != 0:
        return ()
    entries = []
    for record in filter(None, proc.stdout.decode("utf-8", "replace").split("\0")):
        key, _, value = record.partition("\n")
        entries.append((key, value))
    return tuple(entries)


def _absolute(url: str, base: Path) -> str:
    """A remote given as a relative path is relative to `base` (we run git elsewhere)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I) or re.match(r"^[^/]+@[^/:]+:", url):
        return url
    return str((base / url).resolve())


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme and parts.password:
        return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{parts.hostname}"
                                         + (f":{parts.port}" if parts.port else "")))
    return url


def _last_words(stderr: str) -> str:
    """The line of git's stderr that says why: a rejection or a fatal line, else the last one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "rejected" in line or line.startswith(("fatal:", "error:")):
            return line
    return lines[-1] if lines else "no message"


def _version_in(message: str) -> str | None:
    match = _VERSION_IN_MESSAGE.search(message)
    return match.group(1) if match else None
