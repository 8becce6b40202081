export type AmplifyDependentResourcesAttributes = {
  "api": {
    "lpapi": {
      "GraphQLAPIEndpointOutput": "string",
      "GraphQLAPIIdOutput": "string",
      "GraphQLAPIKeyOutput": "string"
    }
  },
  "auth": {
    "lpauth": {
      "AppClientID": "string",
      "AppClientIDWeb": "string",
      "IdentityPoolId": "string",
      "IdentityPoolName": "string",
      "UserPoolArn": "string",
      "UserPoolId": "string",
      "UserPoolName": "string"
    }
  },
  "function": {
    "lpfn": {
      "Arn": "string",
      "LambdaExecutionRole": "string",
      "Name": "string",
      "Region": "string"
    }
  },
  "geo": {
    "lpmap": {
      "Arn": "string",
      "Name": "string",
      "Region": "string",
      "Style": "string"
    }
  },
  "storage": {
    "lpstorage": {
      "BucketName": "string",
      "Region": "string"
    }
  }
}