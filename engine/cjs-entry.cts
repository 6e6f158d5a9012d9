/**
 * The CommonJS entry (`require('tieuchi')`): the ES module itself, loaded
 * with require(esm), which every supported Node version has (20.19+, 22.12+).
 * Its own declaration file (cjs-entry.d.cts) lets TypeScript projects
 * compiled as CommonJS (`module: node16`) see a CommonJS module.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this file is the CommonJS entry: require is its point
import tieuchi = require('./index.js');
export = tieuchi;
