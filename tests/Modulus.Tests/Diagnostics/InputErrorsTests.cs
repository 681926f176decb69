using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Plan;

namespace Modulus.Tests.Diagnostics;

/// <summary>The collector that lets a build report every bad input at once.</summary>
public class InputErrorsTests
{
    private static readonly SourceLocation Tags = new("/work/app/app.csproj", 4);
    private static readonly SourceLocation Mode = new("/work/app/app.csproj", 9);

    [Test]
    public void Every_failure_is_recorded_at_its_declaration_and_the_reading_goes_on_with_the_placeholder()
    {
        var errors = new InputErrors();

        var tag = errors.Try<ImageTag?>(Tags, () => ImageTag.Parse("Bad!Tag"), null);
        var mode = errors.Try(Mode, () => PermissionMode.Parse("0999", "hello.txt"), null);
        var good = errors.Try(Mode, () => 42, -1);

        tag.ShouldBeNull();
        mode.ShouldBeNull();
        good.ShouldBe(42);
        errors.Any.ShouldBeTrue();
        errors.All.Select(e => (e.Code, e.Location, e.Severity)).ShouldBe(new[] { ("MOD5011", Tags, DiagnosticSeverity.Error), ("MOD5004", Mode, DiagnosticSeverity.Error) });
    }

    [Test]
    public void An_error_that_names_its_own_location_keeps_it()
    {
        var errors = new InputErrors();
        var own = new SourceLocation("/work/app/Directory.Build.props", 2);

        errors.Check(Tags, () => throw new ModulusException(Errors.InvalidTag, "x!").At(own.File, own.Line));

        errors.All.Single().Location.ShouldBe(own);
    }

    [Test]
    public void The_same_error_found_by_two_readers_is_reported_once_and_nothing_is_recorded_when_all_is_well()
    {
        var errors = new InputErrors();

        errors.Check(Tags, () => ImageTag.Parse("Bad!Tag"));
        errors.Check(Tags, () => ImageTag.Parse("Bad!Tag"));
        var log = new Recorder();
        errors.ReportTo(log);

        log.Reported.Count.ShouldBe(1);
        new InputErrors().Try(Tags, () => "ok", "placeholder").ShouldBe("ok");
        new InputErrors().Any.ShouldBeFalse();
    }

    private sealed class Recorder : IBuildLog
    {
        public List<Diagnostic> Reported { get; } = [];

        public void Write(Importance importance, string message)
        {
        }

        public void Report(Diagnostic diagnostic) => Reported.Add(diagnostic);
    }
}
