using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Engineering;

/// <summary>
/// eng/test-summary.py, which eng/test.sh ends with: in CI a skipped test fails the run unless
/// eng/allowed-skips.txt lists it; elsewhere the skips are listed by reason with the command that
/// installs the tools.
/// </summary>
public class TestSummaryTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        Tools.Require("python3");
        _temp = new TempDirectory("test-summary");
        WriteTrx(_temp.Combine("results", "tests.trx"),
            ("Modulus.Tests.Sample.Passes", "Passed", null),
            ("Modulus.Tests.Sample.NeedsSkopeo", "NotExecuted", "'skopeo' is not installed; .ci/run installs it."),
            ("Modulus.Tests.Sample.Fails", "Failed", "boom"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void In_CI_a_skip_that_is_not_allowed_fails_the_run_and_names_the_test()
    {
        var result = Summary(ci: true, allowed: "");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StdOut.ShouldContain("1 passed, 1 failed, 1 skipped");
        result.StdOut.ShouldContain("Modulus.Tests.Sample.NeedsSkopeo: 'skopeo' is not installed");
    }

    [Test]
    public void In_CI_a_skip_listed_with_its_reason_is_allowed()
    {
        var result = Summary(ci: true, allowed: "# why\nModulus.Tests.Sample.NeedsSkopeo\tno skopeo on this runner\n");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("skipped, allowed in CI: Modulus.Tests.Sample.NeedsSkopeo");
    }

    [Test]
    public void An_allowed_skip_without_a_reason_is_refused()
    {
        var result = Summary(ci: true, allowed: "Modulus.Tests.Sample.NeedsSkopeo\n");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        (result.StdOut + result.StdErr).ShouldContain("needs its reason");
    }

    [Test]
    public void Outside_CI_skips_are_listed_by_reason_with_the_command_that_installs_the_tools()
    {
        var result = Summary(ci: false, allowed: "");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("'skopeo' is not installed; .ci/run installs it. (1 test(s), e.g. Modulus.Tests.Sample.NeedsSkopeo)");
        // The package list is read from .ci/run itself, so the two never disagree.
        result.StdOut.ShouldContain("sudo apt-get install -y --no-install-recommends skopeo umoci");
    }

    private Tools.Result Summary(bool ci, string allowed)
    {
        var list = _temp.WriteFile("allowed-skips.txt", allowed);
        return Tools.Run("python3", [RepoPaths.Combine("eng", "test-summary.py"), _temp.Combine("results"), list],
            environment: new Dictionary<string, string?> { ["CI"] = ci ? "true" : "" });
    }

    private static void WriteTrx(string path, params (string Name, string Outcome, string? Message)[] tests)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var definitions = string.Concat(tests.Select((t, i) =>
        {
            var dot = t.Name.LastIndexOf('.');
            return $"""<UnitTest name="{t.Name[(dot + 1)..]}" id="id{i}"><TestMethod className="{t.Name[..dot]}" name="{t.Name[(dot + 1)..]}" /></UnitTest>""";
        }));
        var results = string.Concat(tests.Select((t, i) =>
            $"""<UnitTestResult testId="id{i}" testName="{t.Name}" outcome="{t.Outcome}">{(t.Message is null ? "" : $"<Output><ErrorInfo><Message>{System.Security.SecurityElement.Escape(t.Message)}</Message></ErrorInfo></Output>")}</UnitTestResult>"""));
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>{results}</Results>
              <TestDefinitions>{definitions}</TestDefinitions>
            </TestRun>
            """);
    }
}
