using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// image.html of images/node (two platforms, three Node.js runtimes on images/base), opened in
/// Debian's headless Chromium: the page renders, its layer table, picture and checks agree with
/// modulus-image.json, it is small and ready within 2 s, and a screenshot is kept with the results.
/// </summary>
[NonParallelizable]
public class ImageReportPageTests
{
    private SdkWorkspace _workspace = null!;
    private PublishedNodeImage _image = null!;
    private HeadlessChromium _chromium = null!;
    private string _page = null!;
    private string _published = null!;

    [OneTimeSetUp]
    public void Publish()
    {
        _chromium = new HeadlessChromium();
        _workspace = new SdkWorkspace();
        var clock = Stopwatch.StartNew();
        _image = PublishedNodeImage.Publish(_workspace);
        _published = $"published images/node in {clock.Elapsed.TotalSeconds:0.0} s\n" + string.Join("\n",
            (_image.Build.Output + "\n" + _image.Build.Log).Split('\n').Where(l => l.Contains("image report") || l.Contains("Publish times")).Select(l => l.Trim()).Distinct());
        _page = Path.Combine(_image.Project.ImageFolder, "image.html");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _workspace?.Dispose();
        _chromium?.Dispose();
    }

    [Test]
    public void The_page_is_named_in_modulus_image_json_and_stays_small()
    {
        using var report = JsonDocument.Parse(File.ReadAllText(_image.Project.ReportPath));
        report.RootElement.GetProperty("reportPath").GetString().ShouldBe(_page);
        var size = new FileInfo(_page).Length;
        TestContext.Out.WriteLine($"image.html: {size:N0} bytes; {_published}");
        size.ShouldBeLessThan(5L << 20);
    }

    [Test]
    public void Chromium_renders_each_platform_with_the_layers_picture_and_checks_of_modulus_image_json()
    {
        using var report = JsonDocument.Parse(File.ReadAllText(_image.Project.ReportPath));
        var platforms = report.RootElement.GetProperty("platforms").EnumerateArray().ToArray();
        platforms.Length.ShouldBe(2);
        var dom = DumpDom("");
        dom.ShouldContain("data-ready=\"true\"");
        Attribute(dom, "data-platform").Order().ShouldBe(platforms.Select(p => p.GetProperty("platform").GetString()!).Append(platforms[0].GetProperty("platform").GetString()!).Order(),
            "a tab per platform, and the first one shown");
        dom.ShouldContain(report.RootElement.GetProperty("indexDigest").GetString()!);

        // The layer table is the first platform's layers, in order, with their digests.
        var digests = Attribute(dom, "data-digest");
        digests.ShouldBe(platforms[0].GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        Attribute(dom, "data-kind").ShouldContain("Node.js runtime");
        Attribute(dom, "data-kind").ShouldContain("contract");

        // The picture: hundreds of blocks, not an empty box.
        int.Parse(Attribute(dom, "data-rects").Single()).ShouldBeGreaterThan(100);

        // The checks: every rule, none failed (the publish would have stopped), the start's own proven.
        var codes = Attribute(dom, "data-code");
        codes.Count.ShouldBe(Modulus.Contract.ContractRules.All.Count);
        Attribute(dom, "data-verdict").ShouldNotContain("error");
        Regex.IsMatch(dom, "data-code=\"MOD4010\" data-verdict=\"pass\"").ShouldBeTrue("mop can write nowhere but /mnt");

        var renderMs = int.Parse(Attribute(dom, "data-render-ms").Single());
        TestContext.Out.WriteLine($"image.html ready {renderMs} ms after navigation");
        renderMs.ShouldBeLessThan(2000);
    }

    [Test]
    public void A_link_opens_the_picture_on_a_folder_coloured_by_Debian_package()
    {
        var dom = DumpDom("#folder=/opt/modulus/node&colour=package");
        Attribute(dom, "data-folder").Single().ShouldBe("/opt/modulus/node");
        Attribute(dom, "data-colour").Single().ShouldBe("package");
        dom.ShouldContain("26.12.1");
    }

    [Test]
    public void A_screenshot_of_the_report_is_kept()
    {
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "image-report-node.png");
        _chromium.Screenshot(_page, shot, 1400, 2200);
        var bytes = File.ReadAllBytes(shot);
        bytes[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        bytes.Length.ShouldBeGreaterThan(50_000, "a page drawn, not a blank one");
        TestContext.AddTestAttachment(shot, "image.html of images/node in headless Chromium");
    }

    private string DumpDom(string fragment) => _chromium.DumpDom(_page, fragment);

    private static List<string> Attribute(string dom, string name) => HeadlessChromium.Attribute(dom, name);
}
