using System.Reflection;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Diagnostics;

public class ErrorTableTests
{
    private static readonly ErrorCode[] All = typeof(Errors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)
        .ToArray();

    [Test]
    public void Codes_are_unique_and_well_formed()
    {
        All.ShouldNotBeEmpty();
        All.Select(e => e.Code).ShouldBeUnique();
        All.ShouldAllBe(e => Regex.IsMatch(e.Code, "^MOD[1-9][0-9]{3}$"));
    }

    [Test]
    public void Every_code_is_documented_in_docs_errors_md_and_nothing_else_is()
    {
        var doc = File.ReadAllText(RepoPaths.Combine("docs", "errors.md"));
        var documented = Regex.Matches(doc, "^## (MOD[0-9]{4})", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();

        documented.ShouldBeUnique();
        All.Select(e => e.Code).Except(documented).ShouldBeEmpty("codes missing from docs/errors.md");
        documented.Except(All.Select(e => e.Code)).ShouldBeEmpty("docs/errors.md documents codes that do not exist");
    }

    [Test]
    public void Messages_format_with_their_arguments()
    {
        foreach (var error in All)
        {
            var placeholders = Regex.Matches(error.Template, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max() + 1;
            var formatted = error.Format(Enumerable.Range(0, placeholders).Select(i => (object)$"<arg{i}>").ToArray());
            formatted.ShouldStartWith(error.Code + ": ");
            for (var i = 0; i < placeholders; i++) formatted.ShouldContain($"<arg{i}>");
        }
    }
}
