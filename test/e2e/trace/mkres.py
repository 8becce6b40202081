# Called by cfnfake.js for a stack it has just "deployed": creates the moto resources whose ids the CLI later uses in
# direct calls (user pool and its app clients, identity pool, AppSync API and key, storage bucket, hosting CloudFront
# distribution) and prints
# {OutputKey: value} as JSON.
# argv[1] = JSON {"stack": name, "keys": [output keys], "prev": {previous outputs}, "env": env name or null}
# Environment: AWS_ENDPOINT_URL (moto), AWS_REGION.
import hashlib
import io
import zipfile
import json
import os
import sys

import boto3

a = json.loads(sys.argv[1])
region = os.environ.get('AWS_REGION', 'us-east-1')
kw = dict(endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name=region,
          aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')
keys, prev, out = a['keys'], a.get('prev') or {}, {}
h = hashlib.md5(a['stack'].encode()).hexdigest()[:8]


def want(k):
    return k in keys and k not in prev


idp = boto3.client('cognito-idp', **kw)
if want('UserPoolId'):
    out['UserPoolId'] = idp.create_user_pool(PoolName='up' + h)['UserPool']['Id']
up = out.get('UserPoolId') or prev.get('UserPoolId')
if up and want('AppClientIDWeb'):
    out['AppClientIDWeb'] = idp.create_user_pool_client(UserPoolId=up, ClientName='web' + h)['UserPoolClient']['ClientId']
if up and want('AppClientID'):
    c = idp.create_user_pool_client(UserPoolId=up, ClientName='app' + h, GenerateSecret=True)['UserPoolClient']
    out['AppClientID'] = c['ClientId']
    if 'AppClientSecret' in keys:
        out['AppClientSecret'] = c.get('ClientSecret', 'x')
if want('IdentityPoolId'):
    r = boto3.client('cognito-identity', **kw).create_identity_pool(IdentityPoolName='ip' + h, AllowUnauthenticatedIdentities=True)
    out['IdentityPoolId'] = r['IdentityPoolId']
    out['IdentityPoolName'] = r['IdentityPoolName']
if want('GraphQLAPIIdOutput'):
    ap = boto3.client('appsync', **kw)
    g = ap.create_graphql_api(name='api' + h, authenticationType='API_KEY')['graphqlApi']
    out['GraphQLAPIIdOutput'] = g['apiId']
    out['GraphQLAPIEndpointOutput'] = g['uris'].get('GRAPHQL', 'https://x/graphql')
    if 'GraphQLAPIKeyOutput' in keys:
        out['GraphQLAPIKeyOutput'] = ap.create_api_key(apiId=g['apiId'])['apiKey']['id']
if want('BucketName'):
    # only when cfnfake.js could not work out the bucket's real name from the template
    b = 'st%s-%s' % (h, a.get('env') or 'dev')
    s3 = boto3.client('s3', **kw)
    s3.create_bucket(Bucket=b, **({} if region == 'us-east-1' else {'CreateBucketConfiguration': {'LocationConstraint': region}}))
    out['BucketName'] = b
if want('CloudFrontDistributionID'):
    # hosting S3AndCloudFront: `amplify publish -c` invalidates the distribution
    cf = boto3.client('cloudfront', **kw)
    origin = {'Id': 'hosting', 'DomainName': 'hosting%s.s3.amazonaws.com' % h, 'S3OriginConfig': {'OriginAccessIdentity': ''}}
    d = cf.create_distribution(DistributionConfig={
        'CallerReference': a['stack'], 'Comment': '', 'Enabled': True, 'Origins': {'Quantity': 1, 'Items': [origin]},
        'DefaultCacheBehavior': {'TargetOriginId': 'hosting', 'ViewerProtocolPolicy': 'redirect-to-https',
                                 'ForwardedValues': {'QueryString': False, 'Cookies': {'Forward': 'none'}}, 'MinTTL': 0,
                                 'TrustedSigners': {'Enabled': False, 'Quantity': 0}}})['Distribution']
    out['CloudFrontDistributionID'] = d['Id']
    out['CloudFrontDomainName'] = d['DomainName']
    out['CloudFrontSecureURL'] = 'https://' + d['DomainName']
if a.get('layer'):
    # a Lambda layer version (the CLI lists them and matches them to the layer stack's resources)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        z.writestr('nodejs/package.json', '{}')
    v = boto3.client('lambda', **kw).publish_layer_version(LayerName=a['layer'], Content={'ZipFile': buf.getvalue()},
                                                           CompatibleRuntimes=['nodejs18.x'])
    out['LayerVersionArn'] = v['LayerVersionArn']
print(json.dumps(out))
