#!/usr/bin/env node
/**
 * The `faultline` executable.
 *
 * @module
 */
import { run } from './index.js';

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  () => {
    process.exitCode = 2;
  },
);
