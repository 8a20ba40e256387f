/**
 * The web front door in the synthesized app: pages reach the web function without the JWT authorizer
 * (browsers send a session cookie, which the function checks); the local developer sign-in page cannot be
 * reached in AWS; assets come from a private bucket through CloudFront with long-lived cache headers; the
 * web functions know where assets are, which Cognito client and hosted domain sign users in, and where their
 * cookie key is: its ARN, never its value, which they alone may read from Secrets Manager. Each web
 * function's table access is the reviewed one.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CfnElement, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSET_ROOTS } from '../../local/web';
import { TABLE_NAMES, type TableName } from '../../shared/db/table-names';
import {
  DEFAULT_ROUTE_FUNCTION,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
} from '../../shared/http/routes';
import { LOCAL_SIGN_IN_PATH } from '../../shared/web/pages/sign-in';
import { bucketDeploymentProvider } from './bucket-deployment';
import { dynamoGrantsOf, statementsOfRole } from './iam';
import { DEPLOY_CONTEXT, synthesize } from './synth';

const synth = synthesize();
afterAll(() => synth.dispose());
const template = synth.statelessTemplate;
/** Resources of the nested stack that holds the API's routes. */
const routeResources = (type: string) => Object.values(synth.routesTemplate.findResources(type));
const pages = (ROUTES as readonly RouteDefinition[]).filter((route) => route.kind === 'page');
const cookieSecretId = synth.stateless.getLogicalId(
  synth.stateless.webCookieSecret.node.defaultChild as CfnElement,
);

/** The web functions: each one's pages, its table access below. */
const WEB_FUNCTIONS = [
  'web',
  'webAccount',
  'webSignIn',
  'webContracts',
  'webPayments',
  'webCommissioning',
  'webEvaluation',
  'webOversight',
  'webApplying',
  'webBidding',
  'webQuestions',
  'webTransparency',
  'webOutcomes',
  'webOutcomesCommissioning',
] as const;
type WebFunction = (typeof WEB_FUNCTIONS)[number];

/**
 * What each web function needs of each table, written out here as reviewed against its pages' use cases
 * rather than taken from the route table: a declaration that grows past this fails the test. Every web
 * function checks, refreshes and (sign-in) starts and ends sessions.
 */
const WEB_TABLE_ACCESS: Record<
  WebFunction,
  Partial<Record<TableName, 'read' | 'readWrite' | 'append' | 'appendBlind' | 'enqueue' | 'mark'>>
> = {
  // Directory, provider pages and published competitions. A member's own participation item (the
  // opportunity page's "View or change your bid") only through its viewer data role (least-privilege suite).
  web: { registry: 'read', procurement: 'read', sessions: 'readWrite' },
  // Registration, profiles, members and invitations, accreditation, notifications.
  webAccount: { registry: 'readWrite', sessions: 'readWrite' },
  // Codes for tokens, sessions started and ended, cookies.
  webSignIn: { sessions: 'readWrite' },
  // Contracts are read (never created here); returns and their figures are written.
  // A spend return's OCDS implementation release is written with the return (publication).
  webContracts: {
    procurement: 'read',
    subcontracting: 'readWrite',
    registry: 'read',
    sessions: 'readWrite',
    publication: 'readWrite',
  },
  // Contracts and providers read; disputes written, each with the outbox event that tells the prime's
  // owners (issue 17).
  webPayments: {
    procurement: 'read',
    subcontracting: 'readWrite',
    registry: 'read',
    sessions: 'readWrite',
    outbox: 'enqueue',
  },
  // The commissioning workspace (inside the wall): competitions, panels, declarations and exclusions
  // written; connection markers read; notifications of publishing written; every change and inside read
  // appended to the audit log.
  // Publishing, cancelling, answering to all and amending documents write their OCDS releases in the same
  // transaction (publication).
  webCommissioning: {
    procurement: 'readWrite',
    sealed: 'read',
    registry: 'readWrite',
    audit: 'append',
    sessions: 'readWrite',
    publication: 'readWrite',
    // Publishing, changing a published document and answering to all record their outbox events (issue 17).
    outbox: 'enqueue',
  },
  // Marks, shortlists, scores and moderation (sealed); the award and the contract it lets (procurement);
  // outcome notifications (registry); audit appends.
  // The award decision and its confirmation publish their OCDS releases (publication).
  // A shortlist, an award decision and a challenge decision record their outcome events (issue 17).
  webEvaluation: {
    sealed: 'readWrite',
    procurement: 'readWrite',
    registry: 'readWrite',
    audit: 'append',
    sessions: 'readWrite',
    publication: 'readWrite',
    outbox: 'enqueue',
  },
  // Audit trails, their verification and alerts: reads, and the refused read appended. The providers'
  // verification queue (issue 16): a provider verified or rejected, its directory entries, counts and
  // notification written (registry), with the decision's audit event.
  webOversight: {
    audit: 'append',
    procurement: 'read',
    sealed: 'read',
    registry: 'readWrite',
    sessions: 'readWrite',
    // The sub-contracting dashboard (issue 16): the figure items, read only.
    subcontracting: 'read',
  },
  // The provider's pre-qualification and bid pages (issue 15): competitions and the registry read on
  // their own roles; the provider's own response or bid (and participation, markers, audit events) only
  // through their provider data roles (asserted in the least-privilege suite).
  webApplying: { procurement: 'read', registry: 'read', sessions: 'readWrite' },
  webBidding: { procurement: 'read', registry: 'read', sessions: 'readWrite' },
  // The provider's clarification questions page: questions written (and the log read) in procurement;
  // memberships and providers read; the question's audit event put blind (no audit read at all); the
  // organisation's taking-part mark put blind, never an event (issue 17).
  webQuestions: {
    procurement: 'readWrite',
    registry: 'read',
    audit: 'appendBlind',
    outbox: 'mark',
    sessions: 'readWrite',
  },
  // The transparency pages (issue 16): the published releases read; memberships read for the header.
  webTransparency: { publication: 'read', registry: 'read', sessions: 'readWrite' },
  // Payment by results (issue 18): contracts read; the supply chain read and the mechanism, cohorts, results,
  // claims, decisions and their figures written (subcontracting); memberships read for the wall's connection
  // rule; each change's audit event put blind in the contract's chain (no audit read at all).
  webOutcomes: {
    procurement: 'read',
    subcontracting: 'readWrite',
    registry: 'read',
    audit: 'appendBlind',
    sessions: 'readWrite',
  },
  // The commissioner's payment-by-results pages: the same tables, from the inside of the wall.
  webOutcomesCommissioning: {
    procurement: 'read',
    subcontracting: 'readWrite',
    registry: 'read',
    audit: 'appendBlind',
    sessions: 'readWrite',
  },
};

/** The web functions that serve the public and provider organisations: they must never reach inside. */
const PROVIDER_SIDE_WEB: readonly WebFunction[] = [
  'web',
  'webAccount',
  'webSignIn',
  'webContracts',
  'webPayments',
  'webApplying',
  'webBidding',
  'webQuestions',
  'webTransparency',
  'webOutcomes',
];

/** DynamoDB actions that change items. */
const ITEM_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

function roleIdOf(id: FunctionId): string {
  const role = synth.stateless.functions[id].role;
  if (!role) throw new Error(`Function ${id} has no role`);
  return synth.stateless.getLogicalId(role.node.defaultChild as CfnElement);
}

function environmentOf(id: FunctionId): Record<string, unknown> {
  const fn =
    template.toJSON().Resources[
      synth.stateless.getLogicalId(synth.stateless.functions[id].node.defaultChild as CfnElement)
    ];
  return fn.Properties.Environment.Variables as Record<string, unknown>;
}

describe('web front door in AWS', () => {
  it('has every page route, public to API Gateway, served by a web function', () => {
    expect(pages.length).toBeGreaterThan(10);
    const keys = routeResources('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    for (const page of pages) {
      expect(WEB_FUNCTIONS).toContain(page.function);
      expect(page.access).toBe('public');
      expect(keys).toContain(`${page.method} ${page.path}`);
    }
  });

  it('cannot reach the local developer sign-in page: no route for it, and $default answers 404', () => {
    const keys = routeResources('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    expect(keys.filter((key) => key.includes(LOCAL_SIGN_IN_PATH) || key.includes('/local/'))).toEqual([]);
    expect((ROUTES as readonly RouteDefinition[]).some((r) => r.path.startsWith('/local'))).toBe(false);
    expect(keys).toContain('$default');
  });

  it('sends whatever no route matches ($default) to the web function, without the JWT authorizer', () => {
    // Unknown paths and known paths with another method: a GOV.UK 404 page for browsers, problem+json for
    // API clients (`dispatchPages`), rather than API Gateway's own {"message":"Not Found"}.
    expect(DEFAULT_ROUTE_FUNCTION).toBe('web');
    const all = synth.routesTemplate.toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const defaults = Object.values(all).filter(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === '$default',
    );
    expect(defaults).toHaveLength(1);
    const route = defaults[0];
    expect(route?.Properties.AuthorizationType).toBe('NONE');
    const target = route?.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = all[target['Fn::Join'][1][1].Ref];
    const uri = synth.fromRoutes(integration?.Properties.IntegrationUri) as {
      'Fn::GetAtt': [string, string];
    };
    expect(uri['Fn::GetAtt'][0]).toBe(
      synth.stateless.getLogicalId(synth.stateless.functions.web.node.defaultChild as never),
    );
    // The web function's $default answers need no permission beyond its own routes': the API may invoke it.
    const permissions = routeResources('AWS::Lambda::Permission').filter(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(
      permissions.map((permission) => synth.fromRoutes(permission.Properties.FunctionName)),
    ).toContainEqual({
      'Fn::GetAtt': [
        synth.stateless.getLogicalId(synth.stateless.functions.web.node.defaultChild as never),
        'Arn',
      ],
    });
  });

  it('serves assets from a private, TLS-only bucket through CloudFront with origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.anyValue(),
      }),
    });
  });

  it('answers assets with year-long immutable caching, CORS for module scripts and fonts, nosniff', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: {
          Items: Match.arrayWith([
            { Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true },
          ]),
        },
        CorsConfig: Match.objectLike({ AccessControlAllowMethods: { Items: ['GET', 'HEAD'] } }),
        SecurityHeadersConfig: Match.objectLike({ ContentTypeOptions: { Override: true } }),
      }),
    });
  });

  describe('the CDK app uploads the assets (BucketDeployment)', () => {
    const provider = bucketDeploymentProvider(template);
    const assetsBucket = synth.stateless.getLogicalId(
      synth.stateless.webAssets.bucket.node.defaultChild as CfnElement,
    );
    const distribution = synth.stateless.getLogicalId(
      synth.stateless.webAssets.distribution.node.defaultChild as CfnElement,
    );
    const deployment = () => template.toJSON().Resources[provider.deployments[0] ?? ''];

    it('into the assets bucket under assets/, cached a year and immutable, invalidating the distribution', () => {
      expect(provider.deployments).toHaveLength(1);
      expect(deployment().Properties).toMatchObject({
        DestinationBucketName: { Ref: assetsBucket },
        DestinationBucketKeyPrefix: 'assets/',
        Prune: true,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
        DistributionId: { Ref: distribution },
        DistributionPaths: ['/assets/*'],
      });
      // Content types are guessed per file, never forced to one for all.
      expect(deployment().Properties.SystemMetadata['content-type']).toBeUndefined();
    });

    it('uploads what the local gateway serves to the pages: GOV.UK Frontend assets, its minified CSS and JS, web.js', () => {
      const hashes = (deployment().Properties.SourceObjectKeys as string[]).map((key) =>
        key.replace(/\.zip$/, ''),
      );
      const files = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
      const uploaded = hashes.flatMap((hash) => files(join(synth.outdir, `asset.${hash}`)));
      for (const needed of [
        'govuk-frontend.min.css',
        'govuk-frontend.min.js',
        'web.js',
        'manifest.json',
        'fonts/bold-b542beb274-v2.woff2',
        'images/favicon.svg',
      ])
        expect(uploaded).toContain(needed);
      // Every uploaded file is one the local gateway serves under /assets/ from the same roots.
      const [own, govukAssets, govuk] = ASSET_ROOTS;
      expect(uploaded.sort()).toEqual(
        [
          ...files(own ?? ''),
          ...files(govukAssets ?? ''),
          ...files(govuk ?? '').filter((file) => /^govuk-frontend\.min\.(css|js)$/.test(file)),
        ].sort(),
      );
    });

    it("the provider's role writes only to the assets bucket and reads only the CDK asset bucket", () => {
      const statements = statementsOfRole(template, provider.roleId);
      expect(statements.filter((s) => s.negated)).toEqual([]);
      const bucketArns = [
        { 'Fn::GetAtt': [assetsBucket, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [assetsBucket, 'Arn'] }, '/*']] },
      ];
      // The bootstrap asset bucket, as the default synthesizer names it in the template.
      const cdkAssets = JSON.stringify({
        'Fn::Sub': DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
          /\$\{Qualifier\}/,
          DefaultStackSynthesizer.DEFAULT_QUALIFIER,
        ),
      });
      const readActions = ['s3:GetBucket*', 's3:GetObject*', 's3:List*'];
      for (const statement of statements) {
        const s3 = statement.actions.filter((action) => action.startsWith('s3:'));
        if (s3.length === 0) {
          expect(statement.actions.sort()).toEqual([
            'cloudfront:CreateInvalidation',
            'cloudfront:GetInvalidation',
          ]);
          continue;
        }
        const onAssets = JSON.stringify(statement.resources) === JSON.stringify(bucketArns);
        const onCdkAssets = statement.resources.every((resource) =>
          JSON.stringify(resource).includes(cdkAssets),
        );
        expect(onAssets || onCdkAssets, JSON.stringify(statement)).toBe(true);
        // Anything beyond reading happens only on the assets bucket.
        if (!onAssets) expect([...s3].sort()).toEqual(readActions);
      }
      const writes = statements.filter((s) => s.actions.some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
      expect(writes).toHaveLength(1);
      expect(writes[0]?.resources).toEqual(bucketArns);
      expect(writes[0]?.condition).toBeUndefined();
    });
  });

  it.each(WEB_FUNCTIONS)(
    'configures %s: assets URL, Cognito client, issuer and hosted domain, and the cookie key by ARN only',
    (id) => {
      const variables = environmentOf(id);
      expect(JSON.stringify(variables.WEB_ASSETS_URL)).toContain('DomainName');
      expect(variables.WEB_COGNITO_CLIENT_ID).toBeDefined();
      expect(JSON.stringify(variables.WEB_COGNITO_ISSUER)).toContain('cognito-idp');
      // The hosted sign-in domain a deploy must name (`cognitoDomainPrefix`): /sign-in works.
      expect(JSON.stringify(variables.WEB_COGNITO_DOMAIN)).toContain(
        `https://${DEPLOY_CONTEXT.cognitoDomainPrefix}.auth.`,
      );
      // Where the key is, not the key: the function reads it from Secrets Manager at run time.
      expect(variables.WEB_COOKIE_SECRET_ARN).toEqual({ Ref: cookieSecretId });
      expect(variables.WEB_COOKIE_SECRET).toBeUndefined();
    },
  );

  it("holds the cookie key in no function's configuration: no value, no dynamic reference, anywhere", () => {
    const functions = [
      ...Object.entries(template.findResources('AWS::Lambda::Function')),
      ...Object.entries(synth.statefulTemplate.findResources('AWS::Lambda::Function')),
    ];
    expect(functions.length).toBeGreaterThan(WEB_FUNCTIONS.length);
    for (const [logicalId, fn] of functions) {
      const variables = (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
      const text = JSON.stringify(variables);
      // `{{resolve:secretsmanager:…}}` is resolved by CloudFormation into the plain value at deploy time.
      expect(text, logicalId).not.toContain('{{resolve:');
      expect(text, logicalId).not.toMatch(/secretsmanager/i);
      // The secret may be named (its ARN, `Ref`), never read (`Fn::GetAtt`, `Fn::Join` around it).
      for (const [name, value] of Object.entries(variables)) {
        if (!JSON.stringify(value).includes(cookieSecretId)) continue;
        expect([name, value], logicalId).toEqual(['WEB_COOKIE_SECRET_ARN', { Ref: cookieSecretId }]);
      }
    }
    // Nor anywhere else in either template.
    expect(JSON.stringify(template.toJSON())).not.toContain('{{resolve:');
    expect(JSON.stringify(synth.statefulTemplate.toJSON())).not.toContain('{{resolve:');
  });

  it('lets the web functions GetSecretValue on the cookie key alone (and the unsubscribe key, those it is granted to), and no other role touch Secrets Manager', () => {
    const webRoles = new Map(WEB_FUNCTIONS.map((id) => [roleIdOf(id), id]));
    // Issue 17: the unsubscribe key, read by the functions that make or check unsubscribe tokens.
    const unsubscribeKeyId = synth.stateless.getLogicalId(
      synth.stateless.unsubscribeKeySecret.node.defaultChild as CfnElement,
    );
    const unsubscribeReaders = new Set(
      synth.stateless.unsubscribeKeyReaders.map((fn) =>
        synth.stateless.getLogicalId(fn.role?.node.defaultChild as CfnElement),
      ),
    );
    expect([...unsubscribeReaders]).toEqual(
      expect.arrayContaining([roleIdOf('notifications'), roleIdOf('webAccount')]),
    );
    const reading: string[] = [];
    for (const roleId of Object.keys(template.findResources('AWS::IAM::Role'))) {
      const secrets = statementsOfRole(template, roleId).filter((statement) =>
        statement.actions.some((action) => action === '*' || /^secretsmanager:/i.test(action)),
      );
      const expected = [
        ...(webRoles.has(roleId) ? [{ Ref: cookieSecretId }] : []),
        ...(unsubscribeReaders.has(roleId) ? [{ Ref: unsubscribeKeyId }] : []),
      ].map((resource) => JSON.stringify(['secretsmanager:GetSecretValue', resource]));
      if (webRoles.has(roleId)) reading.push(roleId);
      // One (action, secret) pair per grant, however CDK merges the statements.
      const granted = secrets.flatMap((statement) => {
        expect(statement.negated).toBe(false);
        return statement.actions.flatMap((action) =>
          statement.resources.map((resource) => JSON.stringify([action, resource])),
        );
      });
      expect(granted.sort(), webRoles.get(roleId) ?? roleId).toEqual(expected.sort());
    }
    expect(reading.sort()).toEqual([...webRoles.keys()].sort());
    // The secret has no resource policy opening it to anyone else.
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });

  it('keeps web sessions to the web functions: they read and write the sessions table, no other role touches it', () => {
    const webRoles = new Set(WEB_FUNCTIONS.map((id) => roleIdOf(id)));
    const roles = Object.keys(template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(webRoles.size);
    for (const roleId of roles) {
      const grants = dynamoGrantsOf(synth.stateless, template, roleId, synth.stateful.tables);
      const actions = [...(grants.tables.get('sessions') ?? [])];
      if (!webRoles.has(roleId)) {
        expect(actions, roleId).toEqual([]);
        continue;
      }
      expect(actions, roleId).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ]),
      );
    }
  });

  it('lets the web functions look users up in the user pool (AdminGetUser, AdminListGroupsForUser; ListUsers for the workspace choosing people by e-mail), the wall function (a panel is of commissioners) and the notification delivery (each recipient’s address), and no other role', () => {
    const webRoles = new Set([...WEB_FUNCTIONS, 'wall' as const].map((id) => roleIdOf(id)));
    webRoles.add(
      synth.stateless.getLogicalId(
        synth.stateless.notificationDelivery.function.role?.node.defaultChild as CfnElement,
      ),
    );
    const poolArn = synth.stateless.resolve(synth.stateless.userPool.userPoolArn);
    for (const roleId of Object.keys(template.findResources('AWS::IAM::Role'))) {
      const cognito = statementsOfRole(template, roleId).filter((statement) =>
        statement.actions.some((action) => action === '*' || /^cognito-idp:/i.test(action)),
      );
      expect(cognito, roleId).toEqual(
        webRoles.has(roleId)
          ? [
              {
                // CDK merges statements on the same resource into one.
                actions: [
                  'cognito-idp:AdminGetUser',
                  'cognito-idp:AdminListGroupsForUser',
                  ...(roleId === roleIdOf('webCommissioning') ? ['cognito-idp:ListUsers'] : []),
                ],
                resources: [poolArn],
                negated: false,
              },
            ]
          : [],
      );
    }
  });

  it('every web function is one whose table access was reviewed here', () => {
    const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
    const web = (Object.keys(definitions) as FunctionId[]).filter((id) =>
      definitions[id].entry.startsWith('functions/web/'),
    );
    expect(web.sort()).toEqual([...WEB_FUNCTIONS].sort());
  });

  it.each(WEB_FUNCTIONS)(
    '%s reads only what it reads and writes only what it writes, table by table',
    (id) => {
      const grants = dynamoGrantsOf(synth.stateless, template, roleIdOf(id), synth.stateful.tables);
      for (const table of TABLE_NAMES) {
        const actions = [...(grants.tables.get(table) ?? [])];
        const writes = actions.filter((action) => ITEM_WRITES.includes(action) || action.includes('*'));
        const expected = WEB_TABLE_ACCESS[id][table];
        if (expected === undefined) expect(actions, table).toEqual([]);
        // A blind append puts a pending event and reads nothing (its condition: the least-privilege suite).
        // So does an outbox producer: its event and taking-part marks (issue 17), nothing read.
        else if (expected === 'appendBlind' || expected === 'enqueue' || expected === 'mark')
          expect(actions, table).toEqual(['dynamodb:PutItem']);
        else expect(actions, table).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        if (expected === 'read') expect(writes, table).toEqual([]);
        if (expected === 'readWrite') expect(writes.length, table).toBeGreaterThan(0);
        // The audit log is append-only: a new event, never a change to or removal of one.
        if (expected === 'append') {
          expect(actions, table).toContain('dynamodb:PutItem');
          expect(actions.filter((a) => a === 'dynamodb:UpdateItem' || a === 'dynamodb:DeleteItem')).toEqual(
            [],
          );
        }
      }
    },
  );

  describe('the commissioning workspace (issue 14)', () => {
    const workspace = (ROUTES as readonly RouteDefinition[]).filter(
      (route) => route.kind === 'page' && route.path.startsWith('/commissioning'),
    );

    it('is served only by functions that face the inside of the wall or oversight', () => {
      expect(workspace.length).toBeGreaterThan(20);
      const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
      for (const route of workspace) {
        expect(['inside', 'oversight'], `${route.method} ${route.path}`).toContain(
          definitions[route.function].facing,
        );
        expect(PROVIDER_SIDE_WEB as readonly string[]).not.toContain(route.function);
      }
    });

    it('has roles of its own: no workspace function shares a role with a provider-side web function', () => {
      const providerRoles = PROVIDER_SIDE_WEB.map(roleIdOf);
      const workspaceFunctions = [...new Set(workspace.map((route) => route.function))];
      expect(workspaceFunctions.sort()).toEqual([
        'webCommissioning',
        'webEvaluation',
        'webOutcomesCommissioning',
        'webOversight',
      ]);
      for (const id of workspaceFunctions) expect(providerRoles).not.toContain(roleIdOf(id));
    });

    it('leaves the provider-side web functions without any grant on the sealed table or the audit log (but a blind put of a pending event where declared)', () => {
      for (const id of PROVIDER_SIDE_WEB) {
        const grants = dynamoGrantsOf(synth.stateless, template, roleIdOf(id), synth.stateful.tables);
        expect(grants.tables.get('sealed') ?? [], id).toEqual([]);
        expect([...(grants.tables.get('audit') ?? [])], id).toEqual(
          WEB_TABLE_ACCESS[id].audit === 'appendBlind' ? ['dynamodb:PutItem'] : [],
        );
      }
    });
  });

  it('gives the JSON functions none of the web settings but the assets URL (for their error page)', () => {
    const platform =
      template.toJSON().Resources[
        synth.stateless.getLogicalId(synth.stateless.functions.platform.node.defaultChild as never)
      ];
    const variables = platform.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(variables).filter((k) => k.startsWith('WEB_'))).toEqual(['WEB_ASSETS_URL']);
    expect(JSON.stringify(variables.WEB_ASSETS_URL)).toContain('DomainName');
  });
});
