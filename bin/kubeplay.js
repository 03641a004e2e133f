#!/usr/bin/env node
// The `kubeplay` command: the bundled CLI (dist/cli.js), or the compiled
// sources when run from a checkout that has not been bundled.
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const compiled = path.join(__dirname, '..', 'out', 'cli', 'src', 'main.js');
const entry = fs.existsSync(bundled) ? bundled : compiled;
require(entry).main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(`kubeplay: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
