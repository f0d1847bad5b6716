using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Testing;

/// <summary>
/// Compares JSON as values: numbers as decimals (600 equals 600.0), objects field by field, arrays in order.
/// Returns every difference with its path, so a failing report comparison says exactly which figure is off.
/// </summary>
public static class JsonAssert
{
    /// <param name="expected">The expected value.</param>
    /// <param name="actual">The actual value.</param>
    /// <param name="exactFields">When true, the actual objects must have no fields beyond the expected ones.</param>
    public static IReadOnlyList<string> Differences(JsonElement expected, JsonElement actual, bool exactFields = true)
    {
        var differences = new List<string>();
        Compare("$", expected, actual, exactFields, differences);
        return differences;
    }

    private static void Compare(string path, JsonElement expected, JsonElement actual, bool exactFields, List<string> differences)
    {
        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number)
        {
            if (expected.GetDecimal() != actual.GetDecimal())
            {
                differences.Add($"{path}: expected {expected.GetDecimal().ToString(CultureInfo.InvariantCulture)}, got {actual.GetDecimal().ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        if (expected.ValueKind != actual.ValueKind)
        {
            differences.Add($"{path}: expected {expected.ValueKind} {expected}, got {actual.ValueKind} {actual}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    if (actual.TryGetProperty(property.Name, out var value))
                    {
                        Compare($"{path}.{property.Name}", property.Value, value, exactFields, differences);
                    }
                    else
                    {
                        differences.Add($"{path}.{property.Name}: missing");
                    }
                }

                if (exactFields)
                {
                    differences.AddRange(actual.EnumerateObject()
                        .Where(p => !expected.TryGetProperty(p.Name, out _))
                        .Select(p => $"{path}.{p.Name}: not expected"));
                }

                break;
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                if (expectedItems.Count != actualItems.Count)
                {
                    differences.Add($"{path}: expected {expectedItems.Count} items, got {actualItems.Count}");
                }

                for (var i = 0; i < Math.Min(expectedItems.Count, actualItems.Count); i++)
                {
                    Compare($"{path}[{i}]", expectedItems[i], actualItems[i], exactFields, differences);
                }

                break;
            default:
                if (expected.ToString() != actual.ToString())
                {
                    differences.Add($"{path}: expected {expected}, got {actual}");
                }

                break;
        }
    }
}
