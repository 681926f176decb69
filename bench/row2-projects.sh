#!/usr/bin/env bash
# Writes row 2's projects into FOLDER: app/, a small ASP.NET app, and image/, a Modulus.Sdk
# project referencing it with Destination="/app/" (one `dotnet publish` of image/ publishes the
# app into the image) on BASE, a registry reference.
# Both stand for a user's projects, so the repository's build settings are kept out of them.
#
# usage: row2-projects.sh FOLDER BASE
set -euo pipefail
folder=$1 base=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$folder/app" "$folder/image"
echo '<Project />' >"$folder/Directory.Build.props"
echo '<Project />' >"$folder/Directory.Build.targets"
cat >"$folder/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="modulus-local" value="$root/artifacts/feed" />
  </packageSources>
</configuration>
XML
cat >"$folder/app/app.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <ContainerRepository>bench/app</ContainerRepository>
  </PropertyGroup>
</Project>
XML
# Row 2b changes this static file before each run: a publish with no compile.
mkdir -p "$folder/app/wwwroot"
[[ -f $folder/app/wwwroot/stamp.txt ]] || echo 0 >"$folder/app/wwwroot/stamp.txt"
[[ -f $folder/app/Program.cs ]] || cat >"$folder/app/Program.cs" <<'CS'
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "hello");
app.Run();
CS
cat >"$folder/image/image.csproj" <<XML
<Project Sdk="Modulus.Sdk">
  <PropertyGroup>
    <ModulusBaseImage>$base</ModulusBaseImage>
    <ContainerRepository>bench/app</ContainerRepository>
    <ContainerWorkingDirectory>/app</ContainerWorkingDirectory>
    <!-- The bench's bases hold no .NET runtime, so the run-image rules (a command that exists,
         supervisord) cannot hold; the peer checks nothing either. Validation is row 5's. -->
    <ModulusImageKind>plain</ModulusImageKind>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="../app/app.csproj" Destination="/app/" />
    <ContainerAppCommand Include="dotnet;/app/app.dll" />
  </ItemGroup>
</Project>
XML
