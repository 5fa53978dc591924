# shellcheck shell=bash
# Sourced by build.sh; not run on its own.
# Debian 13's Python stack (Python 3.13, NumPy 2.2, torch 2.6, zarr-python 3, Dask 2024.12): the suite runs there
# too, in a minimal root made once by debootstrap and kept between runs. Nothing there is ours but a venv made fresh
# each run; .NET and this folder are bind-mounted in a private mount namespace that ends with the command.
debian13_root=${IOLINK_DEBIAN13_ROOT:-/var/cache/iolink/debian13}

# The root is taken as it is only when it is complete (its stamp names the package list), root's and not writable
# by anyone else: a root another user could change would run their code as root.
debian13_usable() {
  [ -f "$debian13_root/.iolink-stack" ] && [ "$(stat -c '%u %a' "$debian13_root")" = "0 755" ] &&
    [ "$(cat "$debian13_root/.iolink-stack")" = "$(echo $debian13_packages $debian13_extra)" ]
}

# Makes (or completes) the root. Returns 1, having said how to make it, when it is missing and we cannot.
debian13_setup() {
  debian13_usable && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: Debian 13's Python stack is not set up ($debian13_root); make it once with: sudo ./build.sh python-stack" >&2
    return 1
  fi
  apt_need required "command -v debootstrap" "Debian 13's Python stack" $packages_debootstrap
  local mirror partial=$debian13_root.partial packages
  packages=$(echo $debian13_packages | tr ' ' ',')
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  mirror=${mirror:-$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "build.sh: making Debian 13's Python stack in $debian13_root (debootstrap from $mirror, once; a few minutes)"
  rm -rf "$partial" "$debian13_root"
  mkdir -p "$(dirname "$debian13_root")"
  # debootstrap mounts proc inside the root while it works: in its own mount namespace those mounts end with it,
  # and the clean-up below never sees them.
  trap 'rm -rf --one-file-system "$partial"' EXIT
  unshare --mount --propagation private -- debootstrap --variant=minbase --include="$packages" trixie "$partial" "$mirror" >"$partial.log" 2>&1 || {
    echo "build.sh: debootstrap failed; see $partial.log" >&2; tail -n 20 "$partial.log" >&2
    rm -rf --one-file-system "$partial"; trap - EXIT; return 1; }
  # shellcheck disable=SC2086 # the list is words
  unshare --mount --propagation private -- /bin/sh -c '
    set -e
    mount -t proc proc "$1/proc"
    mount --rbind /dev "$1/dev"
    root=$1
    shift
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "$@"
  ' sh "$partial" $debian13_extra >>"$partial.log" 2>&1 || {
    echo "build.sh: installing $debian13_extra in Debian 13's root failed; see $partial.log" >&2; tail -n 20 "$partial.log" >&2
    rm -rf --one-file-system "$partial"; trap - EXIT; return 1; }
  rm -f "$partial.log"
  rm -rf "$partial/var/cache/apt/archives/"*.deb
  echo $debian13_packages $debian13_extra >"$partial/.iolink-stack"
  chmod 755 "$partial"
  mv "$partial" "$debian13_root"
  trap - EXIT
}

# Runs a command inside the root, in this folder (mounted at the same path) with .NET mounted read-only.
debian13_run() {
  local dotnet_dir
  dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")")
  unshare --mount --propagation private -- /bin/sh -c '
    set -e
    root=$1 dotnet_dir=$2 here=$3
    shift 3
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    mkdir -p "$root$dotnet_dir" "$root$here"
    mount --bind "$dotnet_dir" "$root$dotnet_dir"
    mount -o remount,bind,ro "$root$dotnet_dir"
    mount --bind "$here" "$root$here"
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" DOTNET_ROOT="$dotnet_dir" \
      DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PATH="/usr/local/bin:/usr/bin:/bin:$dotnet_dir" \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$here" "$@"
  ' sh "$debian13_root" "$dotnet_dir" "$PWD" "$@"
}

# A fresh venv of Debian 13's python3 that sees its packages, with the wheel ($wheel) installed.
debian13_venv() {
  debian13_run /bin/sh -c 'rm -rf artifacts/venv-debian13 && python3 -m venv --system-site-packages artifacts/venv-debian13 &&
    artifacts/venv-debian13/bin/python -m pip install --quiet --no-deps --no-index --disable-pip-version-check "$0"' "$wheel"
}

debian13_versions() {
  debian13_run python3 -c 'import sys, numpy, torch, zarr; print("build.sh: Debian 13: Python %s, NumPy %s, torch %s, zarr-python %s" % (sys.version.split()[0], numpy.__version__, torch.__version__, zarr.__version__))'
}

# The Python suite under Debian 13's python3, the wheel installed in a fresh venv of that Python. A missing stack
# fails the run in CI and is counted as one skipped suite elsewhere (said above the summary, never silent).
debian13_pytest() {
  if ! debian13_setup; then
    if [ -n "${CI:-}" ]; then
      touch "$results/pytest-debian13.crashed"
      return 1
    fi
    printf '<testsuite name="debian13" tests="1" failures="0" errors="0" skipped="1"></testsuite>\n' >"$results/pytest-debian13.xml"
    return 0
  fi
  debian13_versions
  debian13_venv
  run_pytest debian13 debian13_run artifacts/venv-debian13/bin/python -m pytest tests/python
}
