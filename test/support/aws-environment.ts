/**
 * Every test process talks to local stand-ins only: fixed region, dummy credentials, and no instance
 * metadata lookups that would hang without AWS.
 */
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTESTING';
process.env.AWS_SECRET_ACCESS_KEY = 'local-testing-secret';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
process.env.POWERTOOLS_SERVICE_NAME = 'start-chat-contact-test';
