using System.Text.RegularExpressions;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// Debian's chromium in headless mode, with a profile of its own (removed by <see cref="Dispose"/>):
/// a page's DOM once its scripts ran, and screenshots. Missing, it skips the test, or fails it in CI.
/// </summary>
public sealed partial class HeadlessChromium : IDisposable
{
    private readonly string _chromium = Tools.Require("chromium");
    private readonly TempDirectory _profile = new("chromium");

    private string[] Flags => ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + _profile.Path];

    /// <summary>The DOM of the page at <paramref name="path"/> (with <paramref name="fragment"/>, "#..."), after its inline scripts ran.</summary>
    public string DumpDom(string path, string fragment = "") =>
        Tools.RunChecked(_chromium, [.. Flags, "--dump-dom", new Uri(path).AbsoluteUri + fragment], TimeSpan.FromMinutes(2)).StdOut;

    /// <summary>Draws the page at <paramref name="path"/> into the PNG file <paramref name="png"/>.</summary>
    public void Screenshot(string path, string png, int width, int height) =>
        Tools.RunChecked(_chromium, [.. Flags, $"--window-size={width},{height}", "--screenshot=" + png, new Uri(path).AbsoluteUri], TimeSpan.FromMinutes(2));

    /// <summary>Every value of the attribute <paramref name="name"/> in a dumped DOM, in document order.</summary>
    public static List<string> Attribute(string dom, string name) =>
        Regex.Matches(dom, $"\\s{Regex.Escape(name)}=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    public void Dispose() => _profile.Dispose();
}
