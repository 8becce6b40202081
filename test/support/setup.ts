// Loaded by mocha before the tests (.mocharc.json): the AWS SDK's Node 20 deprecation warning
// would otherwise print in the middle of the test report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
