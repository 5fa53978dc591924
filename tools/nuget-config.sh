#!/usr/bin/env bash
# Writes FEED/nuget.config: IOLink's packages from FEED (a folder of .nupkg files, as ./build.sh pack makes), every other
# package from nuget.org. Package source mapping names where each package may come from, so a package of the same name
# on another feed never wins, and `dotnet add package` finds IOLink's dependencies (ZstdSharp.Port, pythonnet, ...)
# where `--source FEED` alone would hide them. A project takes it by having it in its folder.
set -euo pipefail
feed=$(cd "${1:?usage: tools/nuget-config.sh FEED}" && pwd)
cat >"$feed/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="iolink-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="iolink-local"><package pattern="IOLink*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
