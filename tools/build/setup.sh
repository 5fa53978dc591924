# shellcheck shell=bash
# Sourced by build.sh; not run on its own.
# The SDK and the Debian packages a step needs.

setup() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET 10 SDK is needed (dotnet on PATH); see https://dotnet.microsoft.com/download" >&2
    exit 1
  fi
  dotnet restore IOLink.slnx --verbosity quiet
}

# Debian packages a step needs: CHECK (a shell test) decides whether they are there; when they are missing and we
# are root they are installed, otherwise the apt-get command is printed and, unless NEED is "optional", the
# build stops. Usage: apt_need NEED "CHECK" "what they are for" PACKAGE...
apt_need() {
  local need=$1 check=$2 purpose=$3
  shift 3
  if eval "$check" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing $* (Debian packages, $purpose)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    return 0
  fi
  echo "build.sh: $purpose needs: sudo apt-get install $*" >&2
  [ "$need" = optional ] || exit 1
}

# Real CPython with NumPy (and pytest, hypothesis and pandas for the tests).
python_setup() {
  apt_need "$1" "/usr/bin/python3 -c 'import numpy, pytest, hypothesis, pandas, tifffile, PIL, h5py' && ls /usr/lib/*/libpython3*.so*" \
    "NumPy interop" $packages_python
}

# zarr-python, numcodecs (whose codecs the tests call directly), Dask (and its distributed scheduler) and c-blosc:
# the real clients of the Zarr tests.
zarr_setup() {
  apt_need "$1" "/usr/bin/python3 -c 'import zarr, numcodecs, dask.array, distributed' && ls /usr/lib/*/libblosc.so.1" \
    "Zarr interop" $packages_zarr
}

# Debian's offline packaging tools and venv, the notebook runner, and PyTorch (without it the DLPack tests skip).
wheel_setup() {
  apt_need required "/usr/bin/python3 -c 'import build, venv, ensurepip'" "the Python package" $packages_wheel
}

notebook_setup() {
  apt_need required "command -v jupyter-nbconvert && /usr/bin/python3 -c 'import ipykernel'" "the notebook test" $packages_notebook
}

torch_setup() {
  apt_need optional "/usr/bin/python3 -c 'import torch'" "the DLPack tests" $packages_torch
}

# nginx, the real HTTP server the remote-data tests start on a loopback port of their own (never as a service).
remote_setup() {
  apt_need required "test -x /usr/sbin/nginx" "the remote-data tests (nginx)" $packages_remote
}

# zarrita, the second (JavaScript) Zarr v3 client of the Zarr tests: Node.js and npm from Debian when missing, then
# the exact versions of tests/IOLink.Zarr.Tests/zarrita/package-lock.json, with npm ci, into artifacts/zarrita.
zarrita_setup() {
  apt_need required "command -v node && command -v npm" "the zarrita tests (Node.js)" $packages_node
  local lock=tests/IOLink.Zarr.Tests/zarrita/package-lock.json dest=artifacts/zarrita
  if [ -d "$dest/node_modules/zarrita" ] && cmp -s "$lock" "$dest/package-lock.json"; then
    return 0
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  cp tests/IOLink.Zarr.Tests/zarrita/package.json "$lock" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
    echo "build.sh: npm ci of zarrita failed (the npm registry must be reachable once)" >&2; exit 1; }
}
