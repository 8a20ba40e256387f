/**
 * aws-cdk-lib's BucketDeployment provider in a synthesized template: the one Lambda that is not a route-table
 * function. It is found from the `Custom::CDKBucketDeployment` resources' ServiceToken, never by name
 * patterns, so the tests exclude exactly it (and its role, policy, log group and assets) and nothing else.
 */
import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;
type Resource = { Type: string; Properties: Record<string, Json> };

/** Whether a CloudFormation expression refers (Ref or Fn::GetAtt) to a logical id. */
function refersTo(value: Json, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((item) => refersTo(item, logicalId));
  if (!value || typeof value !== 'object') return false;
  const object = value as Record<string, Json>;
  if (object.Ref === logicalId) return true;
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === logicalId) return true;
  return Object.values(object).some((item) => refersTo(item, logicalId));
}

/** The BucketDeployment custom resources, their provider function and everything that belongs to it. */
export interface BucketDeploymentProvider {
  /** Logical ids of the `Custom::CDKBucketDeployment` resources. */
  deployments: string[];
  /** Logical id of the provider function (the deployments' ServiceToken). */
  functionId: string;
  /** Logical id of its role. */
  roleId: string;
  /** Logical ids of the IAM policies attached to that role. */
  policyIds: string[];
  /** Logical ids of the log groups named after the function. */
  logGroupIds: string[];
  /** Logical ids of the Lambda layers the function uses (the AWS CLI). */
  layerIds: string[];
}

/** Reads the provider from the template; throws unless there is exactly one provider function. */
export function bucketDeploymentProvider(template: Template): BucketDeploymentProvider {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const deployments = ofType('Custom::CDKBucketDeployment');
  const tokens = new Set(
    deployments.map(([, r]) => {
      const getAtt = (r.Properties.ServiceToken as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt?.[1] !== 'Arn') throw new Error('A BucketDeployment ServiceToken is no function Arn');
      return getAtt[0];
    }),
  );
  const [functionId] = [...tokens];
  if (tokens.size !== 1 || !functionId || resources[functionId]?.Type !== 'AWS::Lambda::Function')
    throw new Error(`Expected one BucketDeployment provider function, found ${[...tokens].join(', ')}`);
  const fn = resources[functionId] as Resource;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return {
    deployments: deployments.map(([id]) => id),
    functionId,
    roleId,
    policyIds: ofType('AWS::IAM::Policy')
      .filter(([, r]) => refersTo(r.Properties.Roles, roleId))
      .map(([id]) => id),
    logGroupIds: ofType('AWS::Logs::LogGroup')
      .filter(([, r]) => refersTo(r.Properties.LogGroupName, functionId))
      .map(([id]) => id),
    layerIds: ((fn.Properties.Layers ?? []) as { Ref: string }[]).map((layer) => layer.Ref),
  };
}
