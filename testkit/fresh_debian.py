"""A clean Debian 12 root to run the project's first run in, as on a machine nobody has set up.

The root is `debootstrap --variant=minbase bookworm` from the mirror this machine's apt uses: no Python,
no Node.js, no ffmpeg. It is made once and kept under var/fresh-debian/ (git-ignored); each run gets a
fresh copy of it. Commands run in it through `chroot`, inside `unshare --mount --pid`: its mounts (/proc,
/dev, /sys, the download caches) exist only for that run, and every process it started ends with it.

How it differs from a freshly installed machine, and why:
- it shares this machine's network (the package registries are reached through it), so the servers it
  starts listen beside this machine's own: the caller gives them free ports;
- services that packages install are not started by apt (policy-rc.d, Debian's way for chroots), as there
  is no init system in a chroot;
- this machine's CA bundle and the variables naming it are passed in, as the registries are reached
  through this machine's TLS setup;
- the packages apt, pip and npm download are cached between runs (var/fresh-debian/cache/), so a second
  run spends its time installing, not downloading.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO_ROOT / "var" / "fresh-debian"
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HOST_CA = "/etc/ssl/host-ca.pem"
# Variables that point the clients at this machine's CA bundle; passed in pointing at its copy.
CA_VARIABLES = ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE")
# Download caches kept between runs: folder under CACHE_DIR / "cache" → where the root's clients keep them.
CACHES = {"apt": "var/cache/apt/archives", "pip": "root/.cache/pip", "npm": "root/.npm"}


def host_mirror(apt_dir: Path = Path("/etc/apt")) -> str:
    """The Debian mirror this machine's apt uses (deb822 `.sources` or one-line `.list`), else deb.debian.org."""
    files = [apt_dir / "sources.list", *sorted((apt_dir / "sources.list.d").glob("*"))]
    for path in files:
        if not path.is_file() or path.suffix not in {".list", ".sources", ""}:
            continue
        for line in path.read_text().splitlines():
            match = re.match(r"\s*(?:URIs:\s*|deb\s+(?:\[[^]]*\]\s+)?)(\S+)", line)
            if match and "security" not in match.group(1) and "debian" in match.group(1):
                return match.group(1).rstrip("/")
    return DEFAULT_MIRROR


def base_root() -> Path:
    """The cached minbase root, made by debootstrap on first use (about 30 s)."""
    root = CACHE_DIR / "rootfs"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with (CACHE_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one maker at a time; the others wait and reuse it
        if not (root / "etc" / "os-release").is_file():
            partial = CACHE_DIR / "rootfs.partial"
            shutil.rmtree(partial, ignore_errors=True)
            (CACHE_DIR / "debs").mkdir(exist_ok=True)
            subprocess.run(
                ["debootstrap", "--variant=minbase", f"--cache-dir={CACHE_DIR / 'debs'}", SUITE, str(partial),
                 host_mirror()],
                check=True, capture_output=True,
            )  # fmt: skip
            partial.rename(root)
    return root


@contextmanager
def fresh_root(parent: Path) -> Iterator[Path]:
    """A copy of the base root, set up as a freshly installed machine's apt would be; removed afterwards."""
    root = parent / "debian"
    subprocess.run(["cp", "-a", "--reflink=auto", str(base_root()), str(root)], check=True)
    try:
        mirror = host_mirror()
        (root / "etc/apt/sources.list").unlink(missing_ok=True)
        # What the Debian installer configures: the release, its updates and security.
        (root / "etc/apt/sources.list.d/debian.sources").write_text(
            f"Types: deb\nURIs: {mirror}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
            f"Types: deb\nURIs: {mirror}-security\nSuites: {SUITE}-security\nComponents: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        )
        policy = root / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\n# A chroot has no init system: packages' services are not started.\nexit 101\n")
        policy.chmod(0o755)
        shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
        bundle = next((os.environ[name] for name in CA_VARIABLES if os.path.isfile(os.environ.get(name, ""))), None)
        if bundle:
            (root / HOST_CA.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(bundle, root / HOST_CA.lstrip("/"))
        yield root
    finally:
        _remove(root)


def run_in_root(root: Path, command: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run `command` (bash) as root in `root`, with a plain environment plus `env`; output captured."""
    plain = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
    if (root / HOST_CA.lstrip("/")).is_file():
        plain |= dict.fromkeys(CA_VARIABLES, HOST_CA) | {"npm_config_cafile": HOST_CA}
    for name in ("PIP_DEFAULT_TIMEOUT",):
        if name in os.environ:
            plain[name] = os.environ[name]
    mounts = [f"mount --rbind /dev {root}/dev", f"mount -t sysfs sysfs {root}/sys"]
    for name, inside in CACHES.items():
        (CACHE_DIR / "cache" / name).mkdir(parents=True, exist_ok=True)
        (root / inside).mkdir(parents=True, exist_ok=True)
        mounts.append(f"mount --bind {CACHE_DIR / 'cache' / name} {root / inside}")
    variables = [f"{key}={value}" for key, value in (plain | env).items()]
    inner = " && ".join([*mounts, 'exec chroot "$0" env -i "$@"'])
    return subprocess.run(
        ["unshare", "--mount", "--pid", "--fork", f"--mount-proc={root}/proc", "bash", "-c", inner,
         str(root), *variables, "bash", "-c", command],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def copy_checkout(root: Path, inside: str = "srv/checkout") -> Path:
    """The working tree's files (tracked, and new ones git does not ignore) copied into the root."""
    target = root / inside
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = REPO_ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    return target


def _remove(root: Path) -> None:
    # The run's mounts lived in its own namespace; a root that still shows one here is left, never deleted through.
    mounted = Path("/proc/mounts").read_text()
    if f" {root}/" in mounted or f" {root} " in mounted:
        raise RuntimeError(f"{root} still has mounts; not removing it")
    shutil.rmtree(root, ignore_errors=True)
