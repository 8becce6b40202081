# Creates AWS resources that exist before the project uses them (what `amplify import` imports) in moto, with the same
# ids on every run: moto's random generator is seeded (POST /moto-api/seed) before each resource whose id it draws.
# The example that imported them (scripts/make-examples.sh) and the trace of that example (trace.sh with
# TRACE_PRELOAD=SPEC) both run this on a fresh moto, so the ids in the project's files name real moto resources.
#
#   python3 preload.py SPEC.json      prints {"userPoolId", "webClientId", "nativeClientId", "identityPoolId", ...} as JSON
#                                     (trace.sh keeps it in TRACE_PRELOAD_OUT for moto-gaps.js)
# SPEC: {"seed": N, "userPool": NAME, "identityPool": NAME, "bucket": NAME, "table": NAME,
#        "secureStrings": {SSM_NAME: VALUE}}  (each optional; secureStrings: function secrets the project expects)
# Environment: AWS_ENDPOINT_URL (moto), AWS_REGION, TRACE_ACCOUNT (the account moto runs as; for the role ARNs).
import json
import os
import sys
import urllib.request

import boto3

spec = json.load(open(sys.argv[1]))
endpoint = os.environ['AWS_ENDPOINT_URL']
region = os.environ.get('AWS_REGION', 'us-east-1')
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')
seed = int(spec.get('seed', 1))


def reseed():
    global seed
    seed += 1
    urllib.request.urlopen(urllib.request.Request('%s/moto-api/seed?a=%d' % (endpoint, seed), method='POST'), timeout=10)


out = {}
if spec.get('userPool'):
    idp = boto3.client('cognito-idp', **kw)
    reseed()
    pool = idp.create_user_pool(PoolName=spec['userPool'], UsernameAttributes=['email'],
                                AutoVerifiedAttributes=['email'], MfaConfiguration='OFF')['UserPool']
    out['userPoolId'] = pool['Id']
    reseed()
    out['webClientId'] = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName=spec['userPool'] + '_app_clientWeb')['UserPoolClient']['ClientId']
    reseed()
    out['nativeClientId'] = idp.create_user_pool_client(UserPoolId=pool['Id'], ClientName=spec['userPool'] + '_app_client',
                                                        GenerateSecret=True)['UserPoolClient']['ClientId']
if spec.get('identityPool') and out.get('userPoolId'):
    iam = boto3.client('iam', **kw)
    account = os.environ.get('TRACE_ACCOUNT', '123456789012')
    roles = {}
    for kind in ('authenticated', 'unauthenticated'):
        name = '%s-%s-role' % (spec['identityPool'], kind)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [
            {'Effect': 'Allow', 'Principal': {'Federated': 'cognito-identity.amazonaws.com'}, 'Action': 'sts:AssumeRoleWithWebIdentity'}]}))
        roles[kind] = 'arn:aws:iam::%s:role/%s' % (account, name)
    ci = boto3.client('cognito-identity', **kw)
    reseed()
    providers = [{'ProviderName': 'cognito-idp.%s.amazonaws.com/%s' % (region, out['userPoolId']), 'ClientId': c,
                  'ServerSideTokenCheck': False} for c in (out['webClientId'], out['nativeClientId'])]
    pool = ci.create_identity_pool(IdentityPoolName=spec['identityPool'], AllowUnauthenticatedIdentities=True,
                                   CognitoIdentityProviders=providers)
    out['identityPoolId'] = pool['IdentityPoolId']
    # moto does not keep identity pool roles: moto-gaps.js answers GetIdentityPoolRoles from this script's output
    out['authRoleArn'], out['unauthRoleArn'] = roles['authenticated'], roles['unauthenticated']
if spec.get('bucket'):
    s3 = boto3.client('s3', **kw)
    s3.create_bucket(Bucket=spec['bucket'], **({} if region == 'us-east-1' else {'CreateBucketConfiguration': {'LocationConstraint': region}}))
    out['bucketName'] = spec['bucket']
if spec.get('table'):
    ddb = boto3.client('dynamodb', **kw)
    ddb.create_table(TableName=spec['table'], KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                     AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
    out['tableName'] = spec['table']
for name, value in (spec.get('secureStrings') or {}).items():
    boto3.client('ssm', **kw).put_parameter(Name=name, Value=value, Type='SecureString', Overwrite=True)
print(json.dumps(out))
