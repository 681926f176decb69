using Modulus.Diagnostics;
using Modulus.Pipeline;

namespace Modulus.Tests.Pipeline;

/// <summary>The one place a publish gives its errors the declaration and the step they came from.</summary>
public class LocatedTests
{
    private static readonly SourceLocation Project = new("app.csproj", 12);

    private static ModulusException Failure() => new(Errors.OutputUnwritable, "/out", "disk full");

    [Test]
    public void An_error_without_a_location_points_at_the_declaration_and_names_the_step()
    {
        var e = Should.Throw<ModulusException>(() => Located.Run<int>(_ => Project, () => throw Failure(), "Base"));

        (e.File, e.Line, e.Step).ShouldBe(("app.csproj", 12, "Base"));
        e.Message.ShouldBe(Failure().Message, "the message is the user's, unchanged");
    }

    [Test]
    public void An_error_located_by_an_item_keeps_its_location_and_gets_the_step()
    {
        var e = Should.Throw<ModulusException>(() =>
            Located.Run(_ => Project, () => Located.Run<int>(new SourceLocation("items.props", 3), () => throw Failure()), "Files"));

        (e.File, e.Line, e.Step).ShouldBe(("items.props", 3, "Files"));
    }

    [Test]
    public void An_error_a_step_could_not_locate_is_not_located_by_the_step_that_called_it()
    {
        var e = Should.Throw<ModulusException>(() =>
            Located.Run(_ => Project, () => Located.Run<int>(_ => SourceLocation.Unknown, () => throw Failure(), "Base"), "Debian"));

        (e.File, e.Step).ShouldBe((null, "Base"));
    }

    [Test]
    public async Task An_async_step_gets_the_same()
    {
        var e = await Should.ThrowAsync<ModulusException>(() => Located.RunAsync<int>(_ => Project, async () =>
        {
            await Task.Yield();
            throw Failure();
        }, "Node"));

        (e.File, e.Step).ShouldBe(("app.csproj", "Node"));
    }
}
