import Fastify from 'fastify';
import faultline, { faultSchemas } from '@faultline/fastify';
import { openApiResponses, xks } from '@faultline/core';

// OpenAPI 3.1: one response per XKS error name; each example is the body faultline sends.
const responses = openApiResponses('xks');
console.log(JSON.stringify(responses['xks.KeyNotFoundException']));

// The JSON Schema of every XKS error body, for any draft 2020-12 validator.
console.log(xks.schema().json.properties.errorName.enum.length); // 12

// Fastify: document a route's error responses; what faultline sends stays byte for byte the same.
const app = Fastify();
await app.register(faultline, { dialect: 'xks', logger: false });
app.post('/kms/xks/v1/health', { schema: { response: faultSchemas('xks') } }, async () => {
  throw xks.fault('InternalException', 'The HSM is not reachable');
});
await app.ready();
console.log(Object.keys(faultSchemas('xks'))); // [ '4xx', '5xx' ]
await app.close();
