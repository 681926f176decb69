using System.Text.Json;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>What one dotnet run said: its exit code, its console output and its detailed log file.</summary>
internal sealed record BuildResult(int ExitCode, string Output, string Log, string? PropertyValue)
{
    public override string ToString() => $"exit {ExitCode}\n--- console ---\n{Output}\n--- build log ---\n{Log}";
}

/// <summary>A Modulus.Sdk project in a temp folder of an <see cref="SdkWorkspace"/>.</summary>
internal sealed class SampleProject(SdkWorkspace workspace, string folder, string name)
{
    public string Folder { get; } = folder;

    public string ProjectPath => Path.Combine(Folder, name + ".csproj");

    public string PublishFolder => Path.Combine(Folder, "bin", "Release", "net10.0", "publish");

    /// <summary>Where the image's outputs go: the publish folder of an image project; an app with the in-app form says its own.</summary>
    public string ImageFolder { get; set; } = Path.Combine(folder, "bin", "Release", "net10.0", "publish");

    public string ReportPath => Path.Combine(ImageFolder, "modulus-image.json");

    public string ArchivePath => Path.Combine(ImageFolder, "image.tar");

    public string LayoutPath => Path.Combine(ImageFolder, "oci-layout");

    public void WriteProject(string xml) => File.WriteAllText(ProjectPath, xml);

    public string WriteFile(string relative, string content)
    {
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The 1-based line of the first line of the project containing <paramref name="text"/>.</summary>
    public int LineOf(string text) => Array.FindIndex(File.ReadAllLines(ProjectPath), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    /// <summary>
    /// `dotnet publish`, printing ModulusImageDigest; the detailed log goes to a file.
    /// <paramref name="properties"/> are global properties, each <c>Name=Value</c>.
    /// </summary>
    public BuildResult Publish(params string[] properties) =>
        Run("publish", ["-getProperty:ModulusImageDigest", .. properties.Select(p => "-p:" + p)]);

    public BuildResult Build() => Run("build");

    /// <summary>`dotnet build -t:<paramref name="target"/>`; <paramref name="properties"/> are global properties, each <c>Name=Value</c>.</summary>
    public BuildResult RunTarget(string target, params string[] properties) =>
        Run("build", ["-t:" + target, .. properties.Select(p => "-p:" + p)]);

    /// <summary>
    /// The value of <paramref name="property"/> after evaluation (no target runs), with
    /// <paramref name="environment"/> changing the workspace's environment (null removes a variable).
    /// </summary>
    public BuildResult Evaluate(string property, IReadOnlyDictionary<string, string?> environment) =>
        Run("msbuild", environment, "-getProperty:" + property);

    /// <summary>`dotnet publish` with <paramref name="arguments"/> as given: the console shows what a user sees at that verbosity.</summary>
    public BuildResult PublishWith(params string[] arguments) => Run("publish", arguments);

    /// <summary>`dotnet publish -t:PublishContainer`, the .NET SDK's push command, printing ModulusPushedDigest.</summary>
    public BuildResult PublishContainer() => Run("publish", "-t:PublishContainer", "-getProperty:ModulusPushedDigest");

    /// <summary>The manifest digest modulus-image.json records.</summary>
    public string ReportedDigest()
    {
        using var report = JsonDocument.Parse(File.ReadAllText(ReportPath));
        return report.RootElement.GetProperty("manifestDigest").GetString()!;
    }

    /// <summary>The config JSON of the image the OCI layout's index points at.</summary>
    public string ReadLayoutConfig()
    {
        string Blob(string digest) => File.ReadAllText(Path.Combine(LayoutPath, "blobs", "sha256", digest["sha256:".Length..]));
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(LayoutPath, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(Blob(manifestDigest));
        return Blob(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
    }

    /// <summary>The encoded digests of the image's layers, bottom first (of the manifest <paramref name="manifestDigest"/>, else the layout's first).</summary>
    public IReadOnlyList<string> LayerDigests(string? manifestDigest = null)
    {
        string Blob(string digest) => File.ReadAllText(Path.Combine(LayoutPath, "blobs", "sha256", digest["sha256:".Length..]));
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(LayoutPath, "index.json")));
        using var manifest = JsonDocument.Parse(Blob(manifestDigest ?? index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!));
        return manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => l.GetProperty("digest").GetString()!["sha256:".Length..]).ToArray();
    }

    /// <summary>The entries of the image's top layer (of the manifest <paramref name="manifestDigest"/>, else the layout's first): name, mode, uid and gid.</summary>
    public IReadOnlyList<(string Name, int Mode, int Uid, int Gid)> ReadTopLayer(string? manifestDigest = null)
    {
        string BlobPath(string digest) => Path.Combine(LayoutPath, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(LayoutPath, "index.json")));
        manifestDigest ??= index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllText(BlobPath(manifestDigest)));
        var layers = manifest.RootElement.GetProperty("layers");
        var top = layers[layers.GetArrayLength() - 1].GetProperty("digest").GetString()!;
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(BlobPath(top)), System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        var entries = new List<(string, int, int, int)>();
        while (tar.GetNextEntry() is { } entry) entries.Add((entry.Name.TrimEnd('/'), (int)entry.Mode, entry.Uid, entry.Gid));
        return entries;
    }

    /// <summary>The text of one file of the image's top layer, by its name in the tar ("app/app.deps.json").</summary>
    public string ReadTopLayerFile(string name) => System.Text.Encoding.UTF8.GetString(ReadTopLayerBytes(name));

    /// <summary>The bytes of one file of the top layer (of the manifest <paramref name="manifestDigest"/>, else the layout's first).</summary>
    public byte[] ReadTopLayerBytes(string name, string? manifestDigest = null) =>
        ReadLayerBytes(LayerDigests(manifestDigest)[^1], name) ?? throw new FileNotFoundException($"{name} is not in the top layer", name);

    /// <summary>The bytes of one file of the image (of the manifest <paramref name="manifestDigest"/>), from the highest layer that has it.</summary>
    public byte[] ReadImageFileBytes(string name, string manifestDigest) =>
        LayerDigests(manifestDigest).Reverse().Select(layer => ReadLayerBytes(layer, name)).FirstOrDefault(b => b is not null)
        ?? throw new FileNotFoundException($"{name} is not in the image {manifestDigest}", name);

    private byte[]? ReadLayerBytes(string layer, string name)
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(LayoutPath, "blobs", "sha256", layer)), System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != name || entry.DataStream is null) continue;
            using var bytes = new MemoryStream();
            entry.DataStream.CopyTo(bytes);
            return bytes.ToArray();
        }
        return null;
    }

    private BuildResult Run(string verb, params string[] extra) => Run(verb, new Dictionary<string, string?>(), extra);

    private BuildResult Run(string verb, IReadOnlyDictionary<string, string?> environment, params string[] extra)
    {
        var log = Path.Combine(Folder, $"{verb}-{Guid.NewGuid():N}.log");
        var variables = workspace.Environment();
        foreach (var (name, value) in environment) variables[name] = value;
        var result = Tools.Run("dotnet",
            [verb, ProjectPath, "-nodeReuse:false", "-nologo", $"-flp:logfile={log};verbosity=normal", .. extra],
            TimeSpan.FromMinutes(5), Folder, variables);
        var logText = File.Exists(log) ? File.ReadAllText(log) : string.Empty;
        var property = extra.Length > 0 && result.ExitCode == 0 ? result.StdOut.Trim() : null;
        return new BuildResult(result.ExitCode, result.StdOut + result.StdErr, logText, property);
    }
}
