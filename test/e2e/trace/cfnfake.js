// Overrides for hook.js (TRACE_OVERRIDES=/path/to/cfnfake.js): a fake CloudFormation, plus AppSync's
// GetIntrospectionSchema for the CLI's post-push codegen.
// Stacks "deploy" at once but report *_IN_PROGRESS for TRACE_CFN_DELAY_MS, so the CLI polls as it would against AWS.
// Each template is read back from moto's S3 (TemplateURL), so nested stacks get their real logical ids and output keys;
// output values are made up, except those mkres.py backs with real moto resources (user pool, app clients, identity
// pool, AppSync API, storage bucket) because the CLI calls them directly afterwards.
// Environment: AWS_ENDPOINT_URL (moto), AWS_REGION, TRACE_ACCOUNT, TRACE_CFN_STATE (JSON file: the stacks, shared by
// successive CLI commands), TRACE_CFN_DELAY_MS (default 20000), TRACE_CLI_NM (the CLI's node_modules, for graphql).
'use strict';
const fs = require('fs');
const os = require('os');
const http = require('http');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const STATE = process.env.TRACE_CFN_STATE || path.join(os.tmpdir(), 'amplify-trace-cfnstate.json');
const MOTO = process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:5000';
const ACCT = process.env.TRACE_ACCOUNT || '123456789012';
const REGION = process.env.AWS_REGION || 'us-east-1';
const DELAY = () => Number(process.env.TRACE_CFN_DELAY_MS || 20000);
// moto answers unsigned S3 requests as anonymous (403 on private objects); any SigV4-looking header is accepted
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20000101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=0`;

// problems go to the hook's log (TRACE_LOG): a template that cannot be read leaves its stack without nested stacks
const note = (rec) => { if (process.env.TRACE_LOG) try { fs.appendFileSync(process.env.TRACE_LOG, JSON.stringify(Object.assign({ t: Date.now(), pid: process.pid, cfnfake: true }, rec)) + '\n'); } catch (e) { /* ignore */ } };
const load = () => { try { return JSON.parse(fs.readFileSync(STATE, 'utf8')); } catch (e) { return { stacks: {} }; } };
const save = (s) => fs.writeFileSync(STATE, JSON.stringify(s, null, 1));
const vErr = (msg) => { const e = new Error(msg); e.name = 'ValidationError'; e.Code = 'ValidationError'; e.$metadata = { httpStatusCode: 400 }; return e; };
const find = (s, nameOrId) => Object.values(s.stacks).find((x) => x.StackName === nameOrId || x.StackId === nameOrId);

function motoS3(method, pathname, body) {
  return new Promise((resolve) => {
    const u = new URL(MOTO);
    const req = http.request({ host: u.hostname, port: u.port, method, path: pathname, headers: { Authorization: AUTH, 'Content-Length': body ? Buffer.byteLength(body) : 0 } }, (res) => {
      const chunks = []; res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : null));
    });
    req.on('error', () => resolve(null));
    req.end(body || undefined);
  });
}
const enc = (key) => key.split('/').map((p) => encodeURIComponent(decodeURIComponent(p))).join('/');
// https://s3.amazonaws.com/BUCKET/KEY or https://BUCKET.s3[.region].amazonaws.com/KEY -> the object from moto
function getTemplate(url) {
  let m = url.match(/^https:\/\/s3[.\w-]*\.amazonaws\.com\/([^/]+)\/(.+)$/);
  if (!m) { const v = url.match(/^https:\/\/([^.]+)\.s3[.\w-]*\.amazonaws\.com\/(.+)$/); if (v) m = [url, v[1], v[2]]; }
  return m ? motoS3('GET', `/${m[1]}/${enc(m[2])}`) : Promise.resolve(null);
}
function createBucket(name) {
  const cfg = REGION === 'us-east-1' ? null
    : `<CreateBucketConfiguration><LocationConstraint>${REGION}</LocationConstraint></CreateBucketConfiguration>`;
  return motoS3('PUT', `/${name}`, cfg);
}

// output keys mkres.py makes real moto resources for
const MKRES_KEYS = new Set(['UserPoolId', 'AppClientIDWeb', 'AppClientID', 'IdentityPoolId', 'GraphQLAPIIdOutput', 'BucketName',
  'CloudFrontDistributionID']);
function mkres(stack, keys, prev, env, layer) {
  if (!layer && !keys.some((k) => MKRES_KEYS.has(k) && !(k in prev))) return {};
  try {
    return JSON.parse(execFileSync('python3', [path.join(__dirname, 'mkres.py'), JSON.stringify({ stack, keys, prev, env, layer })], { encoding: 'utf8' }));
  } catch (e) { note({ error: `mkres.py for ${stack}: ${String(e).slice(0, 300)}` }); return {}; }
}

function fakeValue(k, stackName) {
  const h = crypto.createHash('md5').update(stackName + k).digest('hex');
  if (k === 'OAuthMetadata') return JSON.stringify({ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin'], CallbackURLs: ['http://localhost:3000/'], LogoutURLs: ['http://localhost:3000/'] });
  if (k === 'HostedUIDomain') return `auth${h.slice(0, 8)}-dev`;
  if (/UserPoolId$/.test(k)) return `${REGION}_${h.slice(0, 9)}`;
  if (/IdentityPoolId$/.test(k)) return `${REGION}:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  if (/GraphQLAPIIdOutput$|ApiId$/.test(k)) return h.slice(0, 26);
  if (/GraphQLAPIEndpointOutput$/.test(k)) return `https://${h.slice(0, 26)}.appsync-api.${REGION}.amazonaws.com/graphql`;
  if (/GraphQLAPIKeyOutput$/.test(k)) return `da2-${h}`;
  if (/Region$/.test(k)) return REGION;
  if (/RoleArn$|Arn$/.test(k)) return `arn:aws:iam::${ACCT}:role/${stackName.slice(0, 40)}-${k}`;
  if (/BucketName$/.test(k)) return `${k.toLowerCase().slice(0, 20)}${h.slice(0, 8)}-dev`;
  if (/AppClientID/.test(k)) return h.slice(0, 26);
  if (/Name$/.test(k)) return `${k}-${h.slice(0, 6)}-dev`;
  if (/Url$|Endpoint$|URL$/.test(k)) return `https://${h.slice(0, 10)}.execute-api.${REGION}.amazonaws.com/dev`;
  return `${k}-${h.slice(0, 8)}`;
}

// A small evaluator of the intrinsics Amplify uses in resource names (Ref, Fn::Join, Fn::Select, Fn::Split, Fn::If,
// Fn::Sub, conditions), so that a storage bucket gets its real name (<bucketName><root stack suffix>-<env>).
// Returns undefined for anything it cannot evaluate to a plain string.
function cfnEval(x, ctx) {
  if (typeof x === 'string' || typeof x === 'number') return String(x);
  if (!x || typeof x !== 'object' || Array.isArray(x) || Object.keys(x).length !== 1) return undefined;
  const k = Object.keys(x)[0]; const v = x[k];
  if (k === 'Ref') {
    if (v === 'AWS::StackName') return ctx.stackName;
    if (v === 'AWS::Region') return REGION;
    if (v === 'AWS::AccountId') return ACCT;
    if (v === 'AWS::URLSuffix') return 'amazonaws.com';
    if (v === 'AWS::Partition') return 'aws';
    const p = ctx.params[v];
    return typeof p === 'string' && !p.startsWith('{') ? p : undefined;
  }
  if (k === 'Fn::Join' && Array.isArray(v) && Array.isArray(v[1])) { const parts = v[1].map((e) => cfnEval(e, ctx)); return parts.includes(undefined) ? undefined : parts.join(v[0]); }
  if (k === 'Fn::Select' && Array.isArray(v)) { const l = cfnList(v[1], ctx); return l ? l[Number(v[0])] : undefined; }
  if (k === 'Fn::If' && Array.isArray(v)) { const c = cfnCond({ Condition: v[0] }, ctx); return c === undefined ? undefined : cfnEval(c ? v[1] : v[2], ctx); }
  if (k === 'Fn::Sub' && Array.isArray(v) && typeof v[0] === 'string') {
    // the variables map first, then parameters and pseudo parameters
    const vars = {}; for (const [n, e] of Object.entries(v[1] || {})) vars[n] = cfnEval(e, ctx);
    let bad = false;
    const r = v[0].replace(/\$\{([^}!]+)\}/g, (m, n) => { const e = n in vars ? vars[n] : cfnEval({ Ref: n }, ctx); if (e === undefined) bad = true; return e; });
    return bad ? undefined : r;
  }
  if (k === 'Fn::Sub' && typeof v === 'string') { let bad = false; const r = v.replace(/\$\{([^}!]+)\}/g, (m, n) => { const e = cfnEval({ Ref: n }, ctx); if (e === undefined) bad = true; return e; }); return bad ? undefined : r; }
  return undefined;
}
function cfnList(x, ctx) {
  if (Array.isArray(x)) { const l = x.map((e) => cfnEval(e, ctx)); return l.includes(undefined) ? undefined : l; }
  if (x && x['Fn::Split']) { const str = cfnEval(x['Fn::Split'][1], ctx); return str === undefined ? undefined : str.split(x['Fn::Split'][0]); }
  return undefined;
}
function cfnCond(x, ctx) {
  if (!x || typeof x !== 'object') return undefined;
  if (x.Condition !== undefined) return ctx.conditions[x.Condition] === undefined ? undefined : cfnCond(ctx.conditions[x.Condition], ctx);
  if (x['Fn::Equals']) { const [a, b] = x['Fn::Equals'].map((e) => cfnEval(e, ctx)); return a === undefined || b === undefined ? undefined : a === b; }
  if (x['Fn::Not']) { const c = cfnCond(x['Fn::Not'][0], ctx); return c === undefined ? undefined : !c; }
  if (x['Fn::And'] || x['Fn::Or']) { const l = (x['Fn::And'] || x['Fn::Or']).map((e) => cfnCond(e, ctx)); if (l.includes(undefined)) return undefined; return x['Fn::And'] ? l.every(Boolean) : l.some(Boolean); }
  return undefined;
}

async function deploy(s, input, kind) {
  const name = input.StackName;
  let st = find(s, name);
  if (kind === 'create' && st && !/DELETE_COMPLETE/.test(st.StackStatus)) throw Object.assign(vErr(`Stack [${name}] already exists`), { name: 'AlreadyExistsException' });
  if (kind === 'update' && !st) throw vErr(`Stack [${name}] does not exist`);
  const body = input.TemplateBody || (input.TemplateURL ? await getTemplate(input.TemplateURL) : null);
  if (!body) note({ error: `no template for ${name}`, url: input.TemplateURL || null });
  let tpl = { Resources: {}, Outputs: {} };
  try { if (body) tpl = JSON.parse(body); } catch (e) { note({ error: `template of ${name} is not JSON: no nested stacks, no outputs` }); }
  if (!st) {
    st = { StackName: name, StackId: `arn:aws:cloudformation:${REGION}:${ACCT}:stack/${name}/${crypto.randomUUID()}`, CreationTime: new Date().toISOString() };
    s.stacks[st.StackId] = st;
  }
  const params = {};
  for (const [k, d] of Object.entries(tpl.Parameters || {})) if (d && d.Default !== undefined) params[k] = String(d.Default);
  (input.Parameters || []).forEach((p) => (params[p.ParameterKey] = p.ParameterValue));
  const ctx = { params, stackName: name, conditions: tpl.Conditions || {} };
  const named = {}; // logical id -> real name, for buckets whose name evaluates
  st.Parameters = input.Parameters || [];
  st.StackStatus = kind === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
  st.readyAt = Date.now() + DELAY();
  st.LastUpdatedTime = new Date().toISOString();
  st.Template = body;
  const prevResources = st.Resources || [];
  st.Resources = [];
  for (const [lid, r] of Object.entries(tpl.Resources || {})) {
    let phys = `${name}-${lid}-${crypto.createHash('md5').update(name + lid).digest('hex').slice(0, 12).toUpperCase()}`;
    if (r.Type === 'AWS::CloudFormation::Stack') {
      // the API's nested stacks name their template with Fn::Join over parameters; parameters may be Refs
      const tu = r.Properties.TemplateURL;
      const url = typeof tu === 'string' ? tu : cfnEval(tu, ctx) || null;
      const childParams = Object.entries(r.Properties.Parameters || {}).map(([k, v]) => {
        const e = typeof v === 'string' ? v : cfnEval(v, ctx);
        return { ParameterKey: k, ParameterValue: e !== undefined ? e : JSON.stringify(v) };
      });
      const existing = Object.values(s.stacks).find((x) => x.parent === st.StackId && x.logicalId === lid && x.StackStatus !== 'DELETE_COMPLETE');
      const child = await deploy(s, { StackName: existing ? existing.StackName : phys, TemplateURL: url, Parameters: childParams }, existing ? 'update' : 'create');
      child.parent = st.StackId; child.logicalId = lid; child.ParentId = st.StackId; child.RootId = st.RootId || st.StackId;
      phys = child.StackId;
    } else if (r.Type === 'AWS::S3::Bucket' && lid === 'DeploymentBucket') {
      phys = params.DeploymentBucketName || phys;
      await createBucket(phys);
    } else if (r.Type === 'AWS::IAM::Role' && /^(Auth|Unauth)Role$/.test(lid)) {
      phys = params[`${lid}Name`] || phys;
    } else if (r.Type === 'AWS::Lambda::LayerVersion' && r.Properties && r.Properties.LayerName) {
      // a real layer version in moto (a new one per new logical id, as CloudFormation publishes): the CLI lists the
      // layer's versions and matches them to the stack's resources
      const layer = cfnEval(r.Properties.LayerName, ctx);
      const old = (prevResources.find((x) => x.LogicalResourceId === lid) || {}).PhysicalResourceId;
      if (layer && /^[A-Za-z0-9_-]+$/.test(layer)) phys = old && old.includes(`:layer:${layer}:`) ? old : mkres(name, ['@layer'], {}, null, layer).LayerVersionArn || phys;
    } else if (r.Type === 'AWS::S3::Bucket' && r.Properties && r.Properties.BucketName) {
      const b = cfnEval(r.Properties.BucketName, ctx);
      if (b && /^[a-z0-9][a-z0-9.-]{2,62}$/.test(b)) { phys = b; named[lid] = b; await createBucket(b); }
    }
    st.Resources.push({ LogicalResourceId: lid, PhysicalResourceId: phys, ResourceType: r.Type, ResourceStatus: st.StackStatus, LastUpdatedTimestamp: new Date().toISOString() });
  }
  const prevOut = {}; (st.Outputs || []).forEach((o) => (prevOut[o.OutputKey] = o.OutputValue));
  // outputs that are a Ref to a bucket with its real name
  const refOut = {};
  for (const [k, o] of Object.entries(tpl.Outputs || {})) if (o && o.Value && o.Value.Ref && named[o.Value.Ref]) refOut[k] = named[o.Value.Ref];
  const made = mkres(name, Object.keys(tpl.Outputs || {}).filter((k) => !(k in refOut)), prevOut, /^[a-z0-9]+$/.test(params.env || '') ? params.env : null);
  st.Outputs = Object.keys(tpl.Outputs || {}).map((k) => {
    let v = refOut[k];
    if (v !== undefined) { /* a real bucket name */ } else if (k === 'StackName') v = name; else if (k === 'StackId') v = st.StackId; else if (k === 'Region') v = REGION;
    else if (k === 'DeploymentBucketName') v = params.DeploymentBucketName;
    else if (k === 'AuthRoleName') v = params.AuthRoleName; else if (k === 'UnauthRoleName') v = params.UnauthRoleName;
    else if (k === 'AuthRoleArn') v = `arn:aws:iam::${ACCT}:role/${params.AuthRoleName}`;
    else if (k === 'UnauthRoleArn') v = `arn:aws:iam::${ACCT}:role/${params.UnauthRoleName}`;
    if (v === undefined) v = made[k] !== undefined ? made[k] : prevOut[k];
    if (v === undefined) v = fakeValue(k, name);
    return { OutputKey: k, OutputValue: v };
  });
  return st;
}
const live = (st) => (st.readyAt && Date.now() < st.readyAt && /_COMPLETE$/.test(st.StackStatus) ? st.StackStatus.replace('_COMPLETE', '_IN_PROGRESS') : st.StackStatus);
const pub = (st) => {
  const o = Object.assign({}, st); delete o.Template; delete o.Resources; delete o.parent; delete o.logicalId; delete o.readyAt;
  o.StackStatus = live(st);
  for (const k of ['CreationTime', 'LastUpdatedTime', 'DeletionTime']) if (o[k]) o[k] = new Date(o[k]);
  return o;
};
function markDeleted(s, st) {
  st.StackStatus = 'DELETE_COMPLETE'; st.readyAt = Date.now() + DELAY(); st.DeletionTime = new Date().toISOString();
  Object.values(s.stacks).filter((c) => c.parent === st.StackId && c.StackStatus !== 'DELETE_COMPLETE').forEach((c) => markDeleted(s, c));
}
async function createOrUpdate(i, kind) {
  const s = load();
  const st = await deploy(s, i, kind);
  const ra = Date.now() + DELAY();
  Object.values(s.stacks).forEach((x) => { if (x === st || x.RootId === st.StackId) x.readyAt = ra; });
  save(s);
  return { StackId: st.StackId };
}
const C = {
  'CloudFormation:DescribeStacks': (i) => {
    const s = load();
    if (!i.StackName) return { Stacks: Object.values(s.stacks).filter((x) => x.StackStatus !== 'DELETE_COMPLETE').map(pub) };
    const st = find(s, i.StackName);
    if (!st || (st.StackStatus === 'DELETE_COMPLETE' && live(st) === 'DELETE_COMPLETE' && st.StackId !== i.StackName)) return vErr(`Stack with id ${i.StackName} does not exist`);
    return { Stacks: [pub(st)] };
  },
  'CloudFormation:ListStackResources': (i) => {
    const st = find(load(), i.StackName); if (!st) return vErr(`Stack with id ${i.StackName} does not exist`);
    return { StackResourceSummaries: (st.Resources || []).map((r) => Object.assign({}, r, { LastUpdatedTimestamp: new Date(r.LastUpdatedTimestamp) })) };
  },
  'CloudFormation:DescribeStackResources': (i) => {
    const st = find(load(), i.StackName); if (!st) return vErr(`Stack with id ${i.StackName} does not exist`);
    return { StackResources: (st.Resources || []).map((r) => Object.assign({ StackName: st.StackName, StackId: st.StackId, Timestamp: new Date() }, r)) };
  },
  'CloudFormation:DescribeStackResource': (i) => {
    const st = find(load(), i.StackName); if (!st) return vErr(`Stack with id ${i.StackName} does not exist`);
    const r = (st.Resources || []).find((x) => x.LogicalResourceId === i.LogicalResourceId);
    if (!r) return vErr(`Resource ${i.LogicalResourceId} does not exist for stack ${i.StackName}`);
    return { StackResourceDetail: Object.assign({ StackName: st.StackName, StackId: st.StackId, LastUpdatedTimestamp: new Date() }, r) };
  },
  'CloudFormation:DescribeStackEvents': (i) => {
    const st = find(load(), i.StackName); if (!st) return vErr(`Stack with id ${i.StackName} does not exist`);
    return { StackEvents: [{ StackId: st.StackId, EventId: crypto.randomUUID(), StackName: st.StackName, LogicalResourceId: st.StackName, PhysicalResourceId: st.StackId, ResourceType: 'AWS::CloudFormation::Stack', Timestamp: new Date(), ResourceStatus: live(st) }] };
  },
  'CloudFormation:GetTemplate': (i) => { const st = find(load(), i.StackName); if (!st) return vErr(`Stack with id ${i.StackName} does not exist`); return { TemplateBody: st.Template || '{}' }; },
  'CloudFormation:CreateStack': (i) => createOrUpdate(i, 'create'),
  'CloudFormation:UpdateStack': (i) => createOrUpdate(i, 'update'),
  'CloudFormation:DeleteStack': (i) => { const s = load(); const st = find(s, i.StackName); if (st) { markDeleted(s, st); save(s); } return {}; },
  'CloudFormation:ListStacks': () => ({ StackSummaries: Object.values(load().stacks).map((x) => ({ StackId: x.StackId, StackName: x.StackName, StackStatus: x.StackStatus, CreationTime: new Date(x.CreationTime), ParentId: x.ParentId, RootId: x.RootId })) }),
  'CloudFormation:ListExports': () => ({ Exports: [] }),
  'CloudFormation:ValidateTemplate': () => ({ Parameters: [] }),
};
C['CloudFormation:*'] = (i, ctx) => vErr(`cfnfake: unhandled ${ctx.op}`);

// AppSync introspection for codegen, built from the project's compiled schema in a separate node process (so that no
// second copy of graphql is loaded into the CLI)
C['AppSync:GetIntrospectionSchema'] = () => {
  const apiDir = path.join(process.cwd(), 'amplify/backend/api');
  const files = (fs.existsSync(apiDir) ? fs.readdirSync(apiDir) : []).map((d) => path.join(apiDir, d, 'build/schema.graphql')).filter((f) => fs.existsSync(f));
  if (!files.length) return Object.assign(new Error('no compiled schema'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  const nm = process.env.TRACE_CLI_NM || path.resolve(path.dirname(require.main.filename), '../../..');
  const js = `const gq=require(require.resolve('graphql',{paths:[process.argv[1]]}));const fs=require('fs');
  const base='scalar AWSDate scalar AWSTime scalar AWSDateTime scalar AWSTimestamp scalar AWSEmail scalar AWSJSON scalar AWSURL scalar AWSPhone scalar AWSIPAddress directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION directive @aws_api_key on FIELD_DEFINITION | OBJECT directive @aws_iam on FIELD_DEFINITION | OBJECT directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT directive @aws_oidc on FIELD_DEFINITION | OBJECT directive @aws_lambda on FIELD_DEFINITION | OBJECT directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION\\n';
  const schema=gq.buildSchema(base+fs.readFileSync(process.argv[2],'utf8'),{assumeValidSDL:true});process.stdout.write(JSON.stringify({data:gq.introspectionFromSchema(schema)}));`;
  const env = Object.assign({}, process.env); delete env.NODE_OPTIONS;
  const out = execFileSync(process.execPath, ['-e', js, path.join(nm, '@aws-amplify/amplify-provider-awscloudformation'), files[0]], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  return { schema: Buffer.from(out) };
};
// moto's gaps for resources created before the project (preload.py)
Object.assign(C, require('./moto-gaps.js'));
module.exports = C;
