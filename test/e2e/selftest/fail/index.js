// Harness self-test entry: proves a suite's result travels out of the workbench.
'use strict';
const { runMochaIn } = require('../../../electron/mocha-runner');

exports.run = () => runMochaIn(__dirname);
