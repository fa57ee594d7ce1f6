/**
 * Starts the Express population register on 127.0.0.1 (`PORT`, default 8080) and prints curl
 * commands that show each kind of X-Road fault. Stops on Ctrl-C.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(1);
}

const server = createServer(createApp());

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

let port: number;
try {
  port = await listen(wanted);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  port = await listen(0);
  console.log(`Port ${wanted} is in use, so the example listens on the free port ${port} instead.`);
}

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

console.log(`faultline X-Road example (Express) listening on ${base}

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

Each fault is logged as one JSON line on stderr; its correlationId is the detail (REST) or
faultDetail (SOAP) id in the response. Stop with Ctrl-C.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
