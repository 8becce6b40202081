/* Amplify Params - DO NOT EDIT
	ENV
	REGION
	AUTH_LPFULLAUTH_USERPOOLID
	API_ADMINQUERIES_APINAME
	API_ADMINQUERIES_APIID
	STORAGE_LPTABLE_NAME
	STORAGE_LPTABLE_ARN
	STORAGE_LPTABLE_STREAMARN
	STAGE_LABEL
	MAX_ITEMS
Amplify Params - DO NOT EDIT */

/**
 * @type {import('@types/aws-lambda').APIGatewayProxyHandler}
 */
exports.handler = async (event) => {
    console.log(`EVENT: ${JSON.stringify(event)}`);
    return {
        statusCode: 200,
    //  Uncomment below to enable CORS requests
    //  headers: {
    //      "Access-Control-Allow-Origin": "*",
    //      "Access-Control-Allow-Headers": "*"
    //  },
        body: JSON.stringify('Hello from Lambda!'),
    };
};
