using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace SellerDesk.Data.Ledger;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format (the <c>COPY ... FROM STDIN (FORMAT BINARY)</c> stream: a
/// signature, then per row a field count and each field as length + bytes, then a trailer) into one reused byte
/// buffer that is flushed to an <see cref="NpgsqlRawCopyStream"/> in large writes. It replaces Npgsql's per-value
/// <c>NpgsqlBinaryImporter.WriteAsync</c>, whose type resolution and async call per value cost the import of a
/// million-line file about 3 CPU-seconds (docs/benchmarks.md). The encodings are those Npgsql writes for the same
/// .NET values: UTF-8 text, big-endian integers, dates as days and timestamps as microseconds since 2000-01-01 UTC
/// (<c>MinValue</c>/<c>MaxValue</c> as -infinity/infinity), and decimals as base-10000 numerics with the decimal's
/// scale as display scale.
/// </summary>
public sealed class BinaryCopyBuffer
{
    /// <summary>The buffer is written out once it holds this many bytes (a row is never split).</summary>
    public const int FlushSize = 1 << 16;

    private const long PostgresEpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>PGCOPY\n\377\r\n\0.</summary>
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private byte[] _buffer = new byte[FlushSize + 4096];
    private int _length;

    /// <summary>Bytes encoded and not yet flushed.</summary>
    public int Length => _length;

    public bool Full => _length >= FlushSize;

    /// <summary>The stream's signature, flags and header extension; first.</summary>
    public void Header()
    {
        var span = Reserve(19);
        Signature.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[11..], 0);
        BinaryPrimitives.WriteInt32BigEndian(span[15..], 0);
        _length += 19;
    }

    /// <summary>The end-of-data marker; last.</summary>
    public void Trailer()
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        _length += 2;
    }

    public void StartRow(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), checked((short)fields));
        _length += 2;
    }

    public void Null()
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);
        _length += 4;
    }

    // Named after the PostgreSQL type it encodes, as its siblings Text, Date, Timestamp and Numeric are.
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the PostgreSQL type it encodes.")]
    public void Integer(int value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        _length += 8;
    }

    public void Boolean(bool value)
    {
        var span = Reserve(5);
        BinaryPrimitives.WriteInt32BigEndian(span, 1);
        span[4] = value ? (byte)1 : (byte)0;
        _length += 5;
    }

    /// <summary>Text as UTF-8; null as SQL NULL.</summary>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var span = Reserve(4 + Utf8.GetMaxByteCount(value.Length));
        var bytes = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, bytes);
        _length += 4 + bytes;
    }

    /// <summary>A uuid: 16 bytes in RFC 4122 (big-endian) order, as PostgreSQL stores it.</summary>
    public void Uuid(Guid value)
    {
        var span = Reserve(20);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span[4..], bigEndian: true, out _);
        _length += 20;
    }

    public void Date(DateOnly value)
    {
        var days = value == DateOnly.MaxValue ? int.MaxValue
            : value == DateOnly.MinValue ? int.MinValue
            : value.DayNumber - PostgresEpochDay;
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], days);
        _length += 8;
    }

    /// <summary>A timestamptz: the instant, whatever the offset.</summary>
    public void Timestamp(DateTimeOffset value)
    {
        var microseconds = value == DateTimeOffset.MaxValue ? long.MaxValue
            : value == DateTimeOffset.MinValue ? long.MinValue
            : (value.UtcTicks - PostgresEpochTicks) / 10;
        var span = Reserve(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], microseconds);
        _length += 12;
    }

    /// <summary>A numeric: ndigits, weight, sign, dscale, then the base-10000 digits, most significant first.</summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;

        // Pad the fraction to whole groups of four digits, then cut the mantissa into base-10000 digits (least
        // significant first). 96 bits times 1000 fit in 128.
        var pad = (4 - (scale % 4)) % 4;
        var fractionGroups = (scale + pad) / 4;
        Span<short> groups = stackalloc short[10];
        var count = 0;
        if (bits[2] == 0)
        {
            var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            if (mantissa <= ulong.MaxValue / 1000)
            {
                for (var i = 0; i < pad; i++)
                {
                    mantissa *= 10;
                }

                while (mantissa != 0)
                {
                    (mantissa, var digit) = Math.DivRem(mantissa, 10_000UL);
                    groups[count++] = (short)digit;
                }
            }
            else
            {
                count = Groups(mantissa, pad, groups);
            }
        }
        else
        {
            count = Groups(((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0], pad, groups);
        }

        var skip = 0;
        while (skip < count && groups[skip] == 0)
        {
            skip++;
        }

        var digits = count - skip;
        var weight = digits == 0 ? 0 : count - 1 - fractionGroups;
        var span = Reserve(12 + (2 * digits));
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + (2 * digits));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], negative && digits > 0 ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)scale);
        var at = 12;
        for (var i = count - 1; i >= skip; i--, at += 2)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[at..], groups[i]);
        }

        _length += 12 + (2 * digits);
    }

    /// <summary>Writes what is encoded to <paramref name="copy"/> and empties the buffer.</summary>
    public async ValueTask FlushAsync(Stream copy, CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await copy.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            _length = 0;
        }
    }

    /// <summary>The encoded bytes (for tests).</summary>
    public ReadOnlySpan<byte> Encoded => _buffer.AsSpan(0, _length);

    private static int Groups(UInt128 mantissa, int pad, Span<short> groups)
    {
        for (var i = 0; i < pad; i++)
        {
            mantissa *= 10;
        }

        var count = 0;
        while (mantissa != 0)
        {
            (mantissa, var digit) = UInt128.DivRem(mantissa, 10_000);
            groups[count++] = (short)digit;
        }

        return count;
    }

    /// <summary>Room for <paramref name="bytes"/> more bytes; grows the buffer only for a row longer than its spare room.</summary>
    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }

        return _buffer.AsSpan(_length, bytes);
    }
}
