using System.Globalization;
using System.Text.Encodings.Web;

namespace Medic.Web;

/// <summary>What every console page shares: the frame (header, navigation, style, the live-update script) and encoding.</summary>
internal static class Html
{
    /// <summary>The header a page's own script sends to get only its content back.</summary>
    public const string PartialHeader = "X-Console-Partial";

    private static readonly (string Path, string Name)[] Sections = [("/", "Incidents"), ("/runs", "Runs"), ("/playbooks", "Playbooks"), ("/safety", "Safety"), ("/audit", "Audit")];

    /// <summary>The whole page, or only its content when the page's own script asks for it again.</summary>
    public static IResult Page(HttpContext context, string title, string main) =>
        Results.Content(context.Request.Headers.ContainsKey(PartialHeader) ? main : Document(title, main, Who(context)), "text/html; charset=utf-8");

    /// <summary>Who is signed in, and the form to sign out (with its CSRF token); empty when sign-in is off.</summary>
    private static string Who(HttpContext context)
    {
        if (context.User.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            return "";
        }

        var role = Auth.MedicAuth.RoleOf(context.User)?.ToString().ToLowerInvariant() ?? "";
        return ConsoleForms.Form(context, "/signout", $"<span id=\"user\" data-role=\"{E(role)}\">{E(name)} ({E(role)})</span> <button>Sign out</button>", " class=\"who\"", named: false);
    }

    public static string Document(string title, string main, string who = "") => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Medic</title>
        <style>
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1c2430;background:#f6f7f9}
        header{background:#1c2430;color:#fff;padding:.6rem 1.2rem;display:flex;gap:2rem;align-items:center}
        header nav a{color:#cfd6df;margin-right:1.2rem;text-decoration:none}
        header .who{margin-left:auto;color:#cfd6df}
        #killswitch.engaged{background:#fbe3e3;border:2px solid #d83b3b;padding:.4rem .8rem}
        main{padding:1rem 1.2rem;max-width:78rem}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
        th{font-weight:600;color:#56606d}
        section{margin:1.2rem 0}
        #story p{background:#fff;border-left:4px solid #3b6fd8;padding:.6rem .8rem}
        .kind{color:#56606d;font-variant:small-caps}
        ul,ol{margin:.2rem 0}
        </style></head>
        <body><header><strong>Medic</strong><nav>{{string.Concat(Sections.Select(s => $"<a href=\"{s.Path}\">{s.Name}</a>"))}}</nav>{{who}}</header><main>{{main}}</main>
        <script>
        const source = new EventSource('/console/events');
        let fetching = false, again = false;
        async function refresh() {
          if (fetching) { again = true; return; }
          fetching = true;
          try {
            do {
              again = false;
              const response = await fetch(location.href, { headers: { '{{PartialHeader}}': '1' } });
              if (response.ok) document.querySelector('main').innerHTML = await response.text();
            } while (again);
          } finally { fetching = false; }
        }
        source.addEventListener('incident', refresh);
        // What changed between the page's load and the stream's (re)connection is caught up on connecting.
        source.addEventListener('open', refresh);
        </script></body></html>
        """;

    /// <summary>A time as the console shows it.</summary>
    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Text made safe for HTML.</summary>
    public static string E(string text) => HtmlEncoder.Default.Encode(text);

    /// <summary>Text made safe for a URL path segment.</summary>
    public static string U(string text) => UrlEncoder.Default.Encode(text);
}
