// Answers for the calls that moto 5 does not implement (loaded through TRACE_OVERRIDES; cfnfake.js includes it):
// Amplify Studio's metadata and components, and the roles of an identity pool the project imported, computed from
// what preload.py wrote (TRACE_PRELOAD_OUT), so that they describe the resources that really exist in moto.
'use strict';
const fs = require('fs');

function preloaded() {
  try { return JSON.parse(fs.readFileSync(process.env.TRACE_PRELOAD_OUT, 'utf8')); } catch (e) { return {}; }
}
const notFound = (message) => Object.assign(new Error(message), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });

module.exports = {
  // Amplify Studio (AmplifyUIBuilder) is not in moto: an app without Studio features and without components, so
  // env add's component copy reads the metadata and both envs' components and stops there
  'AmplifyUIBuilder:GetMetadata': () => ({ features: {} }),
  'AmplifyUIBuilder:ExportComponents': () => ({ entities: [] }),
  // `amplify import auth` and the env init of imported auth read the identity pool's roles (moto: NotImplemented)
  'Cognito Identity:GetIdentityPoolRoles': (i) => {
    const p = preloaded();
    if (!p.identityPoolId || p.identityPoolId !== i.IdentityPoolId) return notFound(`IdentityPool '${i.IdentityPoolId}' not found.`);
    return { IdentityPoolId: i.IdentityPoolId, Roles: { authenticated: p.authRoleArn, unauthenticated: p.unauthRoleArn } };
  },
};
