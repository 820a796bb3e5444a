// Test-only FHIR R4 server on loopback: Medplum's FHIR router over its in-memory
// repository (transactions, conditional create with If-None-Exist, search), behind a
// check of every resource it receives against HL7's R4 JSON schema and FHIR's
// StructureDefinitions (validation.mjs): anything invalid is refused with 400 and an
// OperationOutcome, as a real EHR would. A bearer token is required when TOKEN is set.
//
//   PORT=0 TOKEN=secret node server.mjs     prints "listening PORT" once it accepts requests
//
// Test controls (not FHIR): GET /_test/stats (requests seen, resources stored by type),
// POST /_test/hold {"ms": N} (file the next transaction, then wait N ms before answering).
import { createServer } from 'node:http';
import { getStatus } from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { problems } from './validation.mjs';

const repo = new MemoryRepository();
const router = new FhirRouter();
const token = process.env.TOKEN ?? '';
const stats = { requests: 0, transactions: 0, refused: 0, stored: {} };
let holdMs = 0;

function outcome(code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] };
}

function reply(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  response.end(JSON.stringify(body));
}

async function storedCounts() {
  const counts = {};
  for (const type of ['Patient', 'QuestionnaireResponse', 'DocumentReference', 'Flag']) {
    counts[type] = (await repo.searchResources({ resourceType: type, count: 1000 })).length;
  }
  return counts;
}

async function handle(request, response, text) {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname === '/_test/stats') {
    return reply(response, 200, { ...stats, stored: await storedCounts() });
  }
  if (url.pathname === '/_test/hold') {
    holdMs = JSON.parse(text).ms;
    return reply(response, 200, { holdMs });
  }
  stats.requests += 1;
  if (token && request.headers.authorization !== `Bearer ${token}`) {
    stats.refused += 1;
    return reply(response, 401, outcome('login', 'a valid bearer token is required'));
  }
  let body;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      stats.refused += 1;
      return reply(response, 400, outcome('structure', 'the body is not JSON'));
    }
    const found = problems(body);
    if (found.length) {
      stats.refused += 1;
      return reply(response, 400, { resourceType: 'OperationOutcome', issue: found.map(
        (text) => ({ severity: 'error', code: 'invalid', diagnostics: text })) });
    }
  }
  const query = Object.fromEntries(url.searchParams);
  const [result, resource] = await router.handleRequest(
    { method: request.method, url: url.pathname + url.search, body, params: {}, query }, repo);
  if (request.method === 'POST' && url.pathname === '/') {
    stats.transactions += 1;
    if (holdMs) {
      const wait = holdMs;
      holdMs = 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return reply(response, getStatus(result), resource ?? result);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    handle(request, response, Buffer.concat(chunks).toString('utf8')).catch((error) => {
      reply(response, 500, outcome('exception', String(error)));
    });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
