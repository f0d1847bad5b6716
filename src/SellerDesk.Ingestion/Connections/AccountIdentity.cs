using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// Which marketplace account (cabinet) a connection's credentials identify, so one account is connected once per
/// workspace (decision 0010). Null when the credentials do not say; such a connection is not compared.
/// </summary>
public static class AccountIdentity
{
    /// <summary>The trimmed value of one credential (Ozon <c>client_id</c>, Yandex Market <c>campaign_id</c>).</summary>
    public static Func<IReadOnlyDictionary<string, string>, string?> Credential(string key) =>
        credentials => credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>
    /// The seller a Wildberries API token was issued for: WB tokens are JWTs whose payload names the seller in
    /// <c>sid</c> (the seller's id; public clients decode it as such) and, in older tokens, <c>oid</c>. Null for a
    /// token that is not a readable JWT (then nothing is compared).
    /// </summary>
    public static string? WildberriesSeller(string? token)
    {
        var parts = token?.Trim().Split('.');
        if (parts is not { Length: 3 } || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var claim in new[] { "sid", "oid" })
            {
                if (document.RootElement.TryGetProperty(claim, out var value))
                {
                    var text = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number => value.GetRawText(),
                        _ => null,
                    };
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"{claim}:{text.Trim()}");
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
