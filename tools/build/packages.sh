# shellcheck shell=bash
# Sourced by build.sh (and packages.sh by .ci/run); not run on its own.
# The Debian packages each step needs, named once: build.sh installs a step's list when it is missing (as root),
# and .ci/run installs them all up front on a fresh machine.
packages_python="python3-numpy python3-pytest python3-hypothesis libpython3.11"      # real CPython and NumPy
packages_zarr="python3-zarr python3-numcodecs python3-dask python3-distributed libblosc1"   # Zarr's real clients, c-blosc
packages_wheel="python3-build python3-venv"                                         # the Python package, offline
packages_notebook="jupyter-nbconvert python3-ipykernel"                             # the notebook runner
packages_torch="python3-torch"                                                      # the DLPack client
packages_debootstrap="debootstrap"                                                  # the Debian 13 root
packages_fuzz="afl++"                                                               # bounded fuzzing

# Debian 13's Python stack, installed inside its root (see debian13.sh).
debian13_packages="python3 python3-numpy python3-pytest python3-hypothesis python3-venv python3-torch python3-zarr
  python3-numcodecs python3-dask python3-distributed python3-tifffile python3-h5py"
