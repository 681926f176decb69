using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.Tests.Publishing;

/// <summary>Entrypoint and Cmd from the .NET SDK's command items, by the .NET SDK's rules.</summary>
public class ContainerCommandTests
{
    public sealed record Case(string Description, string[] Entrypoint, string[] EntrypointArgs, string[] AppCommand, string[] AppCommandArgs,
        string[] DefaultArgs, string? Instruction, string[]? ExpectedEntrypoint, string[]? ExpectedCmd)
    {
        public override string ToString() => Description;
    }

    public static IEnumerable<Case> Cases() =>
    [
        new("nothing set keeps the base's", [], [], [], [], [], null, null, null),
        new("the app command is the entrypoint by default", [], [], ["dotnet", "app.dll"], ["--urls"], ["--verbose"], null,
            ["dotnet", "app.dll", "--urls"], ["--verbose"]),
        new("with an entrypoint, the app command goes into Cmd before the default args", ["tini", "--"], [], ["dotnet", "app.dll"], [], ["--x"], null,
            ["tini", "--"], ["dotnet", "app.dll", "--x"]),
        new("DefaultArgs named explicitly, without an entrypoint: the base's entrypoint stays", [], [], ["/app/run"], [], [], "defaultargs",
            null, ["/app/run"]),
        new("None keeps the entrypoint and the default args", ["/bin/app"], ["-v"], [], [], ["serve"], "None",
            ["/bin/app", "-v"], ["serve"]),
        new("the older form: entrypoint args and an app command", [], ["--port", "80"], ["/app/run"], [], [], null,
            ["/app/run"], ["--port", "80"]),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Entrypoint_and_Cmd_follow_the_dotnet_sdks_rules(Case c)
    {
        var (entrypoint, cmd) = ContainerCommand.Resolve(c.Entrypoint, c.EntrypointArgs, c.AppCommand, c.AppCommandArgs, c.DefaultArgs, c.Instruction);

        entrypoint.ShouldBe(c.ExpectedEntrypoint);
        cmd.ShouldBe(c.ExpectedCmd);
    }

    [TestCase(new[] { "tini" }, new string[0], new[] { "/app/run" }, null, "Entrypoint", "ContainerEntrypoint has no place", TestName = "ContainerEntrypoint with the instruction Entrypoint is MOD5069")]
    [TestCase(new string[0], new string[0], new[] { "/app/run" }, null, "None", "would not be used", TestName = "An app command with the instruction None is MOD5069")]
    [TestCase(new string[0], new string[0], new string[0], new[] { "-v" }, null, "ContainerAppCommandArgs is set without ContainerAppCommand", TestName = "App command args without an app command is MOD5069")]
    [TestCase(new string[0], new string[0], new[] { "/app/run" }, null, "Cmd", "'Cmd' is not one of", TestName = "An unknown instruction is MOD5069")]
    public void Combinations_the_dotnet_sdk_refuses_are_MOD5069(string[] entrypoint, string[] entrypointArgs, string[] appCommand, string[]? appCommandArgs, string? instruction, string why)
    {
        var error = Should.Throw<ModulusException>(() => ContainerCommand.Resolve(entrypoint, entrypointArgs, appCommand, appCommandArgs ?? [], [], instruction));

        error.Code.ShouldBe("MOD5069");
        error.Message.ShouldContain(why);
    }
}
