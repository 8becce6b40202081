export type AmplifyDependentResourcesAttributes = {
  "function": {
    "lpcdkfn": {
      "Arn": "string",
      "LambdaExecutionRole": "string",
      "Name": "string",
      "Region": "string"
    }
  }
}