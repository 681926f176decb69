using System.Text.Json;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;

namespace Modulus.Sbom;

/// <summary>
/// The files of an image that say which packages it holds, as the merged file system has them:
/// dpkg's status database and each package's copyright file, npm's package.json files under
/// node_modules, .NET's *.deps.json files, and the Node.js runtimes under /opt/modulus/node.
/// Each layer is read once per machine: what it holds is remembered in the blob store under its
/// diffID, so a derived image reads only its own new layers.
/// </summary>
public sealed class PackageRecords
{
    public static readonly UnixPath DpkgStatus = UnixPath.Parse("/var/lib/dpkg/status");
    public static readonly UnixPath NodeRoot = UnixPath.Parse("/opt/modulus/node");

    /// <summary>Larger record files are not package records Modulus knows (a deps.json of a large app is under 1 MiB).</summary>
    private const long MaxRecordBytes = 32 << 20;

    private PackageRecords(IReadOnlyDictionary<UnixPath, byte[]> files) => Files = files;

    /// <summary>Each record file's path and body, in the merged view (a whiteout or a later layer's file replaces a lower one).</summary>
    public IReadOnlyDictionary<UnixPath, byte[]> Files { get; }

    public static PackageRecords Read(IReadOnlyList<ILayer> layers, BlobStore store)
    {
        var merged = new SortedDictionary<UnixPath, byte[]>();
        foreach (var layer in layers)
        {
            var record = LayerRecord.Of(layer, store);
            foreach (var hidden in record.Hidden.Select(p => UnixPath.Parse(p)))
                foreach (var path in merged.Keys.Where(p => p == hidden || p.IsUnder(hidden)).ToList()) merged.Remove(path);
            foreach (var opaque in record.Opaque.Select(p => UnixPath.Parse(p)))
                foreach (var path in merged.Keys.Where(p => p.IsUnder(opaque)).ToList()) merged.Remove(path);
            foreach (var replaced in record.Replaced.Select(p => UnixPath.Parse(p))) merged.Remove(replaced);
            foreach (var (path, body) in record.Files) merged[UnixPath.Parse(path)] = Convert.FromBase64String(body);
        }
        return new PackageRecords(merged);
    }

    /// <summary>Whether a path is a package record whose body this class keeps.</summary>
    public static bool IsRecord(UnixPath path)
    {
        var value = path.Value;
        if (path == DpkgStatus) return true;
        if (value.StartsWith("/usr/share/doc/", StringComparison.Ordinal) && value.EndsWith("/copyright", StringComparison.Ordinal)
            && value.Count(c => c == '/') == 5) return true;
        if (value.EndsWith(".deps.json", StringComparison.Ordinal)) return true;
        return NpmPackages.IsPackageJson(value);
    }

    /// <summary>A Node.js runtime's binary, /opt/modulus/node/VERSION/bin/node: a record by being there (its body is the runtime).</summary>
    public static bool IsNodeBinary(UnixPath path) =>
        path.IsUnder(NodeRoot) && path.Value.EndsWith("/bin/node", StringComparison.Ordinal) && path.Value.Count(c => c == '/') == 6;

    /// <summary>What one layer adds and hides, as remembered: record files (base64 bodies), whiteouts, opaque folders and record paths it turns into something else.</summary>
    private sealed record LayerRecord(Dictionary<string, string> Files, List<string> Hidden, List<string> Opaque, List<string> Replaced)
    {
        public static LayerRecord Of(ILayer layer, BlobStore store)
        {
            // "v1": which files count as records; a Modulus that counts others reads each layer again.
            var memo = Path.Combine(store.Root, "package-records", "v1", layer.DiffId.Algorithm, layer.DiffId.Encoded + ".json");
            if (File.Exists(memo))
            {
                try
                {
                    if (JsonSerializer.Deserialize<LayerRecord>(File.ReadAllText(memo)) is { } known) return known;
                }
                catch (JsonException)
                {
                    // A memo cut short by a crash is read again from the layer.
                }
            }
            var record = new LayerRecord([], [], [], []);
            var options = LayerReaderOptions.HeadersOnly with { MaxCaptureBytes = MaxRecordBytes, CaptureWhere = IsRecord };
            using (var tar = layer.OpenTar())
            {
                foreach (var entry in LayerReader.Read(tar, layer.Digest.ToString(), options))
                {
                    switch (entry.Marker)
                    {
                        case LayerEntryMarker.Whiteout: record.Hidden.Add(entry.Path.Value); continue;
                        case LayerEntryMarker.OpaqueDirectory: record.Opaque.Add(entry.Path.Value); continue;
                    }
                    if (entry.Content is { } body) record.Files[entry.Path.Value] = Convert.ToBase64String(body);
                    else if (IsNodeBinary(entry.Path) && entry.Type is NodeType.File or NodeType.HardLink) record.Files[entry.Path.Value] = string.Empty;
                    else if (IsRecord(entry.Path) || IsNodeBinary(entry.Path)) record.Replaced.Add(entry.Path.Value);
                }
            }
            AtomicFile.WriteAllText(memo, JsonSerializer.Serialize(record));
            return record;
        }
    }
}
