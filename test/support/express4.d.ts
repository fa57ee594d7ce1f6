// Express 4, installed under the alias `express4` so both majors are tested side by side.
declare module 'express4' {
  import express = require('express');
  export = express;
}
