// Extension-host suite entry (extensionTestsPath). Loads every *.test.js beside this file, and
// the compiled ones under out/test/electron/suite when the suite's tests are written in TypeScript.
'use strict';
const path = require('node:path');
const { runMochaIn } = require('../mocha-runner');

const repo = path.resolve(__dirname, '..', '..', '..');

exports.run = () => runMochaIn([__dirname, path.join(repo, 'out', 'test', 'electron', 'suite')]);
