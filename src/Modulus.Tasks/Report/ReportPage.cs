using System.Text.Json;
using Modulus.Storage;

namespace Modulus.Report;

/// <summary>
/// image.html: <see cref="ImageContents"/> as JSON inside one self-contained page (its styles and
/// script inline, nothing fetched), readable offline in any browser.
/// </summary>
public static class ReportPage
{
    public const string FileName = "image.html";

    private const string Placeholder = "/*DATA*/";

    /// <summary>
    /// Compact, and with the default encoder, which writes '&lt;', '&gt;' and '&amp;' as \u escapes:
    /// a label holding "&lt;/script&gt;" cannot end the data block.
    /// </summary>
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(ReportPage).Assembly.GetManifestResourceStream("Modulus.Report.image-report.html")
            ?? throw new InvalidOperationException("The image report's page is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The page of <paramref name="contents"/>.</summary>
    public static string Render(ImageContents contents) =>
        Template.Value.Replace(Placeholder, JsonSerializer.Serialize(contents, Options), StringComparison.Ordinal);

    /// <summary>The contents a page at <paramref name="path"/> shows, read back from its data block; null when it is missing or not such a page.</summary>
    public static ImageContents? TryReadContents(string path)
    {
        const string open = "<script type=\"application/json\" id=\"data\">";
        try
        {
            var page = File.ReadAllText(path);
            var start = page.IndexOf(open, StringComparison.Ordinal);
            var end = start < 0 ? -1 : page.IndexOf("</script>", start, StringComparison.Ordinal);
            return end < 0 ? null : JsonSerializer.Deserialize<ImageContents>(page.AsSpan(start + open.Length, end - start - open.Length), Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the page through a temporary file beside <paramref name="path"/>.</summary>
    public static void Write(string path, ImageContents contents) => AtomicFile.WriteAllText(path, Render(contents));
}
