// Reader of the oracle for the AWS SDK for JavaScript v2 (npm aws-sdk@2, AWS.ImportExport): each job
// is one real call to the oracle's stub endpoint, parsed by the SDK's own XML parser.
//
// input:  a JSON array of jobs (file named by argv[2], else stdin):
//         {"id", "operation", "params", "endpoint", "access_key_id", "secret_access_key"}
// output: JSON Lines, one per job: {"id", "output"} | {"id", "error": {"code", "message"}} | {"id", "failure"}
// Normalising (tests/clients/oracle/jobs.py has the contract): Dates as ISO 8601 UTC with Z and no
// zero fraction, the SDK's ResponseMetadata dropped, absent (null/undefined) members omitted.
// A service error is an error the SDK raised for an HTTP status >= 300 with a code; anything else
// (a parse error of a 200 answer, a network error) is a failure.
'use strict';

const fs = require('fs');
const AWS = require('aws-sdk');

function isoInstant(date) {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  return date.toISOString().replace(/\.000Z$/, 'Z').replace(/\.(\d{3})Z$/, '.$1000Z');
}

function normalise(value) {
  if (value instanceof Date) return isoInstant(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const result = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'ResponseMetadata' || item === null || item === undefined) continue;
      result[key] = normalise(item);
    }
    return result;
  }
  return value;
}

function newClient(job) {
  return new AWS.ImportExport({
    endpoint: job.endpoint,
    region: 'us-east-1',
    accessKeyId: job.access_key_id,
    secretAccessKey: job.secret_access_key,
    maxRetries: 0,
    httpOptions: { timeout: 30000 },
  });
}

// One client per concurrent slot (a client per job costs more than the call); its credentials are
// set to the job's before each call.
async function read(client, job) {
  client.config.credentials = new AWS.Credentials(job.access_key_id, job.secret_access_key);
  const method = job.operation.charAt(0).toLowerCase() + job.operation.slice(1);
  try {
    const data = await client[method](job.params).promise();
    return { id: job.id, output: normalise(data) };
  } catch (error) {
    if (error.statusCode >= 300 && error.code) {
      return { id: job.id, error: { code: error.code, message: error.message === undefined ? null : error.message } };
    }
    return { id: job.id, failure: `${error.code || error.name}: ${error.message}` };
  }
}

async function main() {
  const text = process.argv[2] ? fs.readFileSync(process.argv[2], 'utf8') : fs.readFileSync(0, 'utf8');
  const jobs = JSON.parse(text);
  const width = 8;
  let next = 0;
  async function slot() {
    let client = null;
    while (next < jobs.length) {
      const job = jobs[next];
      next += 1;
      if (client === null || client.config.endpoint !== job.endpoint) client = newClient(job);
      process.stdout.write(`${JSON.stringify(await read(client, job))}\n`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, slot));
}

main().catch((error) => {
  process.stderr.write(`read_documents.js: ${error.stack}\n`);
  process.exit(2);
});
