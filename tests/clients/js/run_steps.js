// Runs one client scenario with the AWS SDK for JavaScript v2 (npm aws-sdk@2, AWS.ImportExport).
//
// stdin:  {"endpoint", "region", "controlUrl", "sequence": [step], "probes": [step], "teardown": [step]}
//         step = {"kind": "call", "name", "operation", "params", "save", "accessKeyId", "secretAccessKey"}
//              | {"kind": "control", "name", "path", "body"}
// stdout: [{"step", "output"} | {"step", "errorCode", "errorMessage"}], one per step, in run order.
// `sequence` runs in order, `probes` concurrently after it, `teardown` last; "${name}" in params,
// control paths and bodies is replaced by the member a previous call saved (`save: {name: Member}`).
// Driven by tests/clients/drivers.py (JsSdkDriver); see there for the Python side.
'use strict';

const AWS = require('aws-sdk');

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

function fill(value, saved) {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name) => (name in saved ? saved[name] : whole));
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, saved));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, saved)]));
  }
  return value;
}

function unresolved(value) {
  return JSON.stringify(value).match(PLACEHOLDER) || [];
}

function client(request, step) {
  return new AWS.ImportExport({
    endpoint: request.endpoint,
    region: request.region,
    accessKeyId: step.accessKeyId,
    secretAccessKey: step.secretAccessKey,
    maxRetries: 0,
    httpOptions: { timeout: 60000 },
  });
}

async function call(request, step, saved) {
  const params = fill(step.params, saved);
  const missing = unresolved(params);
  if (missing.length) {
    return { step: step.name, errorCode: 'Unresolved', errorMessage: `no saved value for ${missing}` };
  }
  const method = step.operation.charAt(0).toLowerCase() + step.operation.slice(1);
  try {
    const data = await client(request, step)[method](params).promise();
    const output = JSON.parse(JSON.stringify(data));
    for (const [name, member] of Object.entries(step.save || {})) {
      if (member in output) saved[name] = String(output[member]);
    }
    return { step: step.name, output };
  } catch (error) {
    return { step: step.name, errorCode: error.code || null, errorMessage: String(error.message) };
  }
}

async function control(request, step, saved) {
  const url = `${request.controlUrl.replace(/\/$/, '')}/${fill(step.path, saved)}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fill(step.body, saved)),
  });
  const text = await response.text();
  let answer = null;
  try {
    answer = JSON.parse(text);
  } catch (ignored) {
    answer = null;
  }
  if (response.status === 200 && answer && answer.ok === true) return { step: step.name, output: answer };
  return { step: step.name, errorCode: 'ControlFailed', errorMessage: `${url}: ${response.status} ${text}` };
}

function run(request, step, saved) {
  return step.kind === 'control' ? control(request, step, saved) : call(request, step, saved);
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const saved = {};
  const outcomes = [];
  try {
    for (const step of request.sequence) outcomes.push(await run(request, step, saved));
    const frozen = { ...saved };
    outcomes.push(...(await Promise.all(request.probes.map((step) => run(request, step, { ...frozen })))));
  } finally {
    for (const step of request.teardown) outcomes.push(await run(request, step, saved));
  }
  process.stdout.write(JSON.stringify(outcomes));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
