using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SellerDesk.Testing;

/// <summary>A mail the listener took: the envelope, the AUTH PLAIN credentials given (if any) and the raw message.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string? User, string? Password, string Data);

/// <summary>
/// A small SMTP server on 127.0.0.1 (a free port) speaking enough of RFC 5321 for a real client to deliver to it over
/// the network: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. No TLS is offered.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<ReceivedMail> _mails = [];
    private readonly Task _accepting;

    public SmtpListener()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Recipients this server refuses at RCPT TO with <c>550 5.1.1</c> (a mailbox that does not exist).</summary>
    public ConcurrentDictionary<string, bool> RefusedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every mail taken so far.</summary>
    public IReadOnlyList<ReceivedMail> Mails => [.. _mails];

    /// <summary>Waits for the next mail taken (in the order they arrived).</summary>
    public async Task<ReceivedMail> NextAsync(TimeSpan timeout)
    {
        var taken = await Task.Run(() => _mails.TryTake(out var mail, timeout) ? mail : null);
        return taken ?? throw new TimeoutException($"No mail reached the SMTP listener within {timeout.TotalSeconds:0} s.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
        _mails.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string? from = null, user = null, password = null;
        var to = new List<string>();
        await writer.WriteLineAsync("220 localhost SellerDesk test SMTP");
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : string.Empty;
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-localhost");
                    await writer.WriteLineAsync("250 AUTH PLAIN");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "AUTH":
                    var parts = argument.Split(' ', 2);
                    if (!parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                    {
                        await writer.WriteLineAsync("504 Unrecognized authentication type");
                        break;
                    }

                    var initial = parts.Length > 1 ? parts[1] : null;
                    if (initial is null)
                    {
                        await writer.WriteLineAsync("334 ");
                        initial = await reader.ReadLineAsync(_stop.Token) ?? string.Empty;
                    }

                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
                    (user, password) = (fields[1], fields[2]);
                    await writer.WriteLineAsync("235 Authentication successful");
                    break;
                case "MAIL":
                    from = Address(argument);
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    var recipient = Address(argument);
                    if (RefusedRecipients.ContainsKey(recipient))
                    {
                        await writer.WriteLineAsync($"550 5.1.1 <{recipient}>: Recipient address rejected: User unknown in virtual mailbox table");
                        break;
                    }

                    to.Add(recipient);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    _mails.Add(new ReceivedMail(from ?? string.Empty, [.. to], user, password, data.ToString()));
                    await writer.WriteLineAsync("250 OK: queued");
                    break;
                case "RSET":
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    private static string Address(string argument)
    {
        var start = argument.IndexOf('<', StringComparison.Ordinal);
        var end = argument.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? argument[(start + 1)..end] : argument;
    }
}
