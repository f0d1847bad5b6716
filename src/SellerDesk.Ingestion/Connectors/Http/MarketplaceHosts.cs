using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// Which hosts a connection's <c>base_url</c> may point a pull at: the marketplace's own API hosts (declared by its module), or a host the
/// operator lists in <see cref="MarketplaceHttpOptions.AllowedHosts"/>. Nothing else, so a connection cannot make the
/// server call its own network (SSRF) with a seller's token attached.
/// </summary>
public static class MarketplaceHosts
{
    /// <summary>Whether <paramref name="host"/> is one of the marketplace's own API hosts (<paramref name="ownHosts"/>) or under one.</summary>
    public static bool IsOwn(IReadOnlyList<string> ownHosts, string host)
    {
        ArgumentNullException.ThrowIfNull(ownHosts);
        ArgumentNullException.ThrowIfNull(host);
        return ownHosts.Any(d =>
            string.Equals(host, d, StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Why <paramref name="baseUrl"/> may not be a base URL of a connection to a marketplace whose own API hosts are
    /// <paramref name="ownHosts"/> (<c>MarketplaceDefinition.ApiHosts</c>), in both languages; null when it may. <paramref name="baseUrl"/> must already be an absolute http(s) address.
    /// </summary>
    public static LocalText? Refusal(IReadOnlyList<string> ownHosts, Uri baseUrl, MarketplaceHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(ownHosts);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(baseUrl.UserInfo))
        {
            return new LocalText(
                "the base URL must not contain a user name or password (user@host): give the address only; credentials go in their own fields",
                "адрес API не должен содержать имя пользователя или пароль (user@host): укажите только адрес, ключи вводятся в своих полях");
        }

        if (IsOwn(ownHosts, baseUrl.IdnHost) || options.IsListed(baseUrl))
        {
            return null;
        }

        var own = ownHosts;
        return own.Count == 0
            ? new LocalText(
                $"this marketplace takes no base URL unless the server's operator allows '{baseUrl.Authority}' (Connectors:Http:AllowedHosts)",
                $"этому маркетплейсу адрес API не задаётся, если администратор сервера не разрешил '{baseUrl.Authority}' (Connectors:Http:AllowedHosts)")
            : new LocalText(
                $"the base URL must be on the marketplace's own host ({string.Join(", ", own)}); '{baseUrl.Authority}' is not, and the server's operator has not allowed it (Connectors:Http:AllowedHosts)",
                $"адрес API должен быть на собственном хосте маркетплейса ({string.Join(", ", own)}); '{baseUrl.Authority}' к нему не относится, и администратор сервера его не разрешил (Connectors:Http:AllowedHosts)");
    }
}
