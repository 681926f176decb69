using System.Text.Json;
using Modulus.Diagnostics;

namespace Modulus.DotNet;

/// <summary>A framework an app asks for in its runtimeconfig.json: name, lowest version, and its own rollForward if it sets one.</summary>
public sealed record FrameworkReference(string Name, FrameworkVersion Version, string? RollForward);

/// <summary>
/// What an app's <c>*.runtimeconfig.json</c> says about the frameworks it runs on. A
/// framework-dependent app lists them under runtimeOptions.framework or .frameworks; a
/// self-contained app lists includedFrameworks instead and needs none from the image.
/// </summary>
public sealed record RuntimeConfig(IReadOnlyList<FrameworkReference> Frameworks, string? RollForward)
{
    public bool IsFrameworkDependent => Frameworks.Count > 0;

    /// <summary>Reads the file's text; <paramref name="name"/> (the file as the app publishes it) goes into MOD5046.</summary>
    public static RuntimeConfig Parse(string json, string app, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("runtimeOptions", out var options) || options.ValueKind != JsonValueKind.Object)
                return new RuntimeConfig([], null);
            var references = new List<FrameworkReference>();
            if (options.TryGetProperty("framework", out var single)) references.Add(Reference(single, app, name));
            if (options.TryGetProperty("frameworks", out var many) && many.ValueKind == JsonValueKind.Array)
                references.AddRange(many.EnumerateArray().Select(f => Reference(f, app, name)));
            return new RuntimeConfig(references, Text(options, "rollForward"));
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.AppRuntimeConfigInvalid, app, name, e.Message.TrimEnd('.'));
        }
    }

    private static FrameworkReference Reference(JsonElement framework, string app, string name)
    {
        var frameworkName = Text(framework, "name");
        var version = Text(framework, "version");
        if (frameworkName is null || version is null || !FrameworkVersion.TryParse(version, out var parsed))
            throw new ModulusException(Errors.AppRuntimeConfigInvalid, app, name, $"a framework reference needs a name and a version of the form 10.0.0, and one reads {framework.GetRawText()}");
        return new FrameworkReference(frameworkName, parsed, Text(framework, "rollForward"));
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
