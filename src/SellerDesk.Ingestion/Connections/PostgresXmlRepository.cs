using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// The Data Protection key ring in PostgreSQL (<c>data_protection_keys</c>), so keys survive a restart and every
/// node of a cluster protects and unprotects credentials with the same keys (DataProtection.EntityFrameworkCore is
/// not in the registry; docs/decisions/0008-scheduling.md).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var command = dataSource.CreateCommand(
            "INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Encrypts, row by row, the secret of every key stored in clear (as Data Protection itself does when it writes a
    /// key: the element marked <c>requiresEncryption</c> becomes an <c>encryptedSecret</c>). Rows another node has
    /// encrypted meanwhile are left as they are.
    /// </summary>
    public void EncryptPlainKeys(IXmlEncryptor encryptor)
    {
        ArgumentNullException.ThrowIfNull(encryptor);
        var plain = new List<(int Id, string Xml)>();
        using (var command = dataSource.CreateCommand("SELECT id, xml FROM data_protection_keys ORDER BY id"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plain.Add((reader.GetInt32(0), reader.GetString(1)));
            }
        }

        foreach (var (id, xml) in plain)
        {
            var key = XElement.Parse(xml);
            var secrets = key.Descendants()
                .Where(e => e.Attributes().Any(a => a.Name.LocalName == "requiresEncryption" && a.Value == "true"))
                .ToList();
            if (secrets.Count == 0)
            {
                continue;
            }

            foreach (var secret in secrets)
            {
                var encrypted = encryptor.Encrypt(secret);
                secret.ReplaceWith(new XElement(
                    XName.Get("encryptedSecret", "http://schemas.asp.net/2015/03/dataProtection"),
                    new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!),
                    encrypted.EncryptedElement));
            }

            using var update = dataSource.CreateCommand("UPDATE data_protection_keys SET xml = $2 WHERE id = $1 AND xml = $3");
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = key.ToString(SaveOptions.DisableFormatting) });
            update.Parameters.Add(new NpgsqlParameter { Value = xml });
            update.ExecuteNonQuery();
        }
    }
}

/// <summary>
/// The key ring as this node may use it: refused in clear words when it needs a certificate this node lacks
/// (<see cref="KeyRingProtection.EnsureCanRead"/>), and, when a certificate is given, with keys stored in clear before
/// encrypted in place the first time the ring is read.
/// </summary>
internal sealed class GuardedXmlRepository(PostgresXmlRepository inner, KeyRingProtection protection) : IXmlRepository
{
    private volatile bool _plainKeysEncrypted;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = inner.GetAllElements();
        protection.EnsureCanRead(elements);
        if (protection.Certificate is { } certificate && !_plainKeysEncrypted)
        {
            if (elements.Any(KeyRingProtection.IsPlain))
            {
                inner.EncryptPlainKeys(new Microsoft.AspNetCore.DataProtection.XmlEncryption.CertificateXmlEncryptor(
                    certificate, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
                elements = inner.GetAllElements();
            }

            _plainKeysEncrypted = true;
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName) => inner.StoreElement(element, friendlyName);
}
