using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>The token categories a Wildberries API token can carry, as bit numbers of its <c>s</c> claim.</summary>
public enum WildberriesTokenCategory
{
    Content = 1,
    Analytics = 2,
    Prices = 3,
    Marketplace = 4,
    Statistics = 5,
    Promotion = 6,
    Feedbacks = 7,
    BuyersChat = 9,
    Supplies = 10,
    BuyersReturns = 11,
    Documents = 12,
    Finance = 13,
    Users = 16,
    ReadOnly = 30,
}

/// <summary>
/// What a Wildberries API token says about itself. The tokens are JWTs whose claims public clients read without the
/// signature: <c>sid</c> (the seller's id, the same for every token of one seller account), <c>oid</c> (the
/// seller's numeric id), <c>s</c> (a bit mask of the categories, <see cref="WildberriesTokenCategory"/>), <c>exp</c>
/// (expiry, Unix seconds) and <c>t</c> (a sandbox token). Wildberries' reference does not document these claims: they
/// only word messages better and tell two connections of one seller account apart; Wildberries' own answer decides
/// whether a token is accepted.
/// </summary>
public sealed record WildberriesToken(string? SellerId, long? SupplierId, long? CategoryMask, DateTimeOffset? ExpiresAt, bool IsSandbox)
{
    /// <summary>
    /// The seller account the token was issued for, as connections compare accounts (decision 0010): <c>sid:&lt;sid&gt;</c>,
    /// else (older tokens) <c>oid:&lt;oid&gt;</c>; null when the claims name neither.
    /// </summary>
    public string? Account =>
        SellerId is { } sid ? "sid:" + sid
        : SupplierId is { } oid ? string.Create(CultureInfo.InvariantCulture, $"oid:{oid}")
        : null;

    /// <summary>
    /// The account of a token (<see cref="Account"/>); null for a token that is not a readable JWT or names no seller,
    /// which is then not compared with other connections.
    /// </summary>
    public static string? AccountOf(string? token) => TryRead(token)?.Account;

    /// <summary>Whether the token carries <paramref name="category"/>; null when its claims do not say.</summary>
    public bool? Has(WildberriesTokenCategory category) => CategoryMask is { } mask ? (mask & (1L << (int)category)) != 0 : null;

    /// <summary>The claims of <paramref name="token"/>; null when it is not a JWT with a JSON payload.</summary>
    public static WildberriesToken? TryRead(string? token)
    {
        var parts = token?.Trim().Split('.');
        if (parts is not { Length: 3 } || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new WildberriesToken(
                Text(root, "sid"),
                Number(root, "oid"),
                Number(root, "s"),
                Number(root, "exp") is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null,
                root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.True);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A claim given as a string or a number, trimmed; null when absent or blank.</summary>
    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A whole-number claim given as a number or a numeric string.</summary>
    private static long? Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
