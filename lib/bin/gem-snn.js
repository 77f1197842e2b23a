#!/usr/bin/env node
'use strict';
// Launcher of the `gem-snn` command. It is plain JavaScript so that npm can link it at install time,
// before `npm run build` has compiled lib/dist/.
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  console.error('gem-snn: the library is not built (lib/dist/ missing); run `npm run build` in the project root.');
  if (process.env.GEM_DEBUG) console.error(err);
  process.exit(1);
}
cli.runCli(process.argv.slice(2));
