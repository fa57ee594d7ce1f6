/**
 * `@peculiar/x509`, loaded after the `reflect-metadata` polyfill that its dependency `tsyringe`
 * requires. Import the library from here, never directly, so the polyfill always comes first.
 *
 * @module
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };
