using System.Net;
using System.Net.Sockets;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// Refuses, at connect time, to open a connection to a private, loopback, link-local or otherwise internal address:
/// the check runs on the addresses DNS gives when the socket is opened (a <see cref="SocketsHttpHandler.ConnectCallback"/>),
/// and the socket connects to exactly the address checked, so a host that answers DNS with a public address first and
/// an internal one later (DNS rebinding) gets nowhere. A host the operator lists
/// (<see cref="MarketplaceHttpOptions.AllowedHosts"/>) is trusted and connects wherever it resolves.
/// </summary>
public sealed class AddressGuard
{
    private readonly MarketplaceHttpOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>A guard with <paramref name="options"/>' allow-list; <paramref name="resolve"/> stands in for DNS in tests.</summary>
    public AddressGuard(MarketplaceHttpOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>
    /// The transport of every marketplace client: connections checked by this guard, no redirects followed (a redirect
    /// would carry the credential headers to wherever it points), pooled connections renewed every 5 minutes (DNS).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
        // Proxies would connect on our behalf to addresses this guard never sees.
        UseProxy = false,
    };

    /// <summary>Opens a socket to the first address of the endpoint's host that is allowed, refusing internal addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var listed = _options.IsListed(endpoint.Host, endpoint.Port);
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!listed && addresses.FirstOrDefault(IsInternal) is { } refused)
        {
            throw new RefusedAddressException(endpoint.Host, refused);
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>
    /// Whether <paramref name="address"/> is not a public internet address: loopback, private (RFC 1918, IPv6 unique
    /// local), link-local (169.254/16 with the cloud metadata service, fe80::/10), carrier-grade NAT, unspecified,
    /// multicast, broadcast or reserved. IPv4 addresses written as IPv6 are judged as IPv4.
    /// </summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127, // 100.64.0.0/10, carrier-grade NAT
                169 => b[1] == 254, // link-local, the metadata service 169.254.169.254
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100),
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true, // multicast, reserved, broadcast
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
            {
                return true;
            }

            var b = address.GetAddressBytes();
            // ::ffff:0:0/96 handled above; 64:ff9b::/96 (NAT64) and ::/96 (IPv4-compatible) can reach IPv4 inside.
            var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
            var compatible = b.Take(12).All(x => x == 0);
            if (nat64 || compatible)
            {
                return IsInternal(new IPAddress(b[12..]));
            }

            return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8; // 2001:db8::/32, documentation
        }

        return true;
    }
}

/// <summary>
/// A marketplace host resolved to an internal address the server refuses to connect to (<see cref="AddressGuard"/>).
/// </summary>
public sealed class RefusedAddressException : IOException
{
    public RefusedAddressException(string host, IPAddress address)
        : base($"'{host}' resolves to the internal address {address}; SellerDesk does not connect to private, loopback or link-local addresses")
    {
        Host = host;
        Address = address;
    }

    public RefusedAddressException()
    {
        Host = string.Empty;
        Address = IPAddress.None;
    }

    public RefusedAddressException(string message)
        : base(message)
    {
        Host = string.Empty;
        Address = IPAddress.None;
    }

    public RefusedAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = string.Empty;
        Address = IPAddress.None;
    }

    /// <summary>The host asked for.</summary>
    public string Host { get; }

    /// <summary>The internal address it resolved to.</summary>
    public IPAddress Address { get; }
}
