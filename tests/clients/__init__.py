"""Real AWS clients (boto3, the AWS CLI v1, the AWS SDK for JavaScript v2) against an endpoint."""
