using System.Buffers;
using System.Text;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Reads RFC 4180 records from a UTF-8 stream (with or without BOM) without buffering the file: one window of
/// characters at a time, grown only for a record longer than the window (up to <see cref="MaxRecordLength"/>).
/// The delimiter (<c>,</c> or <c>;</c>) is detected from the header line. Quoted fields may hold delimiters,
/// doubled quotes and line breaks. Lines whose fields are all empty are skipped. A record's
/// <see cref="LineNumber"/> is the physical line it starts on (the first line is 1).
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    /// <summary>The longest record accepted, in characters; longer usually means a quote that is never closed.</summary>
    public const int MaxRecordLength = 1 << 20;

    private const int WindowSize = 1 << 16;

    private readonly CountingStream _stream;
    private readonly StreamReader _reader;
    private char[] _buffer = new char[WindowSize];
    private int _position;
    private int _length;
    private bool _endOfStream;
    private bool _stopped;
    private int _nextLine = 1;

    private FieldSpan[] _fields = new FieldSpan[32];
    private int _fieldCount;
    private char[] _unescaped = new char[256];
    private SearchValues<char> _unquotedStops = SearchValues.Create(",\r\n");

    private CsvRecordReader(Stream stream)
    {
        _stream = new CountingStream(stream);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, WindowSize, leaveOpen: true);
    }

    /// <summary><c>,</c> or <c>;</c>, detected from the header line.</summary>
    public char Delimiter { get; private set; } = ',';

    /// <summary>The physical line the current record starts on.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Bytes taken from the stream so far (read ahead by up to one window).</summary>
    public long BytesRead => _stream.BytesRead;

    /// <summary>Fields of the current record.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>What is malformed in the current record (an unclosed quote, text after a closing quote), or null.</summary>
    public string? RecordProblem { get; private set; }

    /// <summary>
    /// Opens a reader and detects the delimiter from the first non-empty line: <c>;</c> when it holds more
    /// semicolons than commas outside quotes, else <c>,</c>. The stream is not disposed with the reader.
    /// </summary>
    public static async Task<CsvRecordReader> OpenAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new CsvRecordReader(stream);
        try
        {
            await reader.DetectDelimiterAsync(cancellationToken);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The <paramref name="index"/>th field of the current record, unquoted; valid until the next read.</summary>
    public ReadOnlySpan<char> GetField(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _fieldCount);
        var field = _fields[index];
        return field.Unescaped
            ? _unescaped.AsSpan(field.Start, field.Length)
            : _buffer.AsSpan(field.Start, field.Length);
    }

    /// <summary>Advances to the next record; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_stopped)
            {
                _fieldCount = 0;
                return false;
            }

            var result = TryParseRecord();
            if (result == ParseResult.Record)
            {
                if (!IsBlank())
                {
                    return true;
                }

                continue;
            }

            if (result == ParseResult.EndOfStream)
            {
                _fieldCount = 0;
                return false;
            }

            if (!await FillAsync(cancellationToken))
            {
                // The record does not fit the largest window: report it and stop, there is no safe place to resume.
                LineNumber = _nextLine;
                _fieldCount = 0;
                RecordProblem = $"a record is longer than {MaxRecordLength} characters (is a quote not closed?)";
                _stopped = true;
                return true;
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private bool IsBlank()
    {
        if (RecordProblem is not null)
        {
            return false;
        }

        for (var i = 0; i < _fieldCount; i++)
        {
            if (_fields[i].Length != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves the unread rest to the start of the window and reads more; false when the window is full.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_position > 0)
        {
            Array.Copy(_buffer, _position, _buffer, 0, _length - _position);
            _length -= _position;
            _position = 0;
        }

        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordLength)
            {
                return false;
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxRecordLength));
        }

        var read = await _reader.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _length += read;
        return true;
    }

    private async Task DetectDelimiterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var commas = 0;
            var semicolons = 0;
            var quoted = false;
            var started = false;
            var complete = false;
            for (var i = _position; i < _length && !complete; i++)
            {
                var c = _buffer[i];
                if (c == '"')
                {
                    quoted = !quoted;
                    started = true;
                }
                else if (quoted)
                {
                    continue;
                }
                else if (c is '\r' or '\n')
                {
                    complete = started;
                }
                else if (c == ',')
                {
                    commas++;
                    started = true;
                }
                else if (c == ';')
                {
                    semicolons++;
                    started = true;
                }
                else if (!char.IsWhiteSpace(c))
                {
                    started = true;
                }
            }

            if (complete || _endOfStream || !await FillAsync(cancellationToken))
            {
                Delimiter = semicolons > commas ? ';' : ',';
                _unquotedStops = SearchValues.Create([Delimiter, '\r', '\n']);
                return;
            }
        }
    }

    private enum ParseResult
    {
        Record,
        NeedMore,
        EndOfStream,
    }

    /// <summary>Parses one record at the window position; consumes nothing unless it is complete.</summary>
    private ParseResult TryParseRecord()
    {
        var buffer = _buffer;
        var length = _length;
        var p = _position;
        var line = _nextLine;
        var fieldCount = 0;
        var unescapedLength = 0;
        string? problem = null;

        if (p == length)
        {
            return _endOfStream ? ParseResult.EndOfStream : ParseResult.NeedMore;
        }

        while (true)
        {
            // One field starts at p.
            FieldSpan field;
            if (p < length && buffer[p] == '"')
            {
                p++;
                var segmentStart = p;
                var unescaped = false;
                var unescapedStart = unescapedLength;
                while (true)
                {
                    var next = buffer.AsSpan(p, length - p).IndexOfAny('"', '\n', '\r');
                    if (next < 0)
                    {
                        if (!_endOfStream)
                        {
                            return ParseResult.NeedMore;
                        }

                        // Unclosed quote: the rest of the stream is this field.
                        problem ??= "a quoted value is not closed";
                        field = unescaped
                            ? Unescape(ref unescapedLength, unescapedStart, segmentStart, length)
                            : new FieldSpan(segmentStart, length - segmentStart, false);
                        p = length;
                        break;
                    }

                    var at = p + next;
                    var c = buffer[at];
                    if (c == '\n')
                    {
                        line++;
                        p = at + 1;
                        continue;
                    }

                    if (c == '\r')
                    {
                        if (at + 1 == length && !_endOfStream)
                        {
                            return ParseResult.NeedMore;
                        }

                        if (at + 1 == length || buffer[at + 1] != '\n')
                        {
                            line++;
                        }

                        p = at + 1;
                        continue;
                    }

                    // A quote: doubled means a literal quote, single closes the field.
                    if (at + 1 == length && !_endOfStream)
                    {
                        return ParseResult.NeedMore;
                    }

                    if (at + 1 < length && buffer[at + 1] == '"')
                    {
                        if (!unescaped)
                        {
                            unescaped = true;
                            unescapedStart = unescapedLength;
                        }

                        AppendUnescaped(ref unescapedLength, segmentStart, at + 1);
                        p = at + 2;
                        segmentStart = p;
                        continue;
                    }

                    field = unescaped
                        ? Unescape(ref unescapedLength, unescapedStart, segmentStart, at)
                        : new FieldSpan(segmentStart, at - segmentStart, false);
                    p = at + 1;

                    // Only a delimiter or a line end may follow; skip anything else up to one.
                    if (p < length && buffer[p] != Delimiter && buffer[p] != '\r' && buffer[p] != '\n')
                    {
                        problem ??= "unexpected text after a closing quote";
                        var stop = buffer.AsSpan(p, length - p).IndexOfAny(_unquotedStops);
                        if (stop < 0)
                        {
                            if (!_endOfStream)
                            {
                                return ParseResult.NeedMore;
                            }

                            p = length;
                        }
                        else
                        {
                            p += stop;
                        }
                    }

                    break;
                }
            }
            else
            {
                var stop = buffer.AsSpan(p, length - p).IndexOfAny(_unquotedStops);
                if (stop < 0)
                {
                    if (!_endOfStream)
                    {
                        return ParseResult.NeedMore;
                    }

                    stop = length - p;
                }

                field = new FieldSpan(p, stop, false);
                p += stop;
            }

            if (fieldCount == _fields.Length)
            {
                Array.Resize(ref _fields, _fields.Length * 2);
            }

            _fields[fieldCount++] = field;

            // After a field: a delimiter, a line end or the end of the stream.
            if (p == length)
            {
                // Only reached at the end of the stream (every NeedMore case returned above).
                break;
            }

            var after = buffer[p];
            if (after == Delimiter)
            {
                p++;
                if (p == length && !_endOfStream)
                {
                    return ParseResult.NeedMore;
                }

                continue;
            }

            if (after == '\n')
            {
                p++;
                line++;
                break;
            }

            // '\r', alone or before '\n'.
            if (p + 1 == length && !_endOfStream)
            {
                return ParseResult.NeedMore;
            }

            p += p + 1 < length && buffer[p + 1] == '\n' ? 2 : 1;
            line++;
            break;
        }

        LineNumber = _nextLine;
        _nextLine = line;
        _position = p;
        _fieldCount = fieldCount;
        RecordProblem = problem;
        return ParseResult.Record;
    }

    private void AppendUnescaped(ref int unescapedLength, int from, int to)
    {
        var count = to - from;
        if (unescapedLength + count > _unescaped.Length)
        {
            Array.Resize(ref _unescaped, Math.Max(_unescaped.Length * 2, unescapedLength + count));
        }

        Array.Copy(_buffer, from, _unescaped, unescapedLength, count);
        unescapedLength += count;
    }

    private FieldSpan Unescape(ref int unescapedLength, int unescapedStart, int from, int to)
    {
        AppendUnescaped(ref unescapedLength, from, to);
        return new FieldSpan(unescapedStart, unescapedLength - unescapedStart, true);
    }

    private readonly record struct FieldSpan(int Start, int Length, bool Unescaped);

    /// <summary>Counts the bytes read through it, for progress.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
