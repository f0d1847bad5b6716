using Microsoft.Extensions.Localization;
using SellerDesk.Web.Resources;

namespace SellerDesk.Web.Features.Account;

internal static class AccountForms
{
    /// <summary>The checks the forms make before Identity's own (length, distinct characters).</summary>
    public static List<string> CheckNewPassword(string? password, string? confirm, IStringLocalizer<AccountResource> text)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            problems.Add(text["Password.Missing"]);
        }
        else if (!string.Equals(password, confirm, StringComparison.Ordinal))
        {
            problems.Add(text["Password.Mismatch"]);
        }

        return problems;
    }
}
