using System.Text.Json;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;

namespace Modulus.Sbom;

/// <summary>
/// The files of an image that say which packages it holds, as the merged file system has them:
/// dpkg's status database and each package's copyright file, npm's package.json files under
/// node_modules, .NET's *.deps.json files, and the Node.js runtimes under /opt/modulus/node.
/// Each is kept as the facts the SBOM needs from it (one line per package, tab-separated; see
/// the source types). Each layer is read once per machine: its facts are remembered in the blob
/// store under its diffID, so a derived image reads only its own new layers, and a few kilobytes
/// for the base's.
/// </summary>
public sealed class PackageRecords
{
    public static readonly UnixPath DpkgStatus = UnixPath.Parse("/var/lib/dpkg/status");
    public static readonly UnixPath NodeRoot = UnixPath.Parse("/opt/modulus/node");

    /// <summary>Larger record files are not package records Modulus knows (a deps.json of a large app is under 1 MiB).</summary>
    private const long MaxRecordBytes = 32 << 20;

    private PackageRecords(IReadOnlyDictionary<UnixPath, string> facts) => Facts = facts;

    /// <summary>Each record's path and facts, in the merged view (a whiteout or a later layer's file replaces a lower one).</summary>
    public IReadOnlyDictionary<UnixPath, string> Facts { get; }

    public static PackageRecords Read(IReadOnlyList<ILayer> layers, BlobStore store)
    {
        var merged = new SortedDictionary<UnixPath, string>();
        foreach (var layer in layers)
        {
            var record = LayerRecord.Of(layer, store);
            foreach (var hidden in record.Hidden.Select(p => UnixPath.Parse(p)))
                foreach (var path in merged.Keys.Where(p => p == hidden || p.IsUnder(hidden)).ToList()) merged.Remove(path);
            foreach (var opaque in record.Opaque.Select(p => UnixPath.Parse(p)))
                foreach (var path in merged.Keys.Where(p => p.IsUnder(opaque)).ToList()) merged.Remove(path);
            foreach (var replaced in record.Replaced.Select(p => UnixPath.Parse(p))) merged.Remove(replaced);
            foreach (var (path, facts) in record.Facts) merged[UnixPath.Parse(path)] = facts;
        }
        return new PackageRecords(merged);
    }

    /// <summary>Whether a path is a package record whose body this class reads.</summary>
    public static bool IsRecord(UnixPath path) =>
        path == DpkgStatus || DebianPackages.IsCopyright(path.Value) || DotNetPackages.IsDepsJson(path.Value) || NpmPackages.IsPackageJson(path.Value);

    /// <summary>A Node.js runtime's binary, /opt/modulus/node/VERSION/bin/node: a record by being there (its body is the runtime).</summary>
    public static bool IsNodeBinary(UnixPath path) =>
        path.IsUnder(NodeRoot) && path.Value.EndsWith("/bin/node", StringComparison.Ordinal) && path.Value.Count(c => c == '/') == 6;

    private static string FactsOf(UnixPath path, byte[] body) =>
        path == DpkgStatus ? DebianPackages.StatusFacts(body)
        : DebianPackages.IsCopyright(path.Value) ? DebianPackages.CopyrightFacts(body)
        : DotNetPackages.IsDepsJson(path.Value) ? DotNetPackages.Facts(body)
        : NpmPackages.Facts(body);

    /// <summary>What one layer adds and hides, as remembered: record facts, whiteouts, opaque folders and record paths it turns into something else.</summary>
    private sealed record LayerRecord(Dictionary<string, string> Facts, List<string> Hidden, List<string> Opaque, List<string> Replaced)
    {
        public static LayerRecord Of(ILayer layer, BlobStore store)
        {
            // "v2": which files count as records and what is kept of them; another Modulus reads each layer again.
            var memo = Path.Combine(store.Root, "package-records", "v2", layer.DiffId.Algorithm, layer.DiffId.Encoded + ".json");
            if (File.Exists(memo))
            {
                try
                {
                    if (JsonSerializer.Deserialize<LayerRecord>(File.ReadAllText(memo)) is { } known)
                    {
                        CacheUse.TouchFile(memo);
                        return known;
                    }
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
                    if (entry.Content is { } body) record.Facts[entry.Path.Value] = FactsOf(entry.Path, body);
                    else if (IsNodeBinary(entry.Path) && entry.Type is NodeType.File or NodeType.HardLink) record.Facts[entry.Path.Value] = string.Empty;
                    else if (IsRecord(entry.Path) || IsNodeBinary(entry.Path)) record.Replaced.Add(entry.Path.Value);
                }
            }
            AtomicFile.WriteAllText(memo, JsonSerializer.Serialize(record));
            return record;
        }
    }
}
