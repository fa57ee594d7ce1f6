/**
 * Starts the gateway's other side on 127.0.0.1: the problem+json order backend and the bridge
 * (`BRIDGE_PORT`, default 8282) in front of it and of the X-Road provider at `XROAD_URL`
 * (default http://127.0.0.1:8080, where `pnpm demo` runs the `xroad-express` example), and
 * prints curl commands to try.
 *
 * @module
 */
import { createBridge } from './bridge.js';
import { startProblemBackend } from './problem-backend.js';

const port = Number(process.env.BRIDGE_PORT ?? 8282);
const xroadUrl = process.env.XROAD_URL ?? 'http://127.0.0.1:8080';
const orders = await startProblemBackend();
const server = createBridge({ xroadUrl, problemUrl: orders.url }).listen(port, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${port}`;
  const insurance = "-H 'X-Road-Client: EE/COM/12345678/insurance-app'";
  console.log(`bridge on ${base}, X-Road provider ${xroadUrl}, orders ${orders.url}`);
  console.log(`curl -si ${insurance} ${base}/esb/persons/38001010000   # translated into ESB`);
  console.log(`curl -si ${insurance} ${base}/r1/persons/38001010000    # forwarded unchanged`);
  console.log(`curl -si ${base}/orders/7                                # forwarded unchanged`);
  console.log(`curl -si ${base}/esb/orders/7                            # translated into ESB`);
  console.log(`curl -si ${base}/orders/crash                            # a garbage page: 502`);
});
const stop = () => {
  server.close();
  void orders.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
