namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// The one rule for reading a credential a connection holds: the value trimmed, or null when it is missing or blank (a
/// connector then fails as unauthorized without calling the marketplace; an account identity is then not compared).
/// </summary>
public static class Credentials
{
    public static string? Read(IReadOnlyDictionary<string, string> credentials, string key)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    /// <summary>The trimmed value of <paramref name="key"/> in the connection's credentials, or null when missing or blank.</summary>
    public static string? Credential(this ConnectionSettings connection, string key)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Read(connection.Credentials, key);
    }
}
