#!/usr/bin/env bash
# Writes row 2's projects into FOLDER: app/, a small ASP.NET app (the peer publishes it with the
# .NET SDK's PublishContainer), and inapp/, the same app with its image in its own project
# (`<Sdk Name="Modulus.Sdk" />`, the in-app form) on BASE, a registry reference.
# Both stand for a user's projects, so the repository's build settings are kept out of them.
#
# usage: row2-projects.sh FOLDER BASE
set -euo pipefail
folder=$1 base=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$folder/app"
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
# The in-app form: the same app with Modulus.Sdk added to its own project, so one publish of it
# makes the image. A copy of app/, since app/ itself must stay a plain app for the peer (with
# Modulus.Sdk its PublishContainer would be ours).
mkdir -p "$folder/inapp/wwwroot"
cp "$folder/app/Program.cs" "$folder/inapp/Program.cs"
[[ -f $folder/inapp/wwwroot/stamp.txt ]] || cp "$folder/app/wwwroot/stamp.txt" "$folder/inapp/wwwroot/stamp.txt"
cat >"$folder/inapp/inapp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <Sdk Name="Modulus.Sdk" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <AssemblyName>app</AssemblyName>
    <ModulusBaseImage>$base</ModulusBaseImage>
    <ContainerRepository>bench/app</ContainerRepository>
    <ContainerWorkingDirectory>/app</ContainerWorkingDirectory>
    <!-- The bench's bases hold no .NET runtime, so the run-image rules (a command that exists,
         supervisord, the app's framework) cannot hold; the peer checks nothing either.
         Validation is row 5's. -->
    <ModulusImageKind>plain</ModulusImageKind>
  </PropertyGroup>
  <ItemGroup>
    <ContainerAppCommand Include="dotnet;/app/app.dll" />
  </ItemGroup>
</Project>
XML
