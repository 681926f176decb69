using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Report;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Report;

/// <summary>
/// image.html as a publish output: written with the set and named in modulus-image.json, gone
/// when ModulusImageReport is false, and a publish whose page is missing is not up to date.
/// </summary>
public class ImageReportOutputTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("image-report");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task The_page_is_written_with_the_outputs_and_goes_when_turned_off()
    {
        var page = Path.Combine(_temp.Path, "publish", ReportPage.FileName);
        var first = await ImagePublisher.PublishAsync(Plan(), RecordingLog.Clean(), CancellationToken.None);
        var report = first.Report;
        report.PagePath.ShouldBe(page);
        var html = File.ReadAllText(page);
        html.ShouldContain(report.ManifestDigest);
        html.ShouldContain("/usr/local/bin/tool.sh");
        html.ShouldContain("\"checks\":null", Case.Sensitive, "a plain image is not checked against the standard");

        var off = await ImagePublisher.PublishAsync(Plan() with { WriteImageReport = false }, RecordingLog.Clean(), CancellationToken.None);
        off.UpToDate.ShouldBeFalse("turning the page off is a change of the plan");
        File.Exists(page).ShouldBeFalse("the page of the previous publish is not left to describe another");
        off.Report.PagePath.ShouldBeNull();
        File.ReadAllText(off.ReportPath).ShouldNotContain("reportPath");
        off.Report.ManifestDigest.ShouldBe(report.ManifestDigest, "the page is no part of the image");
    }

    [Test]
    public async Task A_missing_page_is_written_again()
    {
        var page = Path.Combine(_temp.Path, "publish", ReportPage.FileName);
        await ImagePublisher.PublishAsync(Plan(), RecordingLog.Clean(), CancellationToken.None);
        (await ImagePublisher.PublishAsync(Plan(), RecordingLog.Clean(), CancellationToken.None)).UpToDate.ShouldBeTrue();
        File.Delete(page);
        (await ImagePublisher.PublishAsync(Plan(), RecordingLog.Clean(), CancellationToken.None)).UpToDate.ShouldBeFalse();
        File.Exists(page).ShouldBeTrue();
    }

    private ImagePlan Plan()
    {
        var folder = _temp.Path;
        var tool = Path.Combine(folder, "tool.sh");
        File.WriteAllText(tool, "#!/bin/sh\necho hello\n");
        File.SetLastWriteTimeUtc(tool, new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        return TestPlans.In(folder, Path.Combine(folder, "cache"), "report/image") with
        {
            Files = [new PlannedFile("tool.sh", tool, null, "/usr/local/bin/", "tool.sh", PermissionMode.Parse("0755", "tool.sh"), null, SourceLocation.Unknown)],
            Config = new ConfigChanges { Entrypoint = ["/usr/local/bin/tool.sh"] },
        };
    }
}
