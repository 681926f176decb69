using Modulus.Diagnostics;
using Modulus.Pipeline;
using Modulus.Plan;

namespace Modulus.Tests.Publishing;

public class FileDestinationTests
{
    private static PlannedFile HostFile(string? destination, string relativeName = "hello.txt") =>
        new("hello.txt", "/project/hello.txt", null, destination, relativeName, null, null, SourceLocation.Unknown);

    private static PlannedFile Inline(string name, string? destination = null, string? sourcePath = null) =>
        new(name, sourcePath, "text", destination, name, null, null, SourceLocation.Unknown);

    [TestCase("/srv/", "hello.txt", "/srv/hello.txt", Description = "a folder keeps the file's name")]
    [TestCase("/srv/", "conf/app.json", "/srv/conf/app.json", Description = "a folder keeps a glob's relative path")]
    [TestCase("/srv/greeting.txt", "hello.txt", "/srv/greeting.txt", Description = "a full path renames the file")]
    [TestCase("/srv/./a/../b.txt", "hello.txt", "/srv/b.txt", Description = "dots are resolved")]
    public void A_host_file_goes_where_its_Destination_says(string destination, string relativeName, string expected) =>
        FileDestination.Resolve(HostFile(destination, relativeName)).Value.ShouldBe(expected);

    [Test]
    public void A_host_file_needs_a_Destination() =>
        Should.Throw<ModulusException>(() => FileDestination.Resolve(HostFile(null))).Code.ShouldBe("MOD5017");

    [TestCase("srv/", Description = "relative")]
    [TestCase("/../etc/", Description = "above the root")]
    public void A_Destination_must_be_an_absolute_path_inside_the_image(string destination) =>
        Should.Throw<ModulusException>(() => FileDestination.Resolve(HostFile(destination))).Code.ShouldBe("MOD5003");

    [Test]
    public void An_inline_file_goes_to_its_Include() =>
        FileDestination.Resolve(Inline("/etc/motd")).Value.ShouldBe("/etc/motd");

    [TestCase("etc/motd", Description = "relative")]
    [TestCase("/etc/", Description = "a folder")]
    public void An_inline_file_needs_a_full_file_path(string name) =>
        Should.Throw<ModulusException>(() => FileDestination.Resolve(Inline(name))).Code.ShouldBe("MOD5003");

    [Test]
    public void An_inline_file_that_also_names_a_host_file_or_Destination_is_ambiguous()
    {
        Should.Throw<ModulusException>(() => FileDestination.Resolve(Inline("/etc/motd", destination: "/srv/"))).Code.ShouldBe("MOD5014");
        Should.Throw<ModulusException>(() => FileDestination.Resolve(Inline("motd", sourcePath: "/project/motd"))).Code.ShouldBe("MOD5014");
    }
}
