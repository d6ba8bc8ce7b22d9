namespace Medic.Web.Auth;

/// <summary>
/// Which role each request needs, in one table: the health check, the sign-in page and Slack's signed
/// callbacks need none; reading anything, sending telemetry and trying a playbook against an event (a dry run) need
/// a viewer; the kill switches, reloading playbooks, forgetting what was learnt and training models need an admin;
/// every other change (approving, rejecting, asking for a playbook, cancelling a run, silencing,
/// merging and splitting) needs an operator.
/// </summary>
internal static class AccessRules
{
    private static readonly string[] Ingest = ["/api/v1/write", "/v1/metrics", "/v1/logs", "/v1/traces", "/api/v1/alerts/alertmanager", "/api/v1/changes", "/api/v1/logs", "/loki/api/v1/push"];

    /// <summary>The role <paramref name="method"/> on <paramref name="path"/> needs; null when anyone may.</summary>
    public static Role? Required(string method, string path)
    {
        if ((HttpMethods.IsGet(method) && path == "/healthz") || path is "/signin" or "/signin/oidc" or "/signin-oidc" || (HttpMethods.IsPost(method) && path == "/api/v1/slack/interactions"))
        {
            return null;
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || path == "/signout")
        {
            return Role.Viewer;
        }

        if (Ingest.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal))
            || path.StartsWith("/opentelemetry.proto.collector.", StringComparison.Ordinal)
            || (path.StartsWith("/api/v1/playbooks/", StringComparison.Ordinal) && path.EndsWith("/test", StringComparison.Ordinal))
            || path == "/playbooks/try")
        {
            return Role.Viewer;
        }

        if (path == "/api/v1/killswitch" || path == "/safety/killswitch" || path == "/api/v1/playbooks/reload"
            || (path.StartsWith("/api/v1/playbooks/", StringComparison.Ordinal) && path.EndsWith("/killswitch", StringComparison.Ordinal))
            || path.StartsWith("/api/v1/learning", StringComparison.Ordinal))
        {
            return Role.Admin;
        }

        return Role.Operator;
    }
}
