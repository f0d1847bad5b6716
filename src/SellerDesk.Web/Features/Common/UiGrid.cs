using Microsoft.Extensions.Localization;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// Radzen's DataGrid texts (filter menu, operators, empty text) from our resources: Radzen 12 ships no Russian
/// strings. Splat onto a grid with <c>@attributes="UiGrid.Texts(L)"</c>; the keys are the grid's parameters.
/// </summary>
public static class UiGrid
{
    private static readonly string[] Parameters =
    [
        "FilterText", "AndOperatorText", "OrOperatorText", "ApplyFilterText", "ClearFilterText", "EqualsText",
        "NotEqualsText", "LessThanText", "LessThanOrEqualsText", "GreaterThanText", "GreaterThanOrEqualsText",
        "ContainsText", "DoesNotContainText", "StartsWithText", "EndsWithText", "IsNullText", "IsNotNullText",
        "IsEmptyText", "IsNotEmptyText", "InText", "NotInText", "CustomText", "EmptyText", "EnumFilterSelectText",
        "EnumNullFilterText", "FilterToggleAriaLabel", "FilterOperatorAriaLabel", "FilterValueAriaLabel",
        "LogicalOperatorAriaLabel", "SecondFilterOperatorAriaLabel", "SecondFilterValueAriaLabel",
    ];

    public static IReadOnlyDictionary<string, object> Texts(IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var texts = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in Parameters)
        {
            var text = localizer["Grid." + name];
            if (!text.ResourceNotFound)
            {
                texts[name] = text.Value;
            }
        }

        return texts;
    }
}
