"""
The build backend of the iolink Python package (PEP 517, in the source tree, so that `pip install .` needs
nothing from PyPI): the wheel is the package's Python files plus, in iolink/_lib, the managed assemblies that
`dotnet publish` makes of src/IOLink.Python (ReadyToRun for this platform), and the runtimeconfig that starts
them. The sdist is the Python package with the C# sources it is built from.

Needs the .NET 10 SDK (`dotnet` on PATH, or DOTNET_ROOT) and the NuGet packages the projects restore (from
NuGet or from the machine's NuGet cache). Settings (pip: --config-settings KEY=VALUE, build: -C KEY=VALUE):
  assemblies=FOLDER   take the assemblies from FOLDER (a `dotnet publish` output) instead of building them
  readytorun=false    plain IL assemblies, tagged for this platform all the same (the loader is per platform)
"""

import base64
import csv
import hashlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

NAME = "iolink"
# What the sdist carries besides the Python package: the C# projects the wheel is built from, and their settings.
SDIST_SOURCES = ("src/IOLink", "src/IOLink.Zarr", "src/IOLink.Tiff", "src/IOLink.Hdf5", "src/IOLink.Python", "python", "Directory.Build.props",
                 "Directory.Build.targets", "Directory.Packages.props", "global.json", ".editorconfig", "LICENSE", "pyproject.toml")
ASSEMBLIES = ("IOLink.dll", "IOLink.Python.dll", "IOLink.Zarr.dll", "IOLink.Tiff.dll", "IOLink.Hdf5.dll", "PureHDF.dll", "Python.Runtime.dll",
              "ZstdSharp.dll")


class BuildError(Exception):
    """A build that cannot go on; the message says what to do."""


def _root():
    # PEP 517 runs the backend with the source tree (the folder of pyproject.toml) as the working directory.
    return os.path.abspath(os.getcwd())


def _version(root):
    with open(os.path.join(root, "Directory.Build.props"), encoding="utf-8") as f:
        found = re.search(r"<Version>\s*([^<\s]+)\s*</Version>", f.read())
    if not found:
        raise BuildError("Directory.Build.props has no <Version>: the project's one version is kept there")
    return found.group(1)


def _project(root):
    """The [project] table of pyproject.toml (tomllib where Python has it, else the few forms this file uses)."""
    path = os.path.join(root, "pyproject.toml")
    try:
        import tomllib
        with open(path, "rb") as f:
            return tomllib.load(f)["project"]
    except ImportError:
        pass
    table, section, key, values = {}, None, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if values is not None:
                if line.startswith("]"):
                    table[key], values = values, None
                elif line.startswith('"'):
                    values.append(line.rstrip(",").strip('"'))
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
            elif section == "project" and "=" in line:
                key, value = (part.strip() for part in line.split("=", 1))
                if value == "[":
                    values = []
                elif value.startswith("["):
                    table[key] = [v.strip().strip('"') for v in value.strip("[]").split(",") if v.strip()]
                else:
                    table[key] = value.strip('"')
    return table


def _metadata(root, version):
    project = _project(root)
    lines = ["Metadata-Version: 2.1", "Name: %s" % NAME, "Version: %s" % version,
             "Summary: %s" % project.get("description", ""), "Requires-Python: %s" % project.get("requires-python", ">=3.9")]
    licence = project.get("license")
    if isinstance(licence, str) and licence.startswith("{"):
        # The fallback reader keeps an inline table as text: {text = "MIT"}.
        found = re.search(r'text\s*=\s*"([^"]*)"', licence)
        licence = {"text": found.group(1)} if found else None
    if isinstance(licence, dict) and licence.get("text"):
        lines.append("License: %s" % licence["text"])
    lines += ["Classifier: %s" % c for c in project.get("classifiers", [])]
    lines += ["Requires-Dist: %s" % d for d in project.get("dependencies", [])]
    readme = project.get("readme")
    text = ""
    if readme:
        with open(os.path.join(root, readme), encoding="utf-8") as f:
            text = f.read()
        lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + text


def _platform():
    """(.NET runtime identifier, wheel platform tag) of this machine; the loader knows Linux and macOS."""
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if sys.platform.startswith("linux") and arch:
        return "linux-" + arch, "linux_" + ("x86_64" if arch == "x64" else "aarch64")
    if sys.platform == "darwin" and arch:
        return "osx-" + arch, "macosx_11_0_" + ("x86_64" if arch == "x64" else "arm64")
    raise BuildError("iolink is built for Linux and macOS on x86-64 and ARM64; this is %s on %s"
                     % (sys.platform, platform.machine()))


def _dotnet():
    for folder in (os.environ.get("DOTNET_ROOT"), None):
        candidate = os.path.join(folder, "dotnet") if folder else shutil.which("dotnet")
        if candidate and os.path.isfile(candidate):
            return candidate
    raise BuildError("building iolink needs the .NET 10 SDK (`dotnet` on PATH or in DOTNET_ROOT): "
                     "https://dotnet.microsoft.com/download/dotnet/10.0 (Debian/Ubuntu: sudo apt-get install dotnet-sdk-10.0)")


# The assemblies the wheel carries come from these projects: the Python bridge (with the core), and Zarr, TIFF and
# HDF5, which the package loads only when such a file is first used (IOLink.Python depends on none of them).
PROJECTS = ("IOLink.Python", "IOLink.Zarr", "IOLink.Tiff", "IOLink.Hdf5")


def _publish(root, rid, readytorun, output):
    environment = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
                       DOTNET_SKIP_FIRST_TIME_EXPERIENCE="1")
    for name in PROJECTS:
        project = os.path.join(root, "src", name, name + ".csproj")
        if not os.path.isfile(project):
            raise BuildError("%s is missing: build from a clone of the repository or from the sdist" % project)
        command = [_dotnet(), "publish", project, "-c", "Release", "-r", rid, "--self-contained", "false",
                   "-p:PublishReadyToRun=%s" % ("true" if readytorun else "false"), "-o", output,
                   "--verbosity", "quiet", "-nologo", "-clp:ErrorsOnly"]
        if not os.path.isdir(os.path.join(root, ".git")):
            # From an sdist: no repository for Source Link to describe, and a user's build stops on errors only.
            command += ["-p:EnableSourceLink=false", "-p:EnableSourceControlManagerQueries=false",
                        "-p:TreatWarningsAsErrors=false"]
        result = subprocess.run(command, cwd=root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise BuildError("dotnet publish of src/%s failed (exit %d):\n%s"
                             % (name, result.returncode, result.stdout.decode("utf-8", "replace")[-4000:]))


def _python_files(root):
    package = os.path.join(root, "python", NAME)
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(d for d in folders if d not in ("__pycache__", "_lib"))
        for name in sorted(files):
            if name.endswith((".py", ".pyi")) or name == "py.typed":
                if name == "_version.py" and folder == package:
                    continue
                path = os.path.join(folder, name)
                yield path, os.path.relpath(path, os.path.join(root, "python")).replace(os.sep, "/")


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return [name, "sha256=" + digest, str(len(data))]


def _epoch():
    # Reproducible archives when SOURCE_DATE_EPOCH says when (zip cannot store times before 1980).
    return max(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())), 315532800)


def _setting(config_settings, key, default):
    value = (config_settings or {}).get(key, default)
    return value[-1] if isinstance(value, list) else value


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    root = _root()
    version = _version(root)
    rid, tag = _platform()
    assemblies = _setting(config_settings, "assemblies", None)
    readytorun = str(_setting(config_settings, "readytorun", "true")).lower() not in ("false", "0", "no")
    with tempfile.TemporaryDirectory(prefix="iolink-wheel-") as scratch:
        if assemblies is None:
            assemblies = os.path.join(scratch, "publish")
            _publish(root, rid, readytorun, assemblies)
        missing = [a for a in ASSEMBLIES if not os.path.isfile(os.path.join(assemblies, a))]
        if missing:
            raise BuildError("%s has no %s: give the output of dotnet publish src/IOLink.Python"
                             % (assemblies, ", ".join(missing)))
        dist_info = "%s-%s.dist-info" % (NAME, version)
        wheel_name = "%s-%s-py3-none-%s.whl" % (NAME, version, tag)
        files = [(arcname, open(path, "rb").read()) for path, arcname in _python_files(root)]
        files.append(("%s/_version.py" % NAME, ('__version__ = "%s"\n' % version).encode("ascii")))
        for name in sorted(os.listdir(assemblies)):
            if name.endswith(".dll"):
                with open(os.path.join(assemblies, name), "rb") as f:
                    files.append(("%s/_lib/%s" % (NAME, name), f.read()))
        with open(os.path.join(root, "python", "iolink.runtimeconfig.json"), "rb") as f:
            files.append(("%s/_lib/iolink.runtimeconfig.json" % NAME, f.read()))
        files.append(("%s/METADATA" % dist_info, _metadata(root, version).encode("utf-8")))
        with open(os.path.join(root, "LICENSE"), "rb") as f:
            files.append(("%s/LICENSE" % dist_info, f.read()))   # the licence travels with the installed files
        # Not purelib: the assemblies carry native code for this platform, as the tag says.
        files.append(("%s/WHEEL" % dist_info, ("Wheel-Version: 1.0\nGenerator: iolink_build\nRoot-Is-Purelib: false\n"
                                                "Tag: py3-none-%s\n" % tag).encode("ascii")))
        files.append(("%s/top_level.txt" % dist_info, b"iolink\n"))
        record = io.StringIO()
        writer = csv.writer(record, lineterminator="\n")
        for arcname, data in files:
            writer.writerow(_record_line(arcname, data))
        writer.writerow(["%s/RECORD" % dist_info, "", ""])
        files.append(("%s/RECORD" % dist_info, record.getvalue().encode("utf-8")))
        stamp = time.gmtime(_epoch())[:6]
        os.makedirs(wheel_directory, exist_ok=True)
        partial = os.path.join(wheel_directory, ".%s.partial" % wheel_name)
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
                for arcname, data in files:
                    info = zipfile.ZipInfo(arcname, stamp)
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, data)
            os.replace(partial, os.path.join(wheel_directory, wheel_name))
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    root = _root()
    version = _version(root)
    base = "%s-%s" % (NAME, version)
    name = base + ".tar.gz"
    skip = {"bin", "obj", "__pycache__", ".pytest_cache", "_lib"}
    os.makedirs(sdist_directory, exist_ok=True)
    partial = os.path.join(sdist_directory, ".%s.partial" % name)
    epoch = _epoch()

    def normalized(info):
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = epoch
        info.mode = 0o755 if info.isdir() else 0o644
        return info

    try:
        with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            for entry in SDIST_SOURCES:
                path = os.path.join(root, entry)
                if os.path.isfile(path):
                    tar.add(path, "%s/%s" % (base, entry), filter=normalized)
                    continue
                if not os.path.isdir(path):
                    raise BuildError("%s is missing from the source tree" % entry)
                for folder, folders, files in os.walk(path):
                    folders[:] = sorted(d for d in folders if d not in skip)
                    for file_name in sorted(files):
                        full = os.path.join(folder, file_name)
                        if os.path.islink(full) or file_name.endswith(".pyc"):
                            continue
                        tar.add(full, "%s/%s" % (base, os.path.relpath(full, root).replace(os.sep, "/")),
                                filter=normalized)
            data = _metadata(root, version).encode("utf-8")
            info = normalized(tarfile.TarInfo("%s/PKG-INFO" % base))
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, os.path.join(sdist_directory, name))
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
