namespace Medic.Core.Logs.Parsing;

/// <summary>
/// Splits a message into whitespace tokens and replaces what varies from one occurrence of a
/// message to the next with <c>&lt;*&gt;</c>, inside tokens where it can, so <c>10.0.0.1:8080</c>
/// becomes <c>&lt;*&gt;:&lt;*&gt;</c> and <c>uid=0</c> becomes <c>uid=&lt;*&gt;</c>:
/// <list type="bullet">
/// <item>a word (letters, digits, <c>_</c>, <c>-</c>) with a digit, but not a name with one trailing digit such as <c>eth0</c>;</item>
/// <item>words joined by dots (<c>10.0.0.1</c>, <c>1.2.3-4</c>) become one variable, and a <c>/</c> before an address is dropped;</item>
/// <item>a path (<c>/var/log/x</c>) and what follows <c>://</c> in a URL;</item>
/// <item>day and month names, and a number's size unit (<c>5.2 KB</c>).</item>
/// </list>
/// A hand-written scanner over spans: no regular expressions, and no allocation once its buffers
/// have grown to the longest message. Not thread-safe.
/// </summary>
public sealed class LogMasker
{
    /// <summary>The variable marker.</summary>
    public const string Wildcard = "<*>";

    private static readonly string[] DateWords = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB"];

    private readonly System.Buffers.SearchValues<char>? _delimiters;
    private char[] _output = new char[256];
    private char[] _scratch = new char[256];
    private Range[] _tokens = new Range[64];
    private int _length;
    private bool _unitJoined;

    /// <summary>Creates a masker; <paramref name="delimiters"/> are characters that separate tokens besides whitespace.</summary>
    public LogMasker(string? delimiters = null)
    {
        _delimiters = string.IsNullOrEmpty(delimiters) ? null : System.Buffers.SearchValues.Create(delimiters);
    }

    /// <summary>How many tokens the last message had.</summary>
    public int Count { get; private set; }

    /// <summary>Token <paramref name="index"/> of the last message, masked.</summary>
    public ReadOnlySpan<char> this[int index] => _output.AsSpan(_tokens[index]);

    /// <summary>The last message's tokens.</summary>
    public ReadOnlySpan<Range> Ranges => _tokens.AsSpan(0, Count);

    /// <summary>The masked message: its tokens joined by single spaces (the token ranges point into it).</summary>
    public ReadOnlySpan<char> Text => _output.AsSpan(0, _length);

    /// <summary>The longest message masked; beyond, the rest of a message is left out of its template.</summary>
    public const int MaxMessageLength = 16 * 1024;

    /// <summary>Masks <paramref name="message"/>; read the result through the indexer.</summary>
    public void Mask(ReadOnlySpan<char> message)
    {
        message = message[..Math.Min(message.Length, MaxMessageLength)];

        // A lone "/" becomes "<*>", so masking can triple a token; separators and "://<*>" add a little.
        if (_output.Length < (message.Length * 3) + 16)
        {
            _output = new char[(message.Length * 3) + 16];
        }

        if (_scratch.Length < (message.Length * 3) + 16)
        {
            _scratch = new char[(message.Length * 3) + 16];
        }

        _length = 0;
        Count = 0;
        _unitJoined = false;
        var i = 0;
        while (i < message.Length)
        {
            while (i < message.Length && IsSeparator(message[i]))
            {
                i++;
            }

            var start = i;
            while (i < message.Length && !IsSeparator(message[i]))
            {
                i++;
            }

            if (i > start)
            {
                AddToken(message[start..i]);
            }
        }
    }

    private bool IsSeparator(char c) => char.IsWhiteSpace(c) || (_delimiters?.Contains(c) ?? false);

    private void AddToken(ReadOnlySpan<char> token)
    {
        // A size unit after a number joins it: "5.2 KB," is one value followed by a comma.
        if (Count > 0 && !_unitJoined && Unit(token) is var unit and > 0 && this[Count - 1].SequenceEqual(Wildcard))
        {
            token[unit..].CopyTo(_output.AsSpan(_length));
            _length += token.Length - unit;
            _tokens[Count - 1] = new Range(_tokens[Count - 1].Start, _length);
            _unitJoined = true;
            return;
        }

        _unitJoined = false;

        if (Count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }

        // Tokens are separated by one space, so the buffer reads as the masked message.
        if (Count > 0)
        {
            _output[_length++] = ' ';
        }

        var begin = _length;
        if (IsDateWord(token))
        {
            Emit(Wildcard.AsSpan(), begin);
        }
        else if (token.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0)
        {
            Emit(token[..(scheme + 3)], begin);
            Emit(Wildcard.AsSpan(), begin);
        }
        else
        {
            MaskWords(ReplacePaths(token), begin);
        }

        _tokens[Count++] = new Range(begin, _length);
    }

    /// <summary>The token with every path replaced by the wildcard, in the scratch buffer.</summary>
    private ReadOnlySpan<char> ReplacePaths(ReadOnlySpan<char> token)
    {
        var written = 0;
        var i = 0;
        while (i < token.Length)
        {
            if (token[i] == '/' && (i == 0 || token[i - 1] is '(' or '[' or '=' or '\'' or '"') && !(i + 1 < token.Length && char.IsAsciiDigit(token[i + 1])))
            {
                i = PathEnd(token, i + 1);
                Wildcard.AsSpan().CopyTo(_scratch.AsSpan(written));
                written += Wildcard.Length;
                continue;
            }

            _scratch[written++] = token[i++];
        }

        return _scratch.AsSpan(0, written);
    }

    /// <summary>Where a path that started before <paramref name="i"/> ends: before trailing punctuation or a closing mark.</summary>
    private static int PathEnd(ReadOnlySpan<char> token, int i)
    {
        for (; i < token.Length; i++)
        {
            if (token[i] is ',' or ';' or ')' or ']' or '\'' or '"' || OnlyTrailingPunctuation(token[i..]))
            {
                return i;
            }
        }

        return i;
    }

    private static bool OnlyTrailingPunctuation(ReadOnlySpan<char> rest)
    {
        foreach (var c in rest)
        {
            if (c is not (':' or ',' or ';' or '.' or ')' or ']' or '\'' or '"'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies the token, replacing each word that holds a digit (see the class summary).</summary>
    private void MaskWords(ReadOnlySpan<char> token, int begin)
    {
        var i = 0;
        while (i < token.Length)
        {
            if (!IsWordChar(token[i]))
            {
                if (token[i] == '<' && token[i..].StartsWith(Wildcard))
                {
                    Emit(Wildcard.AsSpan(), begin);
                    i += Wildcard.Length;
                }
                else
                {
                    _output[_length++] = token[i++];
                }

                continue;
            }

            var start = i;
            while (i < token.Length && IsWordChar(token[i]))
            {
                i++;
            }

            var word = token[start..i];
            if (word.IndexOfAnyInRange('0', '9') >= 0 && !IsNameWithDigit(word))
            {
                Emit(Wildcard.AsSpan(), begin);
            }
            else
            {
                word.CopyTo(_output.AsSpan(_length));
                _length += word.Length;
            }
        }
    }

    /// <summary>
    /// Appends text; a wildcard merges with a wildcard just before it (directly or across a dot),
    /// and drops a slash that opens the token or follows an opening mark (<c>/10.0.0.1</c> is an address).
    /// </summary>
    private void Emit(ReadOnlySpan<char> text, int begin)
    {
        if (text.SequenceEqual(Wildcard))
        {
            var written = _output.AsSpan(begin, _length - begin);
            if (written.EndsWith(Wildcard))
            {
                return;
            }

            if (written.EndsWith("<*>."))
            {
                _length--;
                return;
            }

            if (written.EndsWith("/") && (written.Length == 1 || written[^2] is '(' or '[' or '=' or ':' or ','))
            {
                _length--;
            }
        }

        text.CopyTo(_output.AsSpan(_length));
        _length += text.Length;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Letters and one trailing digit, such as <c>eth0</c> or <c>tty2</c>: a device or a name, not a value.</summary>
    private static bool IsNameWithDigit(ReadOnlySpan<char> word) =>
        word.Length >= 2 && char.IsAsciiDigit(word[^1]) && !word[..^1].ContainsAnyExcept(AsciiLetters);

    private static readonly System.Buffers.SearchValues<char> AsciiLetters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static bool IsDateWord(ReadOnlySpan<char> token)
    {
        if (token.Length != 3)
        {
            return false;
        }

        foreach (var word in DateWords)
        {
            if (token.SequenceEqual(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of a size unit opening the token when only closing punctuation follows it, else 0.</summary>
    private static int Unit(ReadOnlySpan<char> token)
    {
        foreach (var unit in Units)
        {
            if (token.StartsWith(unit) && !token[unit.Length..].ContainsAnyExcept(",;)]"))
            {
                return unit.Length;
            }
        }

        return 0;
    }
}
