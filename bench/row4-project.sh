#!/usr/bin/env bash
# Writes row 4's peer into FOLDER: for the image project PROJECT-FOLDER and each Modulus project
# it references (as images/node references images/base), a project with the same files, listed as
# items, whose build does nothing, with the same project references. Timing its build measures
# what any up-to-date build of that project graph costs: starting MSBuild, evaluating every
# project, restoring, checking inputs.
#
# usage: row4-project.sh PROJECT-FOLDER FOLDER
set -euo pipefail
project=$(realpath "$1") folder=$2
rm -rf "$folder" && mkdir -p "$folder"
folder=$(realpath "$folder")
echo '<Project />' >"$folder/Directory.Build.props"
echo '<Project />' >"$folder/Directory.Build.targets"

# mirror SOURCE-FOLDER NAME: the peer of one project, in FOLDER/NAME/NAME.csproj.
mirror() {
  local source=$1 name=$2 references=""
  mkdir -p "$folder/$name"
  (cd "$source" && find . -type f ! -name '*.csproj' ! -path './bin/*' ! -path './obj/*' -print0) |
    (cd "$source" && xargs -0 -r cp --parents -t "$folder/$name")
  echo '<Project />' >"$folder/$name/Directory.Build.props"
  for csproj in "$source"/*.csproj; do
    for reference in $(grep -oE '<ProjectReference Include="[^"]+"' "$csproj" | sed -E 's/.*Include="([^"]+)"/\1/'); do
      local referenced
      referenced=$(basename "$(dirname "$reference")")
      mirror "$(realpath "$source/$(dirname "$reference")")" "$referenced"
      references+="    <ProjectReference Include=\"../$referenced/$referenced.csproj\" />"$'\n'
    done
  done
  cat >"$folder/$name/$name.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <None Include="**/*" Exclude="bin/**;obj/**;*.csproj" />
$references  </ItemGroup>
</Project>
XML
}
mirror "$project" "$(basename "$project")"
