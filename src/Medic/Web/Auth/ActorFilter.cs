using System.Reflection;

namespace Medic.Web.Auth;

/// <summary>
/// With sign-in on, the actor of a change is who is signed in (or whose token it is), whatever a
/// request's <c>by</c> says: the filter sets every <c>by</c> argument, and the <c>By</c> of every
/// request body (and a silence's <c>CreatedBy</c>), to the signed-in name before the handler runs.
/// </summary>
internal static class ActorFilter
{
    /// <summary>The request-body properties that name the actor.</summary>
    private static readonly string[] ActorProperties = ["By", "CreatedBy"];

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var parameters = factory.MethodInfo.GetParameters();
        var names = parameters.Select((p, i) => (p, i)).Where(x => x.p.Name == "by" && x.p.ParameterType == typeof(string)).Select(x => x.i).ToList();
        var bodies = parameters.SelectMany((p, i) => ActorProperties.Select(name => (Property: p.ParameterType.GetProperty(name, BindingFlags.Public | BindingFlags.Instance), i)))
            .Where(x => x.Property is { CanWrite: true } && x.Property.PropertyType == typeof(string)).ToList();
        if (names.Count == 0 && bodies.Count == 0)
        {
            return next;
        }

        return context =>
        {
            if (context.HttpContext.User.Identity is { IsAuthenticated: true, Name: { } actor })
            {
                foreach (var i in names)
                {
                    context.Arguments[i] = actor;
                }

                foreach (var (property, i) in bodies)
                {
                    if (context.Arguments[i] is { } body)
                    {
                        property!.SetValue(body, actor);
                    }
                }
            }

            return next(context);
        };
    }
}
