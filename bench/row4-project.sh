#!/usr/bin/env bash
# Writes row 4's peer into FOLDER/empty.csproj: a project of the same shape as the image project
# PROJECT-FOLDER (its files, listed as items) whose build does nothing, so timing it measures what
# any up-to-date build costs: starting MSBuild, evaluating, restoring, checking inputs.
#
# usage: row4-project.sh PROJECT-FOLDER FOLDER
set -euo pipefail
project=$1 folder=$2
rm -rf "$folder" && mkdir -p "$folder"
(cd "$project" && find . -type f ! -name '*.csproj' ! -path './bin/*' ! -path './obj/*' -print0) |
  (cd "$project" && xargs -0 -r cp --parents -t "$(realpath "$folder")")
echo '<Project />' >"$folder/Directory.Build.props"
echo '<Project />' >"$folder/Directory.Build.targets"
cat >"$folder/empty.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <None Include="**/*" Exclude="bin/**;obj/**;*.csproj" />
  </ItemGroup>
</Project>
XML
