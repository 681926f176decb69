using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Build.Framework;

namespace Modulus.MSBuild;

/// <summary>
/// Every input a task was given, as one text: each settable public property of the task's own
/// class by name, its value, and for items each item's spec, FullPath, RecursiveDir and custom
/// metadata. Read by reflection, so a parameter added to the task is in it without a list to keep.
/// </summary>
internal static class TaskInputsText
{
    public static string Of(ITask task)
    {
        var text = new StringBuilder();
        var properties = task.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        foreach (var property in properties)
        {
            text.Append(property.Name).Append('=');
            switch (property.GetValue(task))
            {
                case ITaskItem[] items:
                    text.Append(items.Length.ToString(CultureInfo.InvariantCulture)).Append(" items");
                    foreach (var item in items) AppendItem(text, item);
                    break;
                case ITaskItem item:
                    AppendItem(text, item);
                    break;
                case null:
                    text.Append("(null)");
                    break;
                case var value:
                    AppendValue(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static void AppendItem(StringBuilder text, ITaskItem item)
    {
        text.Append('\n');
        AppendValue(text, item.ItemSpec);
        // Derived from the spec and the project folder, and for a glob from the pattern: the task reads them too.
        AppendValue(text, item.GetMetadata("FullPath"));
        AppendValue(text, item.GetMetadata("RecursiveDir"));
        // The dictionary's entries differ in type between MSBuild's item kinds; its keys are names.
        foreach (var name in item.CloneCustomMetadata().Keys.Cast<object>().Select(k => k.ToString() ?? string.Empty).Order(StringComparer.Ordinal))
        {
            AppendValue(text, name);
            AppendValue(text, item.GetMetadata(name));
        }
    }

    /// <summary>Length-prefixed, so no value can pass for two.</summary>
    private static void AppendValue(StringBuilder text, string value) =>
        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
}
