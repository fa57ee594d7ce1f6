import Fastify from 'fastify';
import faultline, { faultSchemas } from '@faultline/fastify';
import { openApiResponses, xks } from '@faultline/core';
import Ajv2020 from 'ajv/dist/2020.js';

// OpenAPI 3.1: one response per XKS error name; each example is the body faultline sends.
const responses = openApiResponses('xks');
console.log(JSON.stringify(responses['xks.KeyNotFoundException']));

// The JSON Schema of every XKS error body, for any draft 2020-12 validator (here ajv).
const validate = new Ajv2020().compile(xks.schema().json);
console.log(validate({ errorName: 'KeyNotFoundException', errorMessage: 'Key k-1 is not known' })); // true

// Fastify: document a route's error responses; what faultline sends stays byte for byte the same.
const app = Fastify();
await app.register(faultline, { dialect: 'xks', logger: false });
app.post('/kms/xks/v1/health', { schema: { response: faultSchemas('xks') } }, async () => {
  throw xks.fault('InternalException', 'The HSM is not reachable');
});
await app.ready();
console.log(Object.keys(faultSchemas('xks'))); // [ '4xx', '5xx' ]
await app.close();
