using Fluid;
using Fluid.Ast;

namespace Medic.Core.Playbooks;

/// <summary>The variables a template reads, as paths: <c>outputs['get-pod'].metadata.name</c> → [outputs, get-pod, metadata, name].</summary>
public static class TemplateVariables
{
    private static readonly FluidParser Parser = new();

    /// <summary>The variable paths in <paramref name="template"/>; empty when it does not parse.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Of(string template)
    {
        if (!Parser.TryParse(template, out var parsed, out _))
        {
            return [];
        }

        var collector = new Collector();
        collector.VisitTemplate(parsed);
        return collector.Paths;
    }

    private sealed class Collector : AstVisitor
    {
        public List<IReadOnlyList<string>> Paths { get; } = [];

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            Paths.Add(memberExpression.Segments.Select(s => s switch
            {
                IdentifierSegment id => id.Identifier,
                IndexerSegment { Expression: LiteralExpression literal } => literal.Value.ToStringValue(),
                _ => "*",
            }).ToList());
            return base.VisitMemberExpression(memberExpression);
        }
    }
}
