/**
 * Starts the Fastify population register on 127.0.0.1 (`PORT`, default 8081) and prints curl
 * commands that show each kind of X-Road fault. Stops on Ctrl-C.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8081);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

const app = await createApp();

try {
  await app.listen({ port: wanted, host: HOST });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  await app.listen({ port: 0, host: HOST });
  const free = (app.server.address() as AddressInfo).port;
  console.log(`Port ${wanted} is in use, so the example listens on the free port ${free} instead.`);
}
const port = (app.server.address() as AddressInfo).port;

const base = `http://${HOST}:${port}`;
const api = `${base}/r1/EE/GOV/70000310/population`;
const passportApp = `-H 'X-Road-Client: EE/GOV/70000310/passport-app'`;
const envelope =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xroad="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers"><SOAP-ENV:Header>' +
  '<xroad:client id:objectType="SUBSYSTEM"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>' +
  '<id:memberCode>70000310</id:memberCode><id:subsystemCode>passport-app</id:subsystemCode></xroad:client>' +
  '<xroad:service id:objectType="SERVICE"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>' +
  '<id:memberCode>70000310</id:memberCode><id:subsystemCode>population</id:subsystemCode>' +
  '<id:serviceCode>getVehicle</id:serviceCode></xroad:service></SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>';

console.log(`faultline X-Road example (Fastify) listening on ${base}

A person (200):
  curl -i ${passportApp} ${api}/persons/38001010000

A JSON fault, unknown client (500 Server.ServerProxy.UnknownMember):
  curl -i -H 'X-Road-Client: EE/GOV/70000310/unknown-app' ${api}/persons/38001010000

An XML fault, client not allowed (500 Server.ServerProxy.AccessDenied):
  curl -i -H 'Accept: application/xml' -H 'X-Road-Client: EE/COM/12345678/insurance-app' ${api}/persons/38001010000

A SOAP fault, unknown service (200 with faultcode Server.ServerProxy.UnknownService):
  curl -i ${base}/soap -H 'Content-Type: text/xml' -H 'SOAPAction: ""' --data '${envelope}'

An unknown route (400 Client.NotFound):
  curl -i ${base}/r1/EE/GOV/70000310/nowhere

A network error, the registry backend is down (500 Server.ServerProxy.NetworkError):
  curl -i ${passportApp} ${api}/registry-status

The provider's system moved (500 Server.ServerProxy.ServiceFailed.HttpError):
  curl -i ${passportApp} ${api}/archive/38001010000

Fastify logs each request and each fault as JSON lines on stderr; a fault's correlationId is
the detail (REST) or faultDetail (SOAP) id in the response. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.server.closeAllConnections();
    void app.close().then(() => process.exit(0));
  });
}
