/** Small readers over a synthesized template: resources by type, a function's role statements. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
  readonly Principal?: unknown;
}

export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourceList(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

function statementsOfDocument(document: unknown): PolicyStatementJson[] {
  return (document as { Statement: PolicyStatementJson[] }).Statement;
}

/** Every statement of every identity policy (inline and managed) in the template. */
export function allIdentityStatements(template: Template): PolicyStatementJson[] {
  return [
    ...Object.values(resourcesOf(template, 'AWS::IAM::Policy')),
    ...Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy')),
  ].flatMap((policy) => statementsOfDocument(policy.Properties.PolicyDocument));
}

/** The logical id of the function whose POWERTOOLS_SERVICE_NAME is `service`. */
export function functionIdOf(template: Template, service: string): string {
  const entry = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(
    ([, fn]) =>
      (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME ===
      service,
  );
  if (entry === undefined) throw new Error(`no function with service name ${service}`);
  return entry[0];
}

export function functionOf(template: Template, service: string): CfnResource {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionIdOf(template, service)];
  if (fn === undefined) throw new Error(`no function ${service}`);
  return fn;
}

/** The identity-policy statements attached to the execution role of the `service` function. */
export function roleStatementsOf(template: Template, service: string): PolicyStatementJson[] {
  const roleArn = functionOf(template, service).Properties.Role as { 'Fn::GetAtt': [string, string] };
  const roleId = roleArn['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => statementsOfDocument(policy.Properties.PolicyDocument));
}

/** The logical id of the single resource of `type` whose id starts with `prefix` (construct path order). */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(resourcesOf(template, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.length === 0 ? 'none' : ids.join(', ')}`);
  return ids[0] as string;
}
