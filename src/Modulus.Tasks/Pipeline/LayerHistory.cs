using Modulus.Report;

namespace Modulus.Pipeline;

/// <summary>
/// The history line ("created_by") of each kind of layer a publish appends. The lines are part of
/// the image's config, so of its digest, and the image report tells layers apart by them: one
/// place for both, so a line reworded here is still recognised there.
/// </summary>
public static class LayerHistory
{
    public const string Debian = "Modulus: Debian packages";
    public const string NpmPackages = "Modulus: npm packages";
    public const string DotnetMuxer = "Modulus: the dotnet muxer";
    public const string RunContract = "Modulus: run-image contract";
    public const string BuildContract = "Modulus: build-image contract";
    public const string Files = "Modulus: files of the project";
    public const string Config = "Modulus: config";

    private const string NodePrefix = "Modulus: Node.js ";
    private const string DotnetPrefix = "Modulus: .NET ";
    private const string AppPrefix = "Modulus: app ";

    /// <summary>The Debian layer names the requested packages after <see cref="Debian"/>.</summary>
    public static string DebianOf(IEnumerable<string> request) => Debian + " " + string.Join(' ', request);

    public static string Node(object node, object npm) => $"{NodePrefix}{node} with npm {npm}";

    public static string Dotnet(string version, IEnumerable<string> frameworks) => $"{DotnetPrefix}{version} ({string.Join(", ", frameworks)})";

    public static string App(string name) => AppPrefix + name;

    /// <summary>The report's kind (<see cref="LayerKinds"/>) of a layer with this history line.</summary>
    public static string KindOf(string createdBy) => createdBy switch
    {
        _ when createdBy.StartsWith(Debian, StringComparison.Ordinal) => LayerKinds.Debian,
        _ when createdBy.StartsWith(NodePrefix, StringComparison.Ordinal) => LayerKinds.Node,
        NpmPackages => LayerKinds.Npm,
        DotnetMuxer => LayerKinds.DotNet,
        _ when createdBy.StartsWith(DotnetPrefix, StringComparison.Ordinal) => LayerKinds.DotNet,
        RunContract or BuildContract => LayerKinds.Contract,
        Files => LayerKinds.Files,
        _ when createdBy.StartsWith(AppPrefix, StringComparison.Ordinal) => LayerKinds.App,
        _ => LayerKinds.Other,
    };
}
